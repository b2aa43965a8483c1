"""The login limiter's storage: a Redis shared by every server, and what happens without it.

While the Redis named by ``RATELIMIT_STORAGE_URI`` cannot be reached, logins still work and are
still throttled, counted in each process's memory, rather than failing with an error page. (That
the shared Redis counts across servers is shown by tests/test_two_servers.py.)

The limiter is one object for the whole test session, so the app with an unreachable Redis is
built in a process of its own.
"""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
from tracker import create_app
from tracker.extensions import db

app = create_app({"WTF_CSRF_ENABLED": False, "CHECK_PDF_ENVIRONMENT": False})
with app.app_context():
    db.create_all()
client = app.test_client()
print(*(client.post("/login", data={"login": "nobody", "password": "wrong"}).status_code
        for _ in range(4)))
"""


def test_an_unreachable_redis_falls_back_to_counting_in_memory(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'limiter.sqlite'}",
           "SECRET_KEY": "limiter-test-" + "x" * 32, "TRACKER_INSTANCE_PATH": str(tmp_path),
           # Port 1 on the loopback: nothing listens, the connection is refused at once.
           "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",
           "LOGIN_LIMIT_PER_ACCOUNT": "2 per 15 minutes"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["200", "200", "429", "429"]
