"""Fixtures: ``app``, ``db``, ``client``, ``login_as``, and a small world of places and people.

The suite runs on SQLite by default and on PostgreSQL when ``TEST_DATABASE_URL`` is set.
"""
import atexit
import html
import os
import re
import shutil
import tempfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask import g, has_app_context
from hypothesis import settings
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from tests.factories import World, make_world
from tracker import create_app
from tracker.documents.signing import ensure_demo_identity
from tracker.extensions import db as _db
from tracker.extensions import limiter

# Property-based tests (the fuzz tests above all): a quick run by default, 200 examples per form
# and API operation in CI (HYPOTHESIS_PROFILE=ci). Derandomized so that a CI failure repeats.
settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True,
                          print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
CLOCK = pytest.StashKey()

# Every app a test makes, in this process or a child, shares answers in a folder of the run's
# own, never in the checkout's instance/cache.
if "CACHE_DIR" not in os.environ:
    os.environ["CACHE_DIR"] = tempfile.mkdtemp(prefix="tracker-test-cache-")
    atexit.register(shutil.rmtree, os.environ["CACHE_DIR"], True)


def pytest_addoption(parser):
    parser.addoption("--clock", metavar="WHEN", help=(
        "run with the clock moved to WHEN, Beijing time (e.g. 2027-02-10 or 2027-12-31T23:30), "
        "ticking from there: the suite must pass on any date of any year"))


def pytest_configure(config):
    when = config.getoption("--clock")
    if when:
        moment = datetime.fromisoformat(when)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
        config.stash[CLOCK] = time_machine.travel(moment, tick=True)
        config.stash[CLOCK].start()


def pytest_unconfigure(config):
    if CLOCK in config.stash:
        config.stash[CLOCK].stop()


def pytest_report_header(config):
    when = config.getoption("--clock")
    return f"clock moved to {when} (Beijing time)" if when else None


class Client(FlaskClient):
    """A test client that fills in a valid CSRF token unless the test passes its own."""

    def open(self, *args, **kwargs):
        # Requests share the test's application context, and so its ``g``; start each with an
        # empty ``g`` as a real request does, or the previous request's logged-in user, language
        # and CSRF check would carry over to this one (Flask-Login keeps the user in ``g``).
        if has_app_context():
            for name in list(vars(g)):
                delattr(g, name)
        method = kwargs.get("method", "GET").upper()
        data = kwargs.get("data")
        if method == "POST" and data is None and "json" not in kwargs:
            data = {}
        if method == "POST" and isinstance(data, dict) and "csrf_token" not in data:
            kwargs["data"] = {**data, "csrf_token": self.csrf_token()}
        return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        app = self.application
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", "test-raw-csrf-token-0123456789abcdef")
        return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL") or \
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    identity = ensure_demo_identity(tmp_path_factory.mktemp("signing"))
    app = create_app({
        "SIGNING_CERT": str(identity.cert_path),
        "SIGNING_KEY": str(identity.key_path),
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret",
        "MAX_PHOTO_BYTES": 200 * 1024,
        "CASES_PER_PAGE": 5,
        # One app serves every test: figures kept from one test's database would show in the
        # next. tests/test_oversight_cache.py turns it on.
        "DASHBOARD_CACHE_SECONDS": 0,
        # The shared cache as a deployment has it by default: files every worker reads.
        "CACHE_TYPE": "FileSystemCache",
        "CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
    })
    app.test_client_class = Client
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        fill_working_calendar()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


# The working calendar as `db upgrade` fills it (every year the holidays library carries) is
# kept from test to test, as a deployment keeps it; a test that changes it gets it back filled.
CALENDAR_TABLES = {"calendar_years", "calendar_days"}
_FILLED_CALENDAR: list = [None]


def _calendar_fingerprint() -> tuple:
    from sqlalchemy import func, select

    from tracker.workcalendar.models import CalendarDay, CalendarYear
    years = _db.session.execute(select(func.count(), func.coalesce(func.sum(
        CalendarYear.version), 0))).one()
    days = _db.session.scalar(select(func.count()).select_from(CalendarDay))
    _db.session.rollback()
    return (*years, days)


def fill_working_calendar() -> None:
    from tracker.audit.models import AuditEvent
    from tracker.workcalendar.operations import fill_from_library
    fill_from_library(None)
    _db.session.execute(AuditEvent.__table__.delete())  # tests start with an empty audit log
    _db.session.commit()
    _FILLED_CALENDAR[0] = _calendar_fingerprint()


@pytest.fixture
def db(app):
    """The database, emptied after each test (faster than recreating the schema)."""
    ctx = app.app_context()
    ctx.push()
    yield _db
    _db.session.rollback()
    _db.session.remove()
    calendar_changed = _calendar_fingerprint() != _FILLED_CALENDAR[0]
    with _db.engine.begin() as connection:
        for table in reversed(_db.metadata.sorted_tables):
            if calendar_changed or table.name not in CALENDAR_TABLES:
                connection.execute(table.delete())
    if calendar_changed:
        fill_working_calendar()
    ctx.pop()
    limiter.reset()
    # What the workers share (badges, PDFs, dashboard figures, by id) must not outlive the
    # test's database: the next test's rows reuse the ids.
    from tracker.core.cache import clear_all
    with app.app_context():
        clear_all()


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def login_as(client):
    """Log the client in as a user without going through the login form."""
    def login(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return client
    return login


def form_errors(html: str) -> list[str]:
    """The error messages shown next to fields."""
    return re.findall(r'<ul class="errors"[^>]*>\s*<li>(.*?)</li>', html, re.S)


# --- helpers for reading pages -------------------------------------------------------------

def page_text(response) -> str:
    """The page's HTML with entities decoded (``The form&#39;s`` → ``The form's``)."""
    return html.unescape(response.get_data(as_text=True))


def field_errors(page: str) -> dict[str, list[str]]:
    """The error messages shown next to each field, by field id (see ``render_field``)."""
    return {field_id: [html.unescape(m) for m in re.findall(r"<li>(.*?)</li>", items, re.S)]
            for field_id, items in re.findall(
                r'<ul class="errors" id="([\w-]+)-error">(.*?)</ul>', page, re.S)}


def input_value(page: str, name: str) -> str | None:
    """The value a text or hidden input is filled with, or a textarea's text."""
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    if tag:
        value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
        return html.unescape(value.group(1)) if value else ""
    area = re.search(rf'<textarea[^>]*\bname="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(area.group(1)).lstrip("\r\n") if area else None


def shown(message, **variables) -> str:
    """``message`` as the default (Chinese) page shows it: translated once the catalogue has it.

    Tests compare against this rather than a literal so filling in the catalogue keeps them green.
    """
    from flask import current_app
    from flask_babel import gettext
    with current_app.test_request_context():
        return str(gettext(str(message), **variables)) if isinstance(message, str) \
            else str(message)


@pytest.fixture
def statements(app, db):
    """Every SQL statement sent while the fixture is active, as a list of strings."""
    from sqlalchemy import event
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(_db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(_db.engine, "before_cursor_execute", record)


def pytest_terminal_summary(terminalreporter):
    """Say how big the route permission matrix is (test_route_matrix.py), when it ran."""
    import sys
    matrix = sys.modules.get("tests.test_route_matrix")
    passed = [r for r in terminalreporter.stats.get("passed", [])
              if "test_route_matrix.py::test_route[" in r.nodeid]
    if matrix is None or not passed or matrix.SIZE is None:
        return
    routes, rows, roles, share = matrix.SIZE
    failed = [r for r in terminalreporter.stats.get("failed", [])
              if "test_route_matrix.py::test_route[" in r.nodeid]
    terminalreporter.write_line(
        f"route matrix: {routes} routes (rule × method) in {rows} rows × {roles} roles = "
        f"{rows * roles:,} checks, {share:.0%} of the URL map; "
        f"{len(passed):,} passed, {len(failed):,} failed")


@pytest.fixture
def bearer(db):
    """``bearer(user)`` → the Authorization header of a new API token of ``user``."""
    from tracker.api.tokens import create_token

    def make(user) -> dict[str, str]:
        _record, token = create_token(user, "test")
        _db.session.commit()
        return {"Authorization": f"Bearer {token}"}
    return make


# --- fixtures more than one test module uses ---------------------------------------------------

@pytest.fixture
def case_in_follow_up(world):
    """A case in follow-up with one task (tests.vote_factories.case_in_follow_up)."""
    from tests import vote_factories
    return vote_factories.case_in_follow_up(world)


@pytest.fixture
def cheap_passwords(app, world, monkeypatch):
    """Password checks at a fraction of scrypt's cost: the login, password, signing and paper
    ballot forms check one in most examples."""
    from werkzeug.security import generate_password_hash

    from tests.factories import PASSWORD
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "pbkdf2:sha256:1")
    cheap = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
    for user in world.users.values():
        user.password_hash = cheap
    _db.session.commit()
