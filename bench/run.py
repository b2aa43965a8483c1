"""Load the app's main pages with wrk and print requests/s, p50, p99 and the share of the ceiling.

    bench/run --cases 100000                       # SQLite file /tmp/bench/100000.sqlite
    bench/run --database postgresql+psycopg://postgres@127.0.0.1/bench_1m --cases 1000000

Builds the database with bench/build.py unless it has cases already, serves bench/wsgi.py with
gunicorn (2 sync workers), logs in as the generated district's liaison and district official,
runs wrk from 16 connections for 10 s per page, and prints each worker's resident memory after.
The ceiling is measured before the first page and after each; a page's share is of the
mean of the two measurements next to it.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "demo2026"
POST_LUA = """wrk.method = "POST"
wrk.body = {body!r}
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = {cookie!r}
wrk.headers["User-Agent"] = {agent!r}
"""
GET_LUA = """wrk.headers["Cookie"] = {cookie!r}
wrk.headers["User-Agent"] = {agent!r}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--database", help="SQLAlchemy URL (default: a SQLite file per size)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--floors", action="store_true", help="also measure what every "
                        "logged-in page pays first: reading the person, the empty layout")
    parser.add_argument("--only", default="", help="run only the pages whose name contains "
                        "this text (the ceiling always runs)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: install it with `apt-get install -y wrk` (Debian package).")
    url = args.database or f"sqlite:////tmp/bench/{args.cases}.sqlite"
    env = dict(os.environ, DATABASE_URL=url, PYTHONPATH=str(ROOT))
    logins = _ensure_database(url, args.cases, env)

    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--worker-class",
         "sync", "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning",
         "bench.wsgi:app"], cwd=ROOT, env=env)
    try:
        _wait(base)
        liaison, csrf, raise_body = _login(base, logins["liaison"], raise_form=True)
        official, _csrf, _ = _login(base, logins["district official"])
        pdf_liaison, _csrf, _ = _login(base, logins["pdf liaison"])
        case_id = _first(liaison, f"{base}/cases/?state=follow_up", r'href="/cases/(\d+)"')
        meeting_id = _first(liaison, f"{base}/meetings/", r'href="/meetings/(\d+)"')
        pdf_path = _first(pdf_liaison, f"{base}/minutes-register/",
                          r'href="(/meetings/\d+/minutes\.pdf)"')
        pages = [
            ("ceiling (no database)", "/bench/ceiling", liaison, None),
            ("case list, 50 rows, state filter", "/cases/?state=follow_up", liaison, None),
            ("case list, district official", "/cases/?state=closed", official, None),
            ("case detail with timeline", f"/cases/{case_id}", liaison, None),
            ("meeting detail", f"/meetings/{meeting_id}", liaison, None),
            ("district dashboard", "/oversight/", official, None),
            ("stored minutes PDF", pdf_path, pdf_liaison, None),
            ("raise form POST", "/cases/new", liaison, raise_body),
        ]
        if args.floors:
            pages[1:1] = [("floor: logged in, no page", "/bench/logged-in", liaison, None),
                          ("floor: empty layout", "/bench/layout", liaison, None)]
        print(f"\n{_count_cases(env)} cases, {url}; wrk -c{args.connections} "
              f"-d{args.duration}s, gunicorn 2 sync workers\n")
        # The ceiling is measured first and again after every page, and each page is compared
        # with the mean of the two measurements on either side of it: on a shared virtual
        # machine the ceiling moved by a sixth within one run (other tenants), and a page
        # compared with a ceiling measured minutes away moved with it.
        ceiling_path = "/bench/ceiling"
        _warm(base + ceiling_path, liaison)
        ceilings = [_wrk(base + ceiling_path, liaison, None, args)]
        _drain(base)
        rows = []
        for name, path, session, body in pages[1:]:
            if args.only not in name and not path.startswith("/bench/"):
                continue
            if body is None:
                _warm(base + path, session)
            cpu_before = _worker_cpu(server.pid)
            result = _wrk(base + path, session, body, args)
            result["cpu"] = (_worker_cpu(server.pid) - cpu_before) / max(result["requests"], 1)
            _drain(base)
            ceilings.append(_wrk(base + ceiling_path, liaison, None, args))
            _drain(base)
            rows.append((name, result, (ceilings[-2]["rps"] + ceilings[-1]["rps"]) / 2))
            print(f"  {name}: {result['rps']:.1f} req/s, ceiling {ceilings[-1]['rps']:.1f}",
                  file=sys.stderr, flush=True)
        mean = sum(c["rps"] for c in ceilings) / len(ceilings)
        rows.insert(0, ("ceiling (no database)", ceilings[0], mean))
        rows.append(("ceiling again (last)", ceilings[-1], mean))
        print(f"\n{'page':36} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ceiling':>8} "
              f"{'errors':>7} {'CPU ms':>7}")
        for name, result, ceiling in rows:
            cpu = f"{result['cpu'] * 1000:7.2f}" if "cpu" in result else f"{'':7}"
            print(f"{name:36} {result['rps']:8.1f} {result['p50']:8.1f} {result['p99']:8.1f} "
                  f"{result['rps'] / ceiling:7.0%} {result['errors']:7} {cpu}")
        print(f"\n(ceiling: measured {len(ceilings)} times, before the first page and after "
              f"each; {min(c['rps'] for c in ceilings):.1f}-{max(c['rps'] for c in ceilings):.1f}"
              f" req/s, mean {mean:.1f}. A page's share is of the mean of the two next to it; "
              f"the ceiling rows' of the mean of all.)")
        print("(CPU ms: the workers' processor time a request, user and system, under the load.)")
        print("\nworker RSS after the load: " + ", ".join(
            f"{rss / 1024:.0f} MB" for rss in _worker_rss(server.pid)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def _ensure_database(url: str, cases: int, env: dict) -> dict:
    logins_file = Path(tempfile.gettempdir()) / "bench" / (re.sub(r"\W+", "_", url) + ".json")
    if logins_file.exists():
        return json.loads(logins_file.read_text())
    logins_file.parent.mkdir(parents=True, exist_ok=True)
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "build.py"), "--cases",
                          str(cases)], cwd=ROOT, env=env, check=True, capture_output=True,
                         text=True).stdout
    print(out)
    logins_file.write_text(out.strip().splitlines()[-1])
    return json.loads(logins_file.read_text())


def _count_cases(env: dict) -> int:
    code = ("from tracker import create_app; from tracker.extensions import db;"
            "from sqlalchemy import text; app = create_app()\n"
            "with app.app_context(): print(db.session.scalar(text('SELECT count(*) FROM cases')))")
    return int(subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True).stdout.strip())


def _wait(base: str) -> None:
    for _ in range(100):
        try:
            requests.get(base + "/login", timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.2)
    sys.exit("gunicorn did not start")


def _warm(url: str, session: requests.Session) -> None:
    """One request per worker first (both at once, so each sync worker takes one): what a page
    keeps per worker (the dashboard's figures, compiled statements) is measured warm, as a
    server that has been up a while serves it."""
    threads = [threading.Thread(target=session.get, args=(url,), kwargs={"timeout": 600})
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _drain(base: str) -> None:
    """Wait until the requests wrk left queued are served, so they do not slow the next page."""
    for _ in range(4):
        requests.get(base + "/bench/ceiling", timeout=600)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def _login(base: str, login: str, raise_form: bool = False):
    session = requests.Session()
    token = _csrf(session.get(f"{base}/login").text)
    reply = session.post(f"{base}/login", data={"csrf_token": token, "login": login,
                                                "password": PASSWORD})
    if "/login" in reply.url:
        sys.exit(f"login failed for {login}")
    body = None
    if raise_form:
        html = session.get(f"{base}/cases/new").text
        token = _csrf(html)
        compound = re.search(r'<option[^>]*value="(\d+)"', html).group(1)
        body = requests.models.RequestEncodingMixin._encode_params({
            "csrf_token": token, "compound": compound, "title": "楼道灯不亮（压测）",
            "category": "facilities", "source": "walk_in",
            "description": "三号楼二单元楼道灯坏了一周，晚上回家看不见台阶。"})
        check = session.post(f"{base}/cases/new", data=body,
                             headers={"Content-Type": "application/x-www-form-urlencoded"},
                             allow_redirects=False)
        if check.status_code != 302:
            sys.exit(f"the raise form refused the benchmark's POST ({check.status_code})")
    return session, token, body


def _first(session: requests.Session, url: str, pattern: str) -> str:
    match = re.search(pattern, session.get(url).text)
    if not match:
        sys.exit(f"nothing matching {pattern} on {url}")
    return match.group(1)


def _cookie(session: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def _wrk(url: str, session: requests.Session, body: str | None, args) -> dict:
    # wrk sends the logged-in session's cookie and, as a browser does, the same User-Agent it
    # logged in with: without it, Flask-Login's session protection saw a different browser on
    # every request, marked the session not fresh and sent a newly signed cookie each time
    # (a third of a logged-in floor's cost that no real browser causes).
    fields = {"cookie": _cookie(session), "agent": session.headers["User-Agent"]}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(POST_LUA.format(body=body, **fields).replace("'", '"') if body
                     else GET_LUA.format(**fields).replace("'", '"'))
    out = subprocess.run(["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s",
                          "--timeout", "30s", "--latency", "-s", script.name, url],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: (.*)", out)
    if socket:
        print("   wrk:", socket.group(1))
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),
            "p99": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),
            "errors": int(errors.group(1)) if errors else 0,
            "requests": int(re.search(r"(\d+) requests in", out).group(1))}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def _worker_cpu(master: int) -> float:
    """Seconds of processor time the workers have used so far (user and system)."""
    children = subprocess.run(["ps", "--ppid", str(master), "-o", "pid="], capture_output=True,
                              text=True).stdout.split()
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def _worker_rss(master: int) -> list[int]:
    children = subprocess.run(["ps", "--ppid", str(master), "-o", "rss="], capture_output=True,
                              text=True).stdout.split()
    return [int(kb) for kb in children]


if __name__ == "__main__":
    main()
