"""The app as bench/run serves it: 50 cases a page, plus the ceiling route.

The ceiling (``GET /bench/ceiling``) is a page of about 2 KB from the same app and stack with no
database access: every page's requests per second are reported as a share of it. It exists only
in this module, which production never loads (it serves ``wsgi:app``).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's tracker

from flask import Blueprint, Response  # noqa: E402

from tracker import create_app  # noqa: E402

CEILING_BODY = ("<!doctype html><html lang=zh><title>ceiling</title><body>"
                + "<p>三方联动议事台 benchmark ceiling.</p>" * 50 + "</body></html>")

bench = Blueprint("bench", __name__, url_prefix="/bench")


@bench.route("/ceiling")
def ceiling() -> Response:
    return Response(CEILING_BODY, mimetype="text/html")


app = create_app({"CASES_PER_PAGE": 50, "BENCH": True})
app.register_blueprint(bench)
