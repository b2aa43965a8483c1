"""What bench/page_profile.py and bench/instructions.py share: which page, as whom, and a Flask
test client logged in as that person on a database bench/run built (its logins file)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_page_arguments(parser: argparse.ArgumentParser, logins: str) -> None:
    """The page, whose login, and the logins file (``logins`` by default)."""
    parser.add_argument("path", help="the page, e.g. /cases/?state=follow_up")
    parser.add_argument("--as", dest="who", default="liaison",
                        help="whose login from the logins file (default: liaison)")
    parser.add_argument("--logins", default=logins,
                        help="the logins file bench/run wrote for the database")


def logged_in_client(app, logins_file: str, who: str):
    """A test client of ``app`` logged in as ``who`` (password demo2026), CSRF checks off."""
    app.config["WTF_CSRF_ENABLED"] = False
    logins = json.loads(Path(logins_file).read_text())
    client = app.test_client()
    if client.post("/login", data={"login": logins[who], "password": "demo2026"}) \
            .status_code != 302:
        sys.exit(f"could not log in as {who}")
    return client
