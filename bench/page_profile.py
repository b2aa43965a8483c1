"""Where one page's time goes, in-process: CPU per request, template time, SQL statements.

    .venv/bin/python bench/page_profile.py /cases/?state=follow_up                 # as the liaison
    .venv/bin/python bench/page_profile.py /oversight/ --as "district official" --cprofile 30
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_1m \\
        .venv/bin/python bench/page_profile.py /cases/ --logins /tmp/bench/<url>.json

Uses a database bench/run built (the logins file it wrote next to it) and the Flask test client,
so no server, no network and no wrk: process CPU time (best of five batches) moves much less than
wall time on a shared machine, and counting function calls under cProfile (``--cprofile N`` prints
the N most expensive) moves less still. Compare a page with and without a change, back to back.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.one_page import add_page_arguments, logged_in_client  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_page_arguments(parser, logins="/tmp/bench/sqlite_tmp_bench_10000_sqlite.json")
    parser.add_argument("--batch", type=int, default=10, help="requests per timed batch")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N",
                        help="also profile a batch and print its N most expensive functions")
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"),
                        help="order of the cProfile listing (tottime: the functions' own time)")
    parser.add_argument("--show-sql", action="store_true", help="print one request's statements")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench/10000.sqlite")

    from flask import templating
    from sqlalchemy import event

    from bench.wsgi import app
    from tracker.extensions import db

    client = logged_in_client(app, args.logins, args.who)

    seen = {"statements": [], "render": 0.0}
    render = templating._render

    def timed_render(*a, **k):
        started = time.process_time()
        try:
            return render(*a, **k)
        finally:
            seen["render"] += time.process_time() - started
    templating._render = timed_render

    for _ in range(3):  # warm: compiled templates and statements, kept figures
        response = client.get(args.path)
    if response.status_code != 200:
        sys.exit(f"{args.path} answered {response.status_code}")
    # Statements are counted on one request only, apart from the timed batches: a listener
    # costs time of its own.

    def count(_c, _cur, statement, *_a):
        seen["statements"].append(statement)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        client.get(args.path)
        event.remove(db.engine, "before_cursor_execute", count)
    statements = list(seen["statements"])

    batches = []
    for _ in range(5):
        seen["render"] = 0.0
        batches.append((_batch(client, args.path, args.batch),
                        seen["render"] * 1000 / args.batch))
    best, render_ms = min(batches)
    print(f"{args.path} as {args.who}: {best:.2f} ms CPU a request (best of 5 × {args.batch}), "
          f"templates {render_ms:.2f} ms, {len(statements)} statements, "
          f"{len(response.data):,} bytes")
    if args.show_sql:
        for statement in statements:
            print("  ", " ".join(statement.split())[:200])
    if args.cprofile:
        profile = cProfile.Profile()
        profile.enable()
        _batch(client, args.path, args.batch)
        profile.disable()
        pstats.Stats(profile).sort_stats(args.sort).print_stats(args.cprofile)


def _batch(client, path: str, n: int) -> float:
    started = time.process_time()
    for _ in range(n):
        client.get(path)
    return (time.process_time() - started) / n * 1000


if __name__ == "__main__":
    main()
