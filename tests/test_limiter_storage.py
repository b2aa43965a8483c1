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


def test_every_limit_counts_only_writes(app):
    """The limiter does not look at GET, HEAD or OPTIONS requests (tracker.extensions._reading):
    every limit counts attempts to write. A limit that would count a GET (on a route that takes
    GET, without ``methods=["POST"]``) would silently never apply, so there may be none."""
    from flask_limiter.util import get_qualified_name

    from tracker.extensions import limiter

    reads = {"GET", "HEAD"}  # (OPTIONS Flask answers itself, on every route)
    limited = set()
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            view = app.view_functions[rule.endpoint]
            for limit in limiter.limit_manager.decorated_limits(get_qualified_name(view)):
                limited.add(rule.rule)
                counted = {m.upper() for m in limit.methods} if limit.methods else rule.methods
                assert not counted & rule.methods & reads, \
                    f"{rule.rule}: a limit that counts {sorted(counted & reads)}"
    # Logins, signing (page and API), paper ballots and the public feedback form are limited.
    assert {"/login", "/api/v1/meetings/<int:meeting_id>/signatures"} <= limited, limited
