"""Build a benchmark database of about N cases, in minutes rather than hours.

The district generator (tracker.demo.district) writes one row per statement on SQLite (the ORM
cannot batch INSERT … RETURNING there) and makes ~6,500 cases a minute. For benchmark sizes this
script lets the generator make a *template* district of a few thousand cases with their full
history, plus a tiny district whose minutes PDFs are issued (for the download page), and then
copies the template's cases in SQL — ``INSERT … SELECT`` inside the database, no Python per row —
with their timeline (audit events), follow-up tasks and return visits, into the same compounds
under new numbers (``<number>-<copy>``). Copies are benchmark filler: their events' ``data`` still
name the template's tasks and meetings, and their tasks carry no progress reports.

    DATABASE_URL=sqlite:////tmp/bench/100k.sqlite python bench/build.py --cases 100000

Prints the logins (password demo2026) as JSON on the last line, for bench/run.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's tracker

from sqlalchemy import func, select, text  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.cases.models import Case  # noqa: E402
from tracker.demo.district import DistrictOptions, generate_district  # noqa: E402
from tracker.extensions import db  # noqa: E402

TEMPLATE = "基准区"
PDFS = "基准纪要区"


def build(total: int, streets: int, communities: int, compounds: int, per_compound: int) -> dict:
    started = time.monotonic()
    summary = generate_district(DistrictOptions(
        name=TEMPLATE, streets=streets, communities=communities, compounds=compounds,
        cases=per_compound, seed=9))
    logins = {role: login for role, login, _name, _place in summary.logins}
    first, last = db.session.execute(select(func.min(Case.id), func.max(Case.id))).one()
    generated = last - first + 1
    print(f"template: {generated} cases generated in {time.monotonic() - started:.0f} s",
          flush=True)
    t = time.monotonic()
    pdfs = generate_district(DistrictOptions(name=PDFS, streets=1, communities=1, compounds=1,
                                             cases=15, seed=10, pdfs=True))
    logins["pdf liaison"] = pdfs.logins[-1][1]
    print(f"pdf district: {time.monotonic() - t:.0f} s", flush=True)

    t = time.monotonic()
    copies = max(0, -(-(total - generated) // generated))
    for k in range(1, copies + 1):
        _copy(first, last, k)
        db.session.commit()
        print(f"\rcopies {k}/{copies}", end="", flush=True)
    count = db.session.scalar(select(func.count(Case.id)))
    events = db.session.scalar(text("SELECT count(*) FROM audit_events"))
    print(f"\ncopied in {time.monotonic() - t:.0f} s; {count} cases, {events} audit events, "
          f"total {time.monotonic() - started:.0f} s", flush=True)
    db.session.execute(text("ANALYZE"))  # fresh planner statistics for the grown tables
    db.session.commit()
    return logins


def _columns(table: str) -> list[str]:
    return [c.name for c in db.metadata.tables[table].columns if c.name != "id"]


def _copy(first: int, last: int, k: int) -> None:
    """Copy the template cases ``first``..``last`` once more (copy number ``k``)."""
    run = db.session.execute
    cols = _columns("cases")
    values = [f"seq + {k * 1000}" if c == "seq" else f"number || '-{k}'" if c == "number"
              else c for c in cols]
    run(text(f"INSERT INTO cases ({', '.join(cols)}) SELECT {', '.join(values)} FROM cases "
             f"WHERE id BETWEEN {first} AND {last} ORDER BY id"))
    run(text("DROP TABLE IF EXISTS bench_map"))
    run(text(f"CREATE TEMPORARY TABLE bench_map AS SELECT o.id AS old, n.id AS new "
             f"FROM cases o JOIN cases n ON n.number = o.number || '-{k}' "
             f"WHERE o.id BETWEEN {first} AND {last}"))
    for table, key, where in (
            ("audit_events", "subject_id", "t.subject_type = 'case'"),
            ("follow_up_tasks", "case_id", "1 = 1"),
            ("return_visits", "case_id", "1 = 1")):
        cols = _columns(table)
        values = ["m.new" if c == key else f"t.{c}" for c in cols]
        run(text(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(values)} "
                 f"FROM {table} t JOIN bench_map m ON t.{key} = m.old WHERE {where} "
                 f"ORDER BY t.id"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="about this many cases")
    parser.add_argument("--streets", type=int, default=12)
    parser.add_argument("--communities", type=int, default=9, help="per street")
    parser.add_argument("--compounds", type=int, default=3, help="per community")
    parser.add_argument("--per-compound", type=int, default=10,
                        help="generated cases per compound in the template")
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
        logins = build(args.cases, args.streets, args.communities, args.compounds,
                       args.per_compound)
    print(json.dumps(logins, ensure_ascii=False))


if __name__ == "__main__":
    main()
