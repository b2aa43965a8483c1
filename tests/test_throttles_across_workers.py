"""The throttles hold across the workers of the default deployment.

``make demo`` serves the app with ``gunicorn --workers 2`` and no limiter settings. Here the same
server runs on a free port, with a database and instance folder of its own and the limiter's
storage left at its default, and twenty wrong status lookups from one address arrive four at a
time, so that both workers answer some: ten are answered and the rest refused, whichever worker
gets them. Which worker answered is read from gunicorn's access log (its ``%(p)s`` is the
worker's pid).

The default storage is the Redis on this machine that ``make demo`` installs and starts; where
none answers the test is skipped, saying so (``.ci/run`` starts one and fails on that skip).
Its keys get a prefix of their own and are deleted afterwards.
"""
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 2  # as the Makefile's demo target serves
STATUS_LIMIT = 10  # wrong lookups an address gets an hour (tracker/followup/public_views.py)
ATTEMPTS = 20

# Builds the schema and says which storage the served app counts in.
SETUP = """
from tracker import create_app
from tracker.extensions import db

app = create_app()
with app.app_context():
    db.create_all()
print(app.config["RATELIMIT_STORAGE_URI"])
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo-workers")
    prefix = f"workers-test-{secrets.token_hex(4)}"
    env = {key: value for key, value in os.environ.items() if key != "RATELIMIT_STORAGE_URI"}
    env.update({"TRACKER_INSTANCE_PATH": str(folder / "instance"),
                "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite'}",
                "RATELIMIT_KEY_PREFIX": prefix, "DEFAULT_LOCALE": "zh"})
    done = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    storage = done.stdout.split()[-1]
    redis_client = None
    if storage.startswith("redis"):
        import redis
        redis_client = redis.Redis.from_url(storage, socket_connect_timeout=2)
        try:
            redis_client.ping()
        except redis.RedisError as error:
            pytest.skip(f"the default limiter storage {storage} does not answer ({error}); "
                        "make demo installs and starts it")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = folder / "gunicorn.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS),
             "--bind", f"127.0.0.1:{port}", "--access-logfile", "-",
             "--access-logformat", "pid=%(p)s %(m)s %(U)s %(s)s", "wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        # Up when both workers have answered: they boot one beside the other, and the first
        # answers while the second may still be loading the app.
        deadline = time.monotonic() + 60
        while len(_workers_answering(log_path, " GET /healthz ")) < WORKERS:
            try:
                requests.get(base_url + "/healthz", timeout=2)
            except requests.RequestException:
                time.sleep(0.2)
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log_path.read_text()}")
        yield {"url": base_url, "log": log_path, "storage": storage}
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if redis_client is not None:
            for key in redis_client.scan_iter(match=f"*{prefix}*"):
                redis_client.delete(key)


def _access_log(log_path: Path, request: str) -> list[list[str]]:
    """The access log's lines for ``request`` (" POST /status/ "): [pid, method, path, status]."""
    return [line.split() for line in log_path.read_text().splitlines()
            if line.startswith("pid=") and request in line]


def _workers_answering(log_path: Path, request: str) -> set[str]:
    return {fields[0] for fields in _access_log(log_path, request)}


def _lookup_form(base_url: str) -> tuple[requests.Session, str]:
    browser = requests.Session()
    page = browser.get(base_url + "/status/").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token, "no CSRF token on the status page"
    return browser, token.group(1)


def test_the_eleventh_wrong_status_lookup_is_refused_by_either_worker(demo_server):
    base_url = demo_server["url"]
    forms = [_lookup_form(base_url) for _ in range(ATTEMPTS)]

    def wrong_guess(form: tuple[requests.Session, str]) -> int:
        browser, token = form
        return browser.post(base_url + "/status/", allow_redirects=False, data={
            "csrf_token": token, "number": "YS-2026-0001", "phone_tail": "0000"}).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(wrong_guess, forms))

    time.sleep(0.5)  # the access log line is written after the response
    posts = _access_log(demo_server["log"], " POST /status/ ")
    workers = {fields[0] for fields in posts}
    assert len(posts) == ATTEMPTS
    assert len(workers) == WORKERS, f"the lookups did not reach both workers: {posts}"
    assert sorted(answers) == [200] * STATUS_LIMIT + [429] * (ATTEMPTS - STATUS_LIMIT), \
        (f"{answers.count(200)} wrong lookups answered by {len(workers)} workers counting in "
         f"{demo_server['storage']}; {STATUS_LIMIT} allowed")
