"""Does the login page's answer time tell whether an account exists?

Starts the app on a scratch SQLite database (Flask test client, no server), makes an account with a
password hashed as production hashes it (werkzeug's scrypt) and a deactivated one, then posts
wrong passwords for them and logins naming no account, interleaved, and prints the median time of
each and how far each lies from the existing account's. Asserts nothing (docs/security.md says
what the figure should be).

    .venv/bin/python bench/login_timing.py [--rounds 40]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def build_app(folder: Path):
    # The app's own files (secret key, signing certificate, cache) go to the scratch folder,
    # never to the checkout's instance/.
    os.environ["TRACKER_INSTANCE_PATH"] = str(folder / "instance")
    os.environ.setdefault("CACHE_DIR", str(folder / "cache"))
    from tracker import create_app
    return create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
        "SECRET_KEY": "bench-login-timing",
        "WTF_CSRF_ENABLED": False,
        # Every attempt here fails on purpose; throttling would turn them into 429s.
        "RATELIMIT_ENABLED": False,
    })


def make_accounts(app) -> None:
    from tracker.auth.operations import create_account
    from tracker.extensions import db
    with app.app_context():
        db.create_all()
        create_account(username="existing", name="在册", phone="13900000001", is_admin=False,
                       password="the right password 1")
        gone = create_account(username="deactivated", name="停用", phone="13900000002",
                              is_admin=False, password="the right password 2")
        gone.active = False
        db.session.commit()


def timed_login(client, login: str) -> float:
    started = time.perf_counter()
    response = client.post("/login", data={"login": login, "password": "a wrong password"})
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        sys.exit(f"login as {login!r} answered {response.status_code}, expected the form again")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40,
                        help="attempts per kind of login (default: 40)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="login-timing-") as scratch:
        app = build_app(Path(scratch))
        make_accounts(app)
        client = app.test_client()
        kinds = {"existing account, wrong password": "existing",
                 "unknown account": "nobody-by-this-name",
                 "deactivated account, wrong password": "deactivated"}
        for login in kinds.values():  # warm up: templates compiled, stand-ins made
            timed_login(client, login)
        times: dict[str, list[float]] = {kind: [] for kind in kinds}
        for _ in range(args.rounds):
            for kind, login in kinds.items():
                times[kind].append(timed_login(client, login))
    medians = {kind: statistics.median(values) for kind, values in times.items()}
    reference = medians["existing account, wrong password"]
    print(f"median of {args.rounds} logins each (Flask test client, SQLite):")
    for kind, median in medians.items():
        difference = (median - reference) / reference * 100
        print(f"  {kind:<38} {median * 1000:8.1f} ms   {difference:+6.1f} %")
    gap = abs(medians["unknown account"] - reference) / reference * 100
    print(f"unknown vs existing account: {gap:.1f} % apart (goal: under 10 %)")


if __name__ == "__main__":
    main()
