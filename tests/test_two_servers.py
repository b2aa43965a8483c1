"""Two app servers, one PostgreSQL, one Redis: nothing a request needs lives in one server.

Issue 9, point 4. Two gunicorn servers, A and B, on two ports share the database, the Redis that
counts failed logins, ``SECRET_KEY`` and the signing certificate — and nothing else: each has an
instance folder of its own (``TRACKER_INSTANCE_PATH``), which stays empty. A login on A is valid
on B, a photo uploaded through A is served by B, minutes signed through A download from B with a
valid signature, a print job started on A is followed and downloaded on B, and failed logins
count across both.

Runs when ``TEST_DATABASE_URL`` names PostgreSQL and the Redis at ``TEST_REDIS_URL`` (default
``redis://127.0.0.1:6379/7``) answers; otherwise it is skipped, saying which is missing. The
servers get a database of their own beside the test database (``<name>_two_servers``, created
and dropped here) and Redis keys under a prefix of their own, deleted afterwards (nothing else in
that Redis is touched). The steps share one world and run in order.
"""
import io
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import requests
from PIL import Image
from sqlalchemy import select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
PASSWORD = "demo2026"  # the demo's
ACCOUNT_LIMIT = 3

pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgresql", "postgres://")),
    reason="two app servers need a shared PostgreSQL: set TEST_DATABASE_URL to a PostgreSQL URL")


# --- the shared services -------------------------------------------------------------------

def _redis():
    import redis
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"two app servers need a shared Redis for the rate limiter: none answers at "
                    f"TEST_REDIS_URL={REDIS_URL} ({error})")
    return client


def _admin(command: str) -> None:
    """Run CREATE/DROP DATABASE on the test database's server."""
    import psycopg
    url = make_url(DATABASE_URL).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(command)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Servers A and B on a fresh database with the demo; stopped and cleaned up afterwards."""
    from tracker.documents.signing import ensure_demo_identity

    redis_client = _redis()
    name = f"{make_url(DATABASE_URL).database}_two_servers"
    _admin(f'DROP DATABASE IF EXISTS "{name}"')
    _admin(f'CREATE DATABASE "{name}"')
    folder = tmp_path_factory.mktemp("two-servers")
    identity = ensure_demo_identity(folder / "shared-signing")
    prefix = f"two-servers-{secrets.token_hex(4)}"
    # What every server is given alike; anything else is the server's own.
    env = {**os.environ,
           "DATABASE_URL": make_url(DATABASE_URL).set(database=name)
           .render_as_string(hide_password=False),
           "SECRET_KEY": secrets.token_hex(32),
           "SIGNING_CERT": str(identity.cert_path), "SIGNING_KEY": str(identity.key_path),
           "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix,
           "LOGIN_LIMIT_PER_ACCOUNT": f"{ACCOUNT_LIMIT} per 15 minutes",
           "LOGIN_LIMIT_PER_ADDRESS": "50 per 15 minutes",
           "DEFAULT_LOCALE": "zh", "MAIL_SERVER": ""}
    started = {}
    try:
        # The servers boot (seconds of imports) while the schema and the demo are written.
        for server in ("a", "b"):
            started[server] = _start(folder, env, server)
        _run([sys.executable, "-m", "flask", "--app", "tracker", "db", "upgrade"], env)
        world = _load_world(env)
        for server, (process, base_url, _instance) in started.items():
            _wait_until_up(process, base_url, folder / f"gunicorn-{server}.log")
        yield {"a": started["a"][1], "b": started["b"][1], "world": world,
               "cert": identity.cert_path,
               "instances": [instance for _p, _u, instance in started.values()]}
    finally:
        for process, _url, _instance in started.values():
            process.terminate()
        for process, _url, _instance in started.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        # Flask-Limiter's keys read LIMITS:LIMITER/<prefix>/<key>/…
        for key in redis_client.scan_iter(match=f"*/{prefix}/*"):
            redis_client.delete(key)
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(args: list[str], env: dict) -> None:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def _load_world(env: dict) -> dict:
    """Load the demo, and take its 邮电三公司小区 parking meeting (held) to one signature short of
    signed: 张建国 chairs both parties; he signs for the first here, for the second through A."""
    from tracker import create_app
    from tracker.auth.models import User
    from tracker.cases.models import Case
    from tracker.demo.story import load_story
    from tracker.extensions import db
    from tracker.meetings import operations
    from tracker.meetings.minutes import content_sha256
    from tracker.meetings.models import Meeting

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
                      "SECRET_KEY": env["SECRET_KEY"], "SIGNING_CERT": env["SIGNING_CERT"],
                      "SIGNING_KEY": env["SIGNING_KEY"]})
    with app.app_context():
        load_story()
        users = {u.username: u for u in db.session.scalars(select(User))}
        meeting = db.session.scalar(select(Meeting).where(
            Meeting.title == "邮电三公司小区停车秩序"))
        [parking] = [item.case for item in meeting.agenda]
        operations.save_minutes(meeting, users["zhoumin"], base_revision=0, content={
            "items": {str(parking.id): {
                "background": "外来车辆在小区内乱停乱放。", "views": {},
                "decision": "由物管会收取停车费，聘请门卫登记外来车辆。",
                "responsible": "邮电三公司小区物业管理委员会", "deadline": "一个月内"}},
            "other_business": ""})
        operations.sign_minutes(meeting, users["zhangjianguo"], password=PASSWORD,
                                client_address="127.0.0.1", drawing_png=None,
                                expected_sha256=content_sha256(meeting))
        assert not operations.all_signed(meeting)
        garden = db.session.scalar(select(Case).where(Case.title.contains("中心花园")))
        world = {"meeting_id": meeting.id, "case_id": garden.id}
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return world


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(folder: Path, shared_env: dict, name: str) -> tuple[subprocess.Popen, str, Path]:
    """One gunicorn server with the shared settings and an empty instance folder of its own."""
    port = _free_port()
    instance = folder / f"instance-{name}"
    instance.mkdir()
    base_url = f"http://127.0.0.1:{port}"
    env = {**shared_env, "TRACKER_INSTANCE_PATH": str(instance), "PUBLIC_BASE_URL": base_url}
    with (folder / f"gunicorn-{name}.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
             "--access-logfile", "-", "wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return process, base_url, instance


def _wait_until_up(process: subprocess.Popen, base_url: str, log: Path) -> None:
    deadline = time.monotonic() + 45
    while True:
        try:
            if requests.get(base_url + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn at {base_url} did not start:\n{log.read_text()}")
        time.sleep(0.2)


# --- browsing ------------------------------------------------------------------------------

def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
    assert match, f"no field {name} on the page"
    return match.group(1)


def log_in(base_url: str, username: str) -> requests.Session:
    browser = requests.Session()
    form = browser.get(base_url + "/login")
    response = browser.post(base_url + "/login", allow_redirects=False, data={
        "csrf_token": csrf_token(form.text), "login": username, "password": PASSWORD})
    assert response.status_code == 302, f"{username} could not log in on {base_url}"
    return browser


def same_cookies_for(browser: requests.Session) -> requests.Session:
    """A second browser holding exactly the first one's cookies (127.0.0.1 on another port would
    get them anyway: cookies do not tell ports apart; this makes the hand-over explicit)."""
    other = requests.Session()
    for cookie in browser.cookies:
        other.cookies.set(cookie.name, cookie.value)
    return other


def is_logged_in(browser: requests.Session, base_url: str) -> bool:
    response = browser.get(base_url + "/account/password", allow_redirects=False)
    assert response.status_code in (200, 302)
    return response.status_code == 200


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (60, 140, 90)).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


# --- what one server does, the other sees --------------------------------------------------

def test_a_login_on_a_is_valid_on_b(servers):
    on_a = log_in(servers["a"], "hushaoyi")
    on_b = same_cookies_for(on_a)
    assert is_logged_in(on_b, servers["b"])
    assert not is_logged_in(requests.Session(), servers["b"])  # and not without the cookie


def test_a_photo_uploaded_through_a_is_served_by_b(servers):
    case_path = f"/cases/{servers['world']['case_id']}"
    on_a = log_in(servers["a"], "hushaoyi")
    on_b = same_cookies_for(on_a)
    # The form is read on B and sent to A: the CSRF token, too, is good on either server.
    token = csrf_token(on_b.get(servers["b"] + case_path).text)
    response = on_a.post(servers["a"] + case_path + "/photos", allow_redirects=False,
                         data={"csrf_token": token},
                         files={"photos": ("garden.jpg", jpeg(), "image/jpeg")})
    assert response.status_code == 302
    [photo_path] = re.findall(rf'href="({case_path}/photos/\d+)"', on_b.get(
        servers["b"] + case_path).text)
    from_b = on_b.get(servers["b"] + photo_path)
    from_a = on_a.get(servers["a"] + photo_path)
    assert from_b.status_code == from_a.status_code == 200
    assert from_b.content == from_a.content  # stored re-encoded, the same bytes from either
    assert Image.open(io.BytesIO(from_b.content)).size == (320, 240)


def test_minutes_signed_through_a_download_from_b(servers):
    from tracker.documents.signing import verify_pdf

    meeting_path = f"/meetings/{servers['world']['meeting_id']}"
    on_a = log_in(servers["a"], "zhangjianguo")
    on_b = same_cookies_for(on_a)
    unsigned = on_b.get(servers["b"] + meeting_path + "/minutes.pdf", allow_redirects=False)
    assert unsigned.status_code == 404
    page = on_a.get(servers["a"] + meeting_path + "/sign").text
    response = on_a.post(servers["a"] + meeting_path + "/sign", allow_redirects=False, data={
        "csrf_token": csrf_token(page), "content_sha256": hidden(page, "content_sha256"),
        "password": PASSWORD, "drawing": ""})
    assert response.status_code == 302, "the last signature was refused"
    from_b = on_b.get(servers["b"] + meeting_path + "/minutes.pdf")
    assert from_b.status_code == 200
    assert from_b.headers["Content-Type"] == "application/pdf"
    assert from_b.content == on_a.get(servers["a"] + meeting_path + "/minutes.pdf").content
    assert verify_pdf(from_b.content, servers["cert"]).valid
    # B checks A's signature against the same certificate, and finds the document on record.
    verdict = requests.post(servers["b"] + "/api/v1/verify",
                            files={"pdf": ("minutes.pdf", from_b.content, "application/pdf")})
    assert verdict.status_code == 200
    assert (verdict.json()["valid"], verdict.json()["reason"]) == (True, "ok")


def test_a_print_job_started_on_a_is_followed_and_downloaded_on_b(servers):
    """The job runs in a thread of A; its progress and its file are in the database."""
    meeting_id = servers["world"]["meeting_id"]
    on_a = log_in(servers["a"], "liujiuli")  # 北湖街's official
    on_b = same_cookies_for(on_a)
    token = csrf_token(on_a.get(servers["a"] + "/minutes-register/").text)
    response = on_a.post(servers["a"] + "/minutes-register/print", allow_redirects=False,
                         data={"csrf_token": token, "meetings": [str(meeting_id)],
                               "format": "zip"})
    assert response.status_code == 302
    job_path = response.headers["Location"].removeprefix(servers["a"])
    deadline = time.monotonic() + 30
    while not (progress := on_b.get(servers["b"] + job_path + "/progress").json())["finished"]:
        assert not progress["failed"] and time.monotonic() < deadline, progress
        time.sleep(0.2)
    archive = zipfile.ZipFile(io.BytesIO(on_b.get(servers["b"] + job_path + "/download").content))
    [name] = archive.namelist()
    minutes = on_b.get(servers["b"] + f"/meetings/{meeting_id}/minutes.pdf").content
    assert archive.read(name) == minutes  # the signed PDF as issued through A


def test_failed_logins_count_across_both_servers(servers):
    account = "yezhu4"
    order = ["a", "b"] * ACCOUNT_LIMIT

    def attempt(server: str, password: str) -> int:
        browser = requests.Session()
        token = csrf_token(browser.get(servers[server] + "/login").text)
        return browser.post(servers[server] + "/login", allow_redirects=False, data={
            "csrf_token": token, "login": account, "password": password}).status_code

    for server in order[:ACCOUNT_LIMIT]:  # a, b, a: each failure is counted once, in Redis
        assert attempt(server, "wrong password") == 200
    # The next attempt is refused whichever server gets it, the right password included.
    assert attempt(order[ACCOUNT_LIMIT], PASSWORD) == 429
    assert attempt(order[ACCOUNT_LIMIT + 1], PASSWORD) == 429


def test_nothing_was_written_to_a_servers_own_folder(servers):
    """No secret key, signing identity or upload landed on one server's private disk."""
    for instance in servers["instances"]:
        assert [p.name for p in instance.rglob("*")] == []
