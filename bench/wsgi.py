"""The app as bench/run serves it: 50 cases a page, plus the ceiling route.

The ceiling (``GET /bench/ceiling``) is a page of about 2 KB from the same app and stack with no
database access: every page's requests per second are reported as a share of it. Two floors,
``/bench/logged-in`` and ``/bench/layout``, measure what any logged-in page costs first. It exists only
in this module, which production never loads (it serves ``wsgi:app``).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's tracker

from flask import Blueprint, Response, render_template  # noqa: E402
from flask_login import current_user  # noqa: E402

from tracker.core.session import reads_only  # noqa: E402
from tracker.serving import app_for_serving  # noqa: E402

CEILING_BODY = ("<!doctype html><html lang=zh><title>ceiling</title><body>"
                + "<p>三方联动议事台 benchmark ceiling.</p>" * 50 + "</body></html>")

bench = Blueprint("bench", __name__, url_prefix="/bench")


@bench.route("/ceiling")
def ceiling() -> Response:
    return Response(CEILING_BODY, mimetype="text/html")


# Floors (``bench/run --floors``): what every logged-in page pays before its own work, so a
# page's share of the ceiling can be read against what is left for it.
@bench.route("/logged-in")
@reads_only
def logged_in() -> Response:
    """The ceiling's page after reading the session's person (one query)."""
    return Response(CEILING_BODY if current_user.is_authenticated else "", mimetype="text/html")


@bench.route("/layout")
@reads_only
def layout() -> str:
    """The page layout with nothing in it: menu, language switch, unread badge."""
    return render_template("base.html")


app = app_for_serving({"CASES_PER_PAGE": 50, "BENCH": True})
app.register_blueprint(bench)
