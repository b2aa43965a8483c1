"""The minutes register, its export, and printing signed minutes in bulk."""
import csv
import io
import re
import time
import zipfile
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy import update as sqlalchemy_update

from tests.conftest import field_errors, page_text, shown
from tests.printing_factories import meeting_in
from tracker.audit.models import AuditEvent
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.meetings.models import Meeting, MeetingState, MinutesDocument
from tracker.meetings.verification import verify_minutes_pdf
from tracker.printing import bundles, operations
from tracker.printing.models import PrintFormat, PrintJob, PrintState
from tracker.printing.queries import month_bounds

NOV = datetime(2026, 11, 20, 11, 30, tzinfo=timezone.utc)  # 19:30 in Shanghai


@pytest.fixture(autouse=True)
def inline_jobs(app, monkeypatch):
    monkeypatch.setitem(app.config, "PRINT_JOBS_INLINE", True)


def job_count() -> int:
    return db.session.scalar(select(func.count()).select_from(PrintJob))


def rows_shown(response) -> set[int]:
    """Ids of the meetings listed on a register page."""
    return {int(i) for i in re.findall(r'<td data-label="[^"]*"><a href="/meetings/(\d+)">',
                                       response.get_data(as_text=True))}


def pdfs_of(ids) -> dict[int, bytes]:
    return dict(db.session.execute(select(MinutesDocument.meeting_id, MinutesDocument.pdf)
                                   .where(MinutesDocument.meeting_id.in_(ids))).all())


def print_job(client, ids, fmt="merged_pdf", query="", **extra):
    return client.post(f"/minutes-register/print{query}",
                       data={"meetings": [str(i) for i in ids], "format": fmt, **extra})


# --- acceptance: fifty signed minutes ----------------------------------------------------------

def test_fifty_signed_minutes_as_one_pdf_a_zip_and_from_the_command_line(
        app, world, login_as, tmp_path, monkeypatch):
    meetings = [meeting_in(world, starts_at=NOV + timedelta(hours=i)) for i in range(50)]
    ids = [m.id for m in meetings]
    stored = pdfs_of(ids)
    pages = sum(len(PdfReader(io.BytesIO(pdf)).pages) for pdf in stored.values())
    client = login_as(world.district_official)

    # Progress is committed after each PDF: another connection sees it while the job runs.
    seen_done = []
    read = bundles.stored_pdf

    def watching(entry):
        with db.engine.connect() as connection:
            seen_done.append(connection.scalar(select(PrintJob.done)))
        return read(entry)
    monkeypatch.setattr(bundles, "stored_pdf", watching)

    # Ticked in the order shown: newest first.
    response = print_job(client, ids, "merged_pdf", query="?month=2026-11")
    assert response.status_code == 302
    job_url = response.location
    assert seen_done == list(range(50))
    assert client.get(job_url + "/progress").json == {
        "state": "finished", "label": shown("Ready"), "done": 50, "total": 50,
        "finished": True, "failed": False}
    page = page_text(client.get(job_url))
    assert '<progress id="job-progress" max="50" value="50">' in page
    download = client.get(job_url + "/download")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    merged = PdfReader(io.BytesIO(download.data))
    assert len(merged.pages) == pages
    # One bookmark per meeting, newest first as the register shows them.
    titles = [item.title for item in merged.outline if not isinstance(item, list)]
    assert titles == [f"横堤社区〔2026〕第{n}期" for n in range(50, 0, -1)]
    # The first pages are the newest meeting's, byte for byte the same text.
    newest = PdfReader(io.BytesIO(stored[ids[-1]]))
    assert merged.pages[0].extract_text() == newest.pages[0].extract_text()

    response = print_job(client, ids, "zip")
    archive = zipfile.ZipFile(io.BytesIO(client.get(response.location + "/download").data))
    names = archive.namelist()
    assert len(names) == len(set(names)) == 50
    assert names[0] == "横堤社区-2026-第50期.pdf" and names[-1] == "横堤社区-2026-第1期.pdf"
    for name in names:
        data = archive.read(name)
        verdict = verify_minutes_pdf(data)
        assert verdict.valid, (name, verdict.reason)
        assert data == stored[verdict.document.meeting_id]

    monkeypatch.setattr(bundles, "stored_pdf", read)
    # click draws the bar only on a terminal; pretend the runner's output is one.
    monkeypatch.setattr("click._termui_impl.isatty", lambda _stream: True)
    output = tmp_path / "november.zip"
    result = app.test_cli_runner().invoke(args=[
        "minutes", "export", "--month", "2026-11", "--street", "北湖街", "--format", "zip",
        "--output", str(output)])
    assert result.exit_code == 0, result.output
    bars = result.output.split("\r")
    assert re.search(r"\[#+\]\s+50/50", bars[-1])
    assert any(re.search(r"-\]\s+1/50 ", bar) for bar in bars)  # drawn as it goes
    assert sorted(zipfile.ZipFile(output).namelist()) == sorted(names)

    merged_file = tmp_path / "november.pdf"
    result = app.test_cli_runner().invoke(args=[
        "minutes", "export", "--month", "2026-11", "--format", "pdf", "--output",
        str(merged_file)])
    assert result.exit_code == 0, result.output
    assert len(PdfReader(merged_file).pages) == pages


# --- the register: scope and filters -----------------------------------------------------------

# Meetings across streets, months and states. Times are UTC; the register reads Shanghai time.
SPREAD = {
    "signed": (None, NOV),
    # 2026-11-01 01:00 in Shanghai, still October in UTC.
    "planned": (None, datetime(2026, 10, 31, 17, 0, tzinfo=timezone.utc)),
    "neighbour": ("neighbour_compound", datetime(2026, 11, 5, 2, 0, tzinfo=timezone.utc)),
    # 2026-12-01 00:30 in Shanghai.
    "cancelled": (None, datetime(2026, 11, 30, 16, 30, tzinfo=timezone.utc)),
    "far": ("far_compound", datetime(2026, 11, 10, 1, 0, tzinfo=timezone.utc)),
}
STATES = {"signed": "signed", "planned": "planned", "neighbour": "held",
          "cancelled": "cancelled", "far": "signed"}


@pytest.fixture
def spread(world):
    """The meetings of SPREAD taken through their lifecycle; signing issues real PDFs."""
    return {name: meeting_in(world, getattr(world, compound) if compound else None,
                             starts_at=starts_at, state=STATES[name])
            for name, (compound, starts_at) in SPREAD.items()}


@pytest.fixture
def layout(world):
    """The same meetings with their state set directly, as set-up for listing tests (the
    lifecycle is tested on its own): no minutes, no PDF, and quick to make."""
    meetings = {}
    for name, (compound, starts_at) in SPREAD.items():
        meeting = meeting_in(world, getattr(world, compound) if compound else None,
                             starts_at=starts_at, state="planned")
        meeting.state = MeetingState(STATES[name])
        if meeting.state in (MeetingState.held, MeetingState.signed):
            meeting.held_at = utcnow()
        if meeting.state == MeetingState.signed:
            meeting.signed_at = utcnow()
        meetings[name] = meeting
    db.session.commit()
    return meetings


@pytest.fixture
def signed(world) -> Meeting:
    return meeting_in(world)


def ids(spread, *names) -> set[int]:
    return {spread[name].id for name in names}


def test_the_register_lists_only_meetings_in_scope(layout, world, login_as):
    assert rows_shown(login_as(world.official).get("/minutes-register/")) == ids(
        layout, "signed", "planned", "neighbour", "cancelled")
    assert rows_shown(login_as(world.official_out).get("/minutes-register/")) == ids(layout, "far")
    assert rows_shown(login_as(world.owners_member).get("/minutes-register/")) == ids(
        layout, "signed", "planned", "cancelled")
    assert rows_shown(login_as(world.district_official).get("/minutes-register/")) == ids(
        layout, *layout)
    assert rows_shown(login_as(world.nobody).get("/minutes-register/")) == set()


def test_street_and_community_choices_come_from_the_scope(world, login_as):
    page = page_text(login_as(world.official).get("/minutes-register/"))
    assert "北湖街" in page and "唐家墩街" not in page and "新华西社区" not in page
    page = page_text(login_as(world.official_out).get("/minutes-register/"))
    assert "唐家墩街" in page and "北湖街" not in page and "横堤社区" not in page


@pytest.mark.parametrize(("query", "expected"), [
    ("month=2026-11", ("signed", "planned", "neighbour", "far")),
    ("month=2026-12", ("cancelled",)),
    ("month=2026-10", ()),
    ("state=signed", ("signed", "far")),
    ("state=held", ("neighbour",)),
    ("state=cancelled", ("cancelled",)),
    ("state=planned&month=2026-11", ("planned",)),
    ("street={other_street}", ("far",)),
    ("street={street}&state=signed", ("signed",)),
    ("community={neighbour}", ("neighbour",)),
    ("community={community}&month=2026-11", ("signed", "planned")),
])
def test_filters(layout, world, login_as, query, expected):
    query = query.format(street=world.street.id, other_street=world.other_street.id,
                         community=world.community.id,
                         neighbour=world.neighbour_compound.community_id)
    response = login_as(world.district_official).get(f"/minutes-register/?{query}")
    assert response.status_code == 200
    assert rows_shown(response) == ids(layout, *expected)


def test_month_is_a_local_calendar_month():
    start, end = month_bounds("2026-12", "Asia/Shanghai")
    assert start == datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc)
    assert end == datetime(2026, 12, 31, 16, 0, tzinfo=timezone.utc)


def test_a_street_outside_the_scope_is_refused_not_shown(layout, world, login_as):
    response = login_as(world.official).get(f"/minutes-register/?street={world.other_street.id}")
    assert response.status_code == 400
    assert rows_shown(response) == set()
    assert field_errors(response.get_data(as_text=True))["street"]
    export = login_as(world.official).get(
        f"/minutes-register/export.csv?street={world.other_street.id}")
    assert export.status_code == 400 and export.mimetype == "text/html"


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "11/2026", "0000-01", "九月",
                                   "2026-11-01", "9999-12" + "1" * 30])
def test_a_bad_month_is_a_message_next_to_the_field(world, login_as, month):
    client = login_as(world.official)
    for url in ("/minutes-register/", "/minutes-register/export.csv",
                "/minutes-register/export.xlsx"):
        response = client.get(url, query_string={"month": month})
        assert response.status_code == 400
        assert field_errors(response.get_data(as_text=True))["month"] == [
            shown("Give the month as year-month, e.g. 2026-11.")]


def test_odd_page_numbers_show_a_page(world, login_as):
    client = login_as(world.official)
    for page in ("0", "-3", "abc", "99999999999999999999999"):
        assert client.get("/minutes-register/", query_string={"page": page}).status_code == 200


def test_pages_without_counting(layout, world, login_as, app, monkeypatch, statements):
    monkeypatch.setitem(app.config, "MEETINGS_PER_PAGE", 2)
    client = login_as(world.district_official)
    first, second, third = (client.get(f"/minutes-register/?page={n}") for n in (1, 2, 3))
    assert len(rows_shown(first)) == len(rows_shown(second)) == 2
    assert len(rows_shown(third)) == 1
    assert rows_shown(first) | rows_shown(second) | rows_shown(third) == ids(layout, *layout)
    assert "?page=2" in first.get_data(as_text=True)
    assert "page=4" not in third.get_data(as_text=True)
    assert not [s for s in statements if "count(" in s.lower() and "meetings" in s]


def _register_statements(client, statements, url) -> int:
    client.get(url)  # counted warm: what every worker shares (the badge) is shared by now
    del statements[:]
    assert client.get(url).status_code == 200
    return len(statements)


def test_the_register_and_its_export_query_a_fixed_number_of_times(world, login_as,
                                                                    statements):
    client = login_as(world.district_official)
    meeting_in(world, state="planned")
    meeting_in(world, world.far_compound, state="planned")
    few = [_register_statements(client, statements, url) for url in (
        "/minutes-register/", "/minutes-register/export.csv")]
    for compound in (world.compound, world.mc_compound, world.neighbour_compound):
        meeting_in(world, compound, state="planned")
    many = [_register_statements(client, statements, url) for url in (
        "/minutes-register/", "/minutes-register/export.csv")]
    assert many == few


# --- export ------------------------------------------------------------------------------------

def test_csv_export_has_every_column(spread, world, login_as):
    response = login_as(world.official).get("/minutes-register/export.csv?month=2026-11")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith("\ufeff".encode())
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "会议纪要登记-2026-11.csv"
    header, *rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert header == [shown(h) for h in (
        "Meeting number", "Community", "Street", "Compounds", "Type", "Subject",
        "Date and time", "Place", "State", "Held at", "Signed at", "Signers", "Agenda cases",
        "PDF SHA-256")]
    by_number = {(row[1], row[0]): row for row in rows}
    assert len(rows) == 3  # the signed, the planned and the neighbour's; not the far street's
    signed = by_number[("横堤社区", spread["signed"].number)]
    document = db.session.scalar(select(MinutesDocument).where(
        MinutesDocument.meeting_id == spread["signed"].id))
    assert signed[2] == "北湖街" and signed[3] == "德富花园"
    assert signed[6] == "2026-11-20 19:30"  # local time
    assert signed[11] == "王丽、陈国强、吕娟"
    assert signed[12] == spread["signed"].agenda[0].case.number
    assert signed[13] == document.pdf_sha256
    assert signed[9] and signed[10]
    planned = by_number[("横堤社区", spread["planned"].number)]
    assert planned[6] == "2026-11-01 01:00" and planned[9:12] == ["", "", ""]
    assert planned[13] == ""


def test_xlsx_export_follows_the_filters(layout, world, login_as):
    response = login_as(world.district_official).get("/minutes-register/export.xlsx?state=signed")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == shown("Meeting number")
    assert sorted(r[1] for r in rows[1:]) == ["新华西社区", "横堤社区"]
    assert rows[1][6].hour in (19, 9)  # local wall-clock times, no zone
    assert login_as(world.official).get("/minutes-register/export.pdf").status_code == 404


# --- printing: choosing, refusing --------------------------------------------------------------

def test_the_register_offers_only_signed_rows_for_printing(layout, world, login_as):
    page = login_as(world.official).get("/minutes-register/").get_data(as_text=True)
    boxes = {int(i) for i in re.findall(r'name="meetings" value="(\d+)"', page)}
    assert boxes == ids(layout, "signed")
    assert f'href="/meetings/{layout["signed"].id}/minutes.pdf"' in page
    assert f'href="/meetings/{layout["planned"].id}/minutes.pdf"' not in page
    assert 'id="select-all-signed"' in page and "js/printing.js" in page


def test_all_signed_on_the_page_without_ticking_each(signed, world, login_as):
    client = login_as(world.official)
    response = client.post("/minutes-register/print", data={
        "all_on_page": "y", "page_meetings": [str(signed.id)], "format": "zip"})
    assert response.status_code == 302
    job = db.session.scalar(select(PrintJob))
    assert job.meeting_ids == [signed.id] and job.state == PrintState.finished


def test_all_signed_matching_the_filters(spread, world, login_as):
    extra = meeting_in(world, starts_at=NOV + timedelta(days=1))
    client = login_as(world.district_official)
    response = client.post(f"/minutes-register/print?street={world.street.id}&month=2026-11",
                           data={"all_matching": "y", "format": "zip"})
    assert response.status_code == 302
    job = db.session.scalar(select(PrintJob))
    assert job.meeting_ids == [extra.id, spread["signed"].id]  # newest first, as shown


def test_an_empty_selection_is_a_message_next_to_the_field(world, login_as):
    response = print_job(login_as(world.official), [])
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True))["meetings"] == [
        shown("Choose at least one meeting with signed minutes.")]
    assert job_count() == 0


@pytest.mark.parametrize("fmt", ["", "docx", "MERGED_PDF"])
def test_an_unknown_format_is_a_message_next_to_the_field(world, login_as, fmt):
    response = print_job(login_as(world.official), [1], fmt)
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True))["format"] == [
        shown("Choose one PDF or a ZIP.")]
    assert job_count() == 0


@pytest.mark.parametrize("raw", ["abc", "1.5", "", "99999999999999999999", "-1", "0"])
def test_unreadable_or_impossible_ids_are_refused(signed, world, login_as, raw):
    response = login_as(world.official).post("/minutes-register/print", data={
        "meetings": [str(signed.id), raw], "format": "zip"})
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True))["meetings"]
    assert job_count() == 0


def test_more_than_the_cap_is_refused(world, login_as):
    many = list(range(1, operations.MAX_MEETINGS + 2))
    response = print_job(login_as(world.district_official), many)
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True))["meetings"] == [
        shown("At most %(n)d minutes can be printed at once. Narrow the filters or choose "
              "fewer.", n=operations.MAX_MEETINGS)]
    assert job_count() == 0


@pytest.mark.parametrize("name", ["planned", "neighbour", "cancelled"])
def test_meetings_without_signed_minutes_are_refused(layout, world, login_as, name):
    response = print_job(login_as(world.official), [layout["signed"].id, layout[name].id])
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True))["meetings"] == [
        shown("Some of the chosen meetings (%(n)d) are not signed minutes you may print. "
              "Nothing was prepared; please choose again.", n=1)]
    assert job_count() == 0


def test_a_foreign_meeting_put_in_the_form_is_refused(spread, world, login_as):
    """An official of another street edits the form to add 德富花园's signed minutes."""
    client = login_as(world.official_out)
    assert spread["signed"].id not in rows_shown(client.get("/minutes-register/"))
    for data in ({"meetings": [str(spread["far"].id), str(spread["signed"].id)]},
                 {"all_on_page": "y", "page_meetings": [str(spread["signed"].id)]}):
        response = client.post("/minutes-register/print", data={**data, "format": "zip"})
        assert response.status_code == 400
        assert field_errors(response.get_data(as_text=True))["meetings"]
        assert spread["signed"].id not in rows_shown(response)
    assert job_count() == 0
    # Their own street's signed minutes print.
    assert print_job(client, [spread["far"].id], "zip").status_code == 302


def test_creating_a_job_is_audited(signed, world, login_as):
    print_job(login_as(world.official), [signed.id], "zip")
    job = db.session.scalar(select(PrintJob))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.subject_type == "print_job"))
    assert (event.subject_id, event.action, event.actor_id) == (job.id, "create",
                                                                world.official.id)
    assert event.data == {"format": "zip", "meetings": ["横堤社区〔2026〕第1期"]}


# --- the job page and its download -------------------------------------------------------------

def test_a_job_of_another_person_is_not_found(signed, world, login_as):
    response = print_job(login_as(world.official), [signed.id], "zip")
    url = response.location
    for user in (world.district_official, world.admin, world.liaison):
        client = login_as(user)
        for suffix in ("", "/progress", "/download"):
            assert client.get(url + suffix).status_code == 404


def test_a_running_job_page_follows_its_progress(world, login_as):
    job = PrintJob(user_id=world.official.id, format=PrintFormat.zip, meeting_ids=[1, 2, 3],
                   total=3, done=1, state=PrintState.running)
    db.session.add(job)
    db.session.commit()
    client = login_as(world.official)
    page = client.get(f"/print-jobs/{job.id}").get_data(as_text=True)
    assert '<progress id="job-progress" max="3" value="1">' in page
    assert f'data-progress-url="/print-jobs/{job.id}/progress"' in page
    assert '<script src="/static/js/printing.js"></script>' in page
    assert f'href="/print-jobs/{job.id}" id="job-refresh"' in page
    assert "http-equiv" not in page and "/download" not in page
    assert client.get(f"/print-jobs/{job.id}/progress").json == {
        "state": "running", "label": shown("Being prepared"), "done": 1, "total": 3,
        "finished": False, "failed": False}
    # Not ready: back to the job page, not an error.
    response = client.get(f"/print-jobs/{job.id}/download")
    assert response.status_code == 302 and response.location == f"/print-jobs/{job.id}"


def test_a_failed_job_shows_the_error(signed, world, login_as):
    document = db.session.scalar(select(MinutesDocument))
    document.pdf = b"%PDF-1.7 broken"
    db.session.commit()
    client = login_as(world.official)
    response = print_job(client, [signed.id], "merged_pdf")
    job = db.session.get(PrintJob, int(response.location.rsplit("/", 1)[1]))
    assert job.state == PrintState.failed and job.result is None
    page = page_text(client.get(response.location))
    assert shown("The file could not be prepared.") in page
    assert "横堤社区〔2026〕第1期: the stored PDF could not be read" in page
    assert client.get(response.location + "/progress").json["failed"] is True


def test_the_download_is_named_in_chinese_and_in_ascii(signed, world, login_as):
    client = login_as(world.official)
    response = print_job(client, [signed.id], "zip")
    download = client.get(response.location + "/download")
    job = db.session.scalar(select(PrintJob))
    disposition = download.headers["Content-Disposition"]
    assert re.match(r"attachment; filename=minutes-\d+-1\.zip; filename\*=UTF-8''", disposition)
    assert unquote(disposition.split("UTF-8''")[1]) == job.filename
    assert re.fullmatch(r"会议纪要-\d{8}-1份\.zip", job.filename)
    assert download.headers["Content-Length"] == str(job.size) == str(len(download.data))
    assert download.mimetype == "application/zip"


def test_a_job_runs_in_a_background_thread(signed, world, login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "PRINT_JOBS_INLINE", False)
    client = login_as(world.official)
    response = print_job(client, [signed.id], "zip")
    assert response.status_code == 302
    deadline = time.monotonic() + 60
    while True:
        db.session.rollback()  # read what the thread committed since
        progress = client.get(response.location + "/progress").json
        if progress["finished"] or progress["failed"] or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert progress["finished"], progress
    archive = zipfile.ZipFile(io.BytesIO(client.get(response.location + "/download").data))
    assert archive.namelist() == ["横堤社区-2026-第1期.pdf"]


def test_zip_names_are_safe_and_unique():
    class Named:
        def __init__(self, id, community, street):
            self.id, self.year, self.seq = id, 2026, 1
            self.number = "〔2026〕第1期"
            self.community = type("C", (), {"name": community,
                                             "street": type("S", (), {"name": street})})

    names = [e.filename for e in bundles.entries([
        Named(1, "横堤社区", "北湖街"), Named(2, "横堤社区", "唐家墩街"),
        Named(3, "横堤社区", "唐家墩街"), Named(4, "../a/b:c*?", "街")])]
    assert names == ["横堤社区-2026-第1期.pdf", "唐家墩街横堤社区-2026-第1期.pdf",
                     "唐家墩街横堤社区-2026-第1期-3.pdf", "_a_b_c_-2026-第1期.pdf"]


# --- command line ------------------------------------------------------------------------------

def test_the_command_exports_only_signed_minutes_of_the_month(spread, app, tmp_path, world):
    output = tmp_path / "out.zip"
    result = app.test_cli_runner().invoke(args=[
        "minutes", "export", "--month", "2026-11", "--format", "zip", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert sorted(zipfile.ZipFile(output).namelist()) == ["新华西社区-2026-第1期.pdf",
                                                          "横堤社区-2026-第1期.pdf"]
    result = app.test_cli_runner().invoke(args=[
        "minutes", "export", "--month", "2026-11", "--community", "新华西社区", "--format",
        "pdf", "--output", str(tmp_path / "one.pdf")])
    assert result.exit_code == 0, result.output
    assert "1 signed minutes written" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--month", "2026-12"], "no signed minutes for 2026-12"),
    (["--month", "2026-11", "--street", "北湖街", "--community", "北湖正街社区"],
     "no signed minutes for 2026-11 in 北湖街 北湖正街社区"),
    (["--month", "2026-11", "--street", "汉兴街"], "no street is named '汉兴街'"),
    (["--month", "2026-11", "--community", "新华西社区", "--street", "北湖街"],
     "no community is named '新华西社区'"),
    (["--month", "2026-13"], "YYYY-MM"),
])
def test_the_command_says_when_nothing_matches(layout, app, tmp_path, args, message):
    output = tmp_path / "out.zip"
    result = app.test_cli_runner().invoke(args=[
        "minutes", "export", *args, "--format", "zip", "--output", str(output)])
    assert result.exit_code != 0
    assert message in result.output
    assert not output.exists()


def test_the_command_knows_its_formats(app, world, tmp_path):
    result = app.test_cli_runner().invoke(args=[
        "minutes", "export", "--month", "2026-11", "--format", "docx", "--output",
        str(tmp_path / "x")])
    assert result.exit_code == 2 and "docx" in result.output


def test_meetings_are_untouched_by_printing(signed, world, login_as):
    before = {m.id: (m.version, m.state) for m in db.session.scalars(select(Meeting))}
    print_job(login_as(world.official), [signed.id])
    db.session.expire_all()
    assert {m.id: (m.version, m.state) for m in db.session.scalars(select(Meeting))} == before


def _job_of(user, state: PrintState, quiet_for: timedelta) -> PrintJob:
    job = PrintJob(user=user, format=PrintFormat.zip, meeting_ids=[], total=3, done=1,
                   state=state)
    db.session.add(job)
    db.session.commit()
    db.session.execute(sqlalchemy_update(PrintJob).where(PrintJob.id == job.id)
                       .values(updated_at=utcnow() - quiet_for))
    db.session.commit()
    return job


@pytest.mark.parametrize("state", [PrintState.queued, PrintState.running])
def test_a_job_whose_worker_stopped_is_shown_as_interrupted(world, login_as, state):
    from tracker.printing.jobs import ABANDONED
    job = _job_of(world.liaison, state, timedelta(minutes=11))
    client = login_as(world.liaison)
    assert client.get(f"/print-jobs/{job.id}/progress").get_json()["failed"] is True
    assert shown(str(ABANDONED)) in page_text(client.get(f"/print-jobs/{job.id}"))
    db.session.refresh(job)
    assert job.state == PrintState.failed and job.finished_at is not None


def test_a_job_still_moving_is_left_alone(world, login_as):
    job = _job_of(world.liaison, PrintState.running, timedelta(minutes=2))
    progress = login_as(world.liaison).get(f"/print-jobs/{job.id}/progress").get_json()
    assert progress["state"] == "running" and progress["failed"] is False


def test_each_step_of_a_job_moves_its_time(world):
    job = _job_of(world.liaison, PrintState.running, timedelta(minutes=30))
    before = db.session.scalar(select(PrintJob.updated_at).where(PrintJob.id == job.id))
    job.done += 1  # what the runner does after each PDF
    db.session.commit()
    assert db.session.scalar(select(PrintJob.updated_at).where(PrintJob.id == job.id)) > before
