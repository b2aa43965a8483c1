"""Instructions one request of a page costs, counted by valgrind (deterministic on a noisy machine).

    .venv/bin/python bench/instructions.py /cases/?state=follow_up              # as the liaison
    .venv/bin/python bench/instructions.py /cases/123 --as "district official" --requests 40

Shares of the ceiling under wrk move by a quarter between runs on a shared virtual machine, and
CPU time in-process by a tenth; the number of instructions a request executes does not (the same
to 0.3% run after run). Compare a page before and after a change with this, then confirm with
``bench/run``. Runs itself under ``valgrind --tool=callgrind`` (Debian package ``valgrind``),
instrumented only while the page's requests run (the app's start-up is not counted), in the
Flask test client against a database ``bench/run`` built (its logins file). About 20 s a page.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.one_page import add_page_arguments, logged_in_client  # noqa: E402

UNDER_VALGRIND = "TRACKER_BENCH_UNDER_VALGRIND"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_page_arguments(parser, logins="/tmp/bench/sqlite_tmp_bench_100000_sqlite.json")
    parser.add_argument("--requests", type=int, default=40, help="requests counted")
    args = parser.parse_args()
    if os.environ.get(UNDER_VALGRIND):
        _requests(args)
        return
    if not shutil.which("valgrind"):
        sys.exit("valgrind is missing: install it with `apt-get install -y valgrind`.")
    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench/100000.sqlite")
    with tempfile.TemporaryDirectory() as scratch:
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no",
             f"--callgrind-out-file={scratch}/callgrind.out", sys.executable, __file__,
             *sys.argv[1:]],
            env=dict(os.environ, **{UNDER_VALGRIND: "1"}), capture_output=True, text=True)
    counted = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode or not counted:
        sys.exit(out.stdout + out.stderr[-3000:])
    print(out.stdout, end="")
    print(f"{args.path} as {args.who}: {int(counted.group(1)) / args.requests / 1e6:.2f}M "
          f"instructions a request ({args.requests} requests)")


def _requests(args) -> None:
    from bench.wsgi import app

    client = logged_in_client(app, args.logins, args.who)
    for _ in range(10):  # warm: compiled templates and statements, kept figures
        response = client.get(args.path)
    if response.status_code != 200:
        sys.exit(f"{args.path} answered {response.status_code}")
    _instrument("on")
    for _ in range(args.requests):
        client.get(args.path)
    _instrument("off")


def _instrument(state: str) -> None:
    # callgrind_control talks to this very process, which must keep running (not wait in a
    # system call) for valgrind to take the command: hence the polling.
    control = subprocess.Popen(["callgrind_control", f"--instr={state}", str(os.getpid())],
                               stdout=subprocess.DEVNULL)
    while control.poll() is None:
        time.sleep(0.05)


if __name__ == "__main__":
    main()
