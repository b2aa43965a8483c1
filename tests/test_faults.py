"""Faults in the middle of a request leave nothing half-written.

- The database fails mid-request (on the audit write after the change was sent, or at COMMIT):
  the person gets the app's own page saying nothing was saved (503), and not one row changed.
- A worker is killed while rendering, signing or storing the minutes PDF: no PDF row remains, the
  minutes stay unlocked, and issuing again afterwards gives a PDF that verifies. The document row
  is inserted with its complete bytes in the same transaction that locks the minutes, so it
  appears in one commit or not at all.
- The disk is full when an upload is spooled, or the database is full at commit: the form comes
  back with the message next to the photos field and everything typed, answered 507.

The errors are the database driver's own (psycopg's ``DiskFull``, sqlite3's "database or disk is
full"), raised where the driver would raise them, so SQLAlchemy wraps them as it would.
"""
import contextlib
import errno
import hashlib
import io
import os
import signal
import tempfile
import time
import traceback
from pathlib import Path

import pytest
from werkzeug.test import encode_multipart

from tests.conftest import field_errors, input_value, page_text, shown
from tests.factories import PASSWORD, image_bytes, make_case
from tests.meeting_factories import MINUTES, SIGNERS, held_meeting, sign
from tests.vote_factories import committee_vote
from tracker import create_app
from tracker.auth.models import User
from tracker.core.storage import STORAGE_FULL, STORAGE_FULL_PAGE, is_storage_full
from tracker.extensions import db
from tracker.followup import operations as followup
from tracker.meetings import issuing, operations
from tracker.meetings.minutes import content_sha256
from tracker.meetings.models import Meeting, MeetingState, MinutesDocument
from tracker.meetings.verification import verify_minutes_pdf

DATABASE_UNAVAILABLE = "The database could not complete this request just now, so nothing " \
                       "was saved. Please try again in a moment."


def database_snapshot() -> dict[str, list[tuple]]:
    """Every committed row of every table, read on a connection of its own."""
    with db.engine.connect() as connection:
        return {table.name: [tuple(row) for row in connection.execute(
            table.select().order_by(*table.primary_key.columns))]
            for table in db.metadata.sorted_tables}


def driver_error(kind: str = "operational"):
    """An error as the database driver in use raises it."""
    dbapi = db.engine.dialect.loaded_dbapi
    if kind == "disk_full":
        if db.engine.dialect.name == "postgresql":
            import psycopg.errors
            return psycopg.errors.DiskFull(
                'could not extend file "base/16384/16400": No space left on device')
        return dbapi.OperationalError("database or disk is full")
    return dbapi.OperationalError("server closed the connection unexpectedly")


@contextlib.contextmanager
def database_fails(where: str, kind: str = "operational"):
    """Make the database fail on the first audit-log INSERT (after the change itself was sent
    in the same transaction) or on COMMIT (after everything was sent)."""
    dialect = db.engine.dialect
    real_execute, real_commit = dialect.do_execute, dialect.do_commit
    failed = []

    def do_execute(cursor, statement, parameters, context=None):
        if where == "audit" and statement.lstrip().upper().startswith(
                "INSERT INTO AUDIT_EVENTS") and not failed:
            failed.append(statement)
            raise driver_error(kind)
        return real_execute(cursor, statement, parameters, context)

    def do_commit(dbapi_connection):
        if where == "commit" and not failed:
            failed.append("COMMIT")
            raise driver_error(kind)
        return real_commit(dbapi_connection)

    dialect.do_execute, dialect.do_commit = do_execute, do_commit
    try:
        yield failed
    finally:
        dialect.do_execute, dialect.do_commit = real_execute, real_commit


@pytest.fixture
def friendly_errors(app, monkeypatch):
    """Errors reach the app's error pages as in production, not the test (TESTING re-raises)."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)


# --- a database error in the middle of a request ---------------------------------------------

def _raise_case(world):
    return world.liaison, "/cases/new", {
        "compound": str(world.compound.id), "title": "楼道堆物", "category": "parking",
        "source": "walk_in", "description": "消防通道被占。"}


def _withdraw(world):
    case = make_case(world.compound, world.liaison)
    return world.liaison, f"/cases/{case.id}/actions/withdraw", {
        "reason": "居民已自行解决", "version": str(case.version)}


def _cast_ballot(world):
    vote = committee_vote(world)
    return world.owners_member, f"/votes/{vote.id}/ballot", {"choice": "for"}


def _save_minutes(world):
    meeting = held_meeting(world)
    key = str(meeting.agenda[0].case_id)
    return world.liaison, f"/meetings/{meeting.id}/minutes", {
        "base_revision": "1", "other_business": "补充事项",
        **{f"item-{key}-{field}": value for field, value in MINUTES.items()}}


def _sign(world):
    meeting = held_meeting(world)
    return world.residents_member, f"/meetings/{meeting.id}/sign", {
        "password": PASSWORD, "drawing": "", "content_sha256": content_sha256(meeting)}


REQUESTS = {"raise case": _raise_case, "withdraw": _withdraw, "cast ballot": _cast_ballot,
            "save minutes": _save_minutes, "sign minutes": _sign}


@pytest.mark.parametrize("where", ["audit", "commit"])
@pytest.mark.parametrize("request_name", list(REQUESTS))
def test_database_error_mid_request_writes_nothing(world, client, login_as, friendly_errors,
                                                   request_name, where):
    user, url, data = REQUESTS[request_name](world)
    db.session.commit()
    login_as(user)
    before = database_snapshot()

    with database_fails(where) as failed:
        response = client.post(url, data=data)

    assert failed, "the fault was not reached"
    assert response.status_code == 503
    text = page_text(response)
    assert shown(DATABASE_UNAVAILABLE) in text and "Traceback" not in text
    assert database_snapshot() == before
    # The connection is usable again, and the same request now goes through.
    assert client.post(url, data=data).status_code == 302
    assert database_snapshot() != before


def test_api_gets_a_problem_not_a_page(world, client, bearer, friendly_errors):
    headers = bearer(world.liaison)
    before = database_snapshot()
    with database_fails("audit"):
        response = client.post("/api/v1/cases", headers=headers, json={
            "compound_id": world.compound.id, "title": "楼道堆物", "category": "parking",
            "source": "walk_in", "description": "消防通道被占。"})
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    after = database_snapshot()
    # Using a token stamps its last use (committed on its own, before the request's work).
    assert {k: v for k, v in after.items() if k != "api_tokens"} == \
        {k: v for k, v in before.items() if k != "api_tokens"}


# --- a worker killed while rendering, signing or storing the minutes PDF ---------------------

def _worker(app, settings: dict) -> None:
    """The forked worker: the last representative signs, which locks the minutes and issues the
    PDF; it hangs at ``stage`` (after rendering, after signing, or after the document row was
    flushed with its bytes but before the commit) until it is killed."""
    flag = Path(settings["flag"])

    def hanging_after(real):
        def call(*args, **kwargs):
            result = real(*args, **kwargs)
            flag.write_text("inside")
            time.sleep(120)
            return result
        return call

    stage = settings["stage"]
    if stage == "render":
        issuing.render_pdf = hanging_after(issuing.render_pdf)
    elif stage == "sign":
        issuing.sign_pdf = hanging_after(issuing.sign_pdf)
    elif stage == "store":
        issuing.issue_minutes_pdf = hanging_after(issuing.issue_minutes_pdf)
    # An application of its own: the parent's pooled connections are not this process's.
    keep = ("SIGNING_CERT", "SIGNING_KEY", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI")
    worker_app = create_app({k: app.config[k] for k in keep})
    with worker_app.app_context():
        meeting = db.session.get(Meeting, settings["meeting_id"])
        user = db.session.get(User, settings["user_id"])
        operations.sign_and_issue(meeting, user, password=PASSWORD, client_address="127.0.0.1",
                                  drawing_png=None, expected_sha256=content_sha256(meeting))
        db.session.commit()


def _kill_inside(app, tmp_path, meeting_id: int, user_id: int, stage: str) -> None:
    """Fork a worker (as gunicorn does), wait until it is inside ``stage``, SIGKILL it."""
    flag, failure = tmp_path / f"inside-{stage}", tmp_path / f"failed-{stage}"
    settings = {"stage": stage, "flag": str(flag), "meeting_id": meeting_id,
                "user_id": user_id}
    pid = os.fork()
    if pid == 0:  # the worker: never returns into pytest
        try:
            _worker(app, settings)
        except BaseException:  # noqa: BLE001 - reported to the parent through the file
            failure.write_text(traceback.format_exc())
        finally:
            os._exit(1)
    deadline = time.monotonic() + 60
    while not flag.exists():
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            pytest.fail(f"the worker ended before reaching {stage}:\n"
                        f"{failure.read_text() if failure.exists() else ''}")
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            pytest.fail(f"the worker never reached {stage}")
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    _pid, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


@pytest.mark.parametrize("stage", ["render", "sign", "store"])
def test_worker_killed_while_issuing_leaves_no_pdf(app, world, tmp_path, stage):
    """The last signature's request is killed inside the PDF step; then it is signed again."""
    meeting = held_meeting(world)
    for username in SIGNERS[:-1]:
        sign(meeting, world.users[username])
    db.session.commit()
    meeting_id, last = meeting.id, world.users[SIGNERS[-1]]
    before = database_snapshot()

    _kill_inside(app, tmp_path, meeting_id, last.id, stage)

    assert database_snapshot() == before  # no PDF row, no signature, no lock, no audit event
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting_id)
    assert meeting.state == MeetingState.held
    # Issuing again works (the killed worker's locks are gone) and the PDF verifies.
    assert operations.sign_and_issue(meeting, last, password=PASSWORD,
                                     client_address="127.0.0.1", drawing_png=None,
                                     expected_sha256=content_sha256(meeting))
    db.session.commit()
    document = db.session.scalar(db.select(MinutesDocument).where(
        MinutesDocument.meeting_id == meeting_id))
    assert document.size == len(document.pdf)
    assert document.pdf_sha256 == hashlib.sha256(document.pdf).hexdigest()
    assert verify_minutes_pdf(document.pdf).valid


# --- a full disk on upload -----------------------------------------------------------------------

def _raise_form(world) -> dict:
    return {"compound": str(world.compound.id), "title": "高空抛物",
            "category": "parking", "source": "walk_in",
            "description": "三楼窗口常有垃圾落下，附照片。"}


def _assert_refused_with_input_kept(response, before):
    assert response.status_code == 507
    page = page_text(response)
    assert shown(STORAGE_FULL) in field_errors(page).get("photos", [])
    assert input_value(page, "title") == "高空抛物"
    assert input_value(page, "description") == "三楼窗口常有垃圾落下，附照片。"
    assert database_snapshot() == before


def test_disk_full_while_the_upload_is_spooled(world, client, login_as, monkeypatch):
    """A photo larger than what is kept in memory goes to a temporary file; the disk is full."""
    login_as(world.liaison)
    values = {**_raise_form(world), "csrf_token": client.csrf_token(),
              "photos": (tempfile.SpooledTemporaryFile(), "big.jpg")}
    big = image_bytes() + b"\0" * (600 * 1024)
    values["photos"][0].write(big)
    values["photos"][0].seek(0)
    # Encoded now: the test client would spool a body this large to a temporary file too.
    boundary, body = encode_multipart(_as_multipart(values))
    before = database_snapshot()

    def no_space(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", no_space)
    response = client.post("/cases/new", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    monkeypatch.undo()

    _assert_refused_with_input_kept(response, before)


def _as_multipart(values: dict) -> dict:
    from werkzeug.datastructures import FileStorage, MultiDict
    out = MultiDict()
    for key, value in values.items():
        if isinstance(value, tuple):
            stream, filename = value
            out.add(key, FileStorage(stream=stream, filename=filename))
        else:
            out.add(key, value)
    return out


@pytest.mark.parametrize("where", ["audit", "commit"])
def test_database_full_when_saving_the_upload(world, client, login_as, where):
    login_as(world.liaison)
    before = database_snapshot()
    with database_fails(where, "disk_full") as failed:
        response = client.post("/cases/new", data={
            **_raise_form(world), "photos": [(io.BytesIO(image_bytes()), "photo.jpg")]},
            content_type="multipart/form-data")
    assert failed
    _assert_refused_with_input_kept(response, before)


def test_database_full_when_adding_photos(world, client, login_as):
    case = make_case(world.compound, world.liaison)
    login_as(world.liaison)
    before = database_snapshot()
    with database_fails("commit", "disk_full"):
        response = client.post(f"/cases/{case.id}/photos", data={
            "photos": [(io.BytesIO(image_bytes()), "photo.jpg")]},
            content_type="multipart/form-data")
    assert response.status_code == 507
    assert shown(STORAGE_FULL) in page_text(response)
    assert database_snapshot() == before


def test_disk_full_elsewhere_gets_the_storage_page(world, client, login_as, friendly_errors):
    """A request without an upload form (here a withdrawal) gets the 507 page."""
    user, url, data = _withdraw(world)
    login_as(user)
    before = database_snapshot()
    with database_fails("commit", "disk_full"):
        response = client.post(url, data=data)
    assert response.status_code == 507
    assert database_snapshot() == before


@pytest.mark.parametrize("error", [
    OSError(errno.ENOSPC, "No space left on device"),
    OSError(errno.EDQUOT, "Disk quota exceeded"),
    "postgresql", "sqlite"])
def test_storage_full_is_recognised(error):
    from sqlalchemy.exc import OperationalError
    if error == "postgresql":
        import psycopg.errors
        error = OperationalError("COMMIT", {}, psycopg.errors.DiskFull("No space left on device"))
    elif error == "sqlite":
        import sqlite3
        error = OperationalError("COMMIT", {}, sqlite3.OperationalError(
            "database or disk is full"))
    assert is_storage_full(error)
    assert not is_storage_full(OSError(errno.EACCES, "Permission denied"))
    assert not is_storage_full(OperationalError("SELECT 1", {}, Exception("server closed")))


def test_database_full_when_reporting_progress(world, client, login_as, case_in_follow_up):
    """The progress form sits on the case page: that page comes back with the message and the
    note typed, nothing stored."""
    [task] = followup.tasks_of(case_in_follow_up)
    login_as(world.property_rep)
    before = database_snapshot()
    with database_fails("audit", "disk_full"):
        response = client.post(f"/followup/tasks/{task.id}/progress", data={
            "note": "新水泵已安装", "progress": "100",
            "photos": (io.BytesIO(image_bytes()), "pump.jpg")},
            content_type="multipart/form-data")
    assert response.status_code == 507
    assert database_snapshot() == before
    page = page_text(response)
    assert shown(STORAGE_FULL) in page and "新水泵已安装" in page


def test_other_os_errors_stay_server_errors(world, client, login_as, friendly_errors,
                                            monkeypatch):
    """Only a full disk is answered 507; a file the app may not read is still a plain 500."""
    from tracker.cases import views

    def unreadable(*_args, **_kwargs):
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(views.operations, "raise_case", unreadable)
    login_as(world.liaison)
    response = client.post("/cases/new", data=_raise_form(world))
    assert response.status_code == 500
    assert shown(STORAGE_FULL_PAGE) not in page_text(response)


def test_disk_full_while_a_register_is_spooled_imports_nothing(world, client, login_as,
                                                                monkeypatch, friendly_errors):
    """A form without its own storage message (the unit register import) gets the 507 page; the
    part of the file that fitted in memory is never read as if it were the whole file."""
    from tracker.places.models import Unit
    lines = ["building,number,owner_name,area"] + [f"3栋,{n},业主{n},80" for n in range(30000)]
    register = "\r\n".join(lines).encode()
    assert 500 * 1024 < len(register) < 2 * 1024 * 1024
    login_as(world.admin)
    stream = io.BytesIO(register)
    boundary, body = encode_multipart(_as_multipart({
        "csrf_token": client.csrf_token(), "csv_file": (stream, "units.csv")}))
    before = database_snapshot()

    def no_space(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", no_space)
    response = client.post(f"/admin/compounds/{world.compound.id}/units/import", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    monkeypatch.undo()

    assert response.status_code == 507
    assert shown(STORAGE_FULL_PAGE) in page_text(response)
    assert database_snapshot() == before
    assert not db.session.scalar(db.select(db.func.count()).select_from(Unit))
