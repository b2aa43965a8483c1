"""The limiter's storage: a Redis shared by every worker and server, and what happens without it.

While the Redis named by ``RATELIMIT_STORAGE_URI`` cannot be reached, logins still work and are
still throttled, counted in each process's memory, rather than failing with an error page, and
the app's log says so. (That the shared Redis counts across workers and servers is shown by
tests/test_throttles_across_workers.py and tests/test_two_servers.py.)

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
    # Said once, in the app's log (under gunicorn, its error log), not dropped.
    assert done.stderr.count("falling back to in-memory storage") == 1, done.stderr


def test_a_deployment_counts_in_the_shared_redis_unless_told_otherwise(tmp_path):
    """Served (not under test) with nothing set, the app counts in the Redis on this machine
    that make demo starts; memory:// only when asked for (tests/test_throttles_across_workers.py
    shows two workers counting together)."""
    from tracker.core.throttling import DEFAULT_STORAGE_URI

    script = "from tracker import create_app; print(create_app().config['RATELIMIT_STORAGE_URI'])"
    env = {key: value for key, value in os.environ.items() if key != "RATELIMIT_STORAGE_URI"}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'limiter.sqlite'}",
                "TRACKER_INSTANCE_PATH": str(tmp_path)})
    served = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    assert served.stdout.split()[-1] == DEFAULT_STORAGE_URI == "redis://127.0.0.1:6379/0"
    chosen = subprocess.run([sys.executable, "-c", script], cwd=ROOT,
                            env={**env, "RATELIMIT_STORAGE_URI": "memory://"},
                            capture_output=True, text=True, timeout=120, check=True)
    assert chosen.stdout.split()[-1] == "memory://"


def test_servers_of_one_database_share_their_counts_and_other_databases_do_not():
    """The default key prefix comes from the database's name, not from how a server reaches it,
    so servers naming the database host differently still count together."""
    from tracker.core.throttling import database_key

    one = database_key("postgresql+psycopg://tracker:pw@db.internal:5432/tracker")
    assert one == database_key("postgresql+psycopg://tracker:other@10.0.0.5/tracker")
    assert one != database_key("postgresql+psycopg://tracker:pw@db.internal:5432/tracker_test")
    assert database_key("sqlite:////srv/a/tracker.sqlite") != \
        database_key("sqlite:////srv/b/tracker.sqlite")


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
