"""Fixtures: ``app``, ``db``, ``client``, ``login_as``, and a small world of places and people.

The suite runs on SQLite by default and on PostgreSQL when ``TEST_DATABASE_URL`` is set.
"""
import os
import re

import pytest
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from tests.factories import World, make_world
from tracker import create_app
from tracker.extensions import db as _db
from tracker.extensions import limiter


class Client(FlaskClient):
    """A test client that fills in a valid CSRF token unless the test passes its own."""

    def open(self, *args, **kwargs):
        method = kwargs.get("method", "GET").upper()
        data = kwargs.get("data")
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
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret",
        "MAX_PHOTO_BYTES": 200 * 1024,
        "CASES_PER_PAGE": 5,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })
    app.test_client_class = Client
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """The database, emptied after each test (faster than recreating the schema)."""
    ctx = app.app_context()
    ctx.push()
    yield _db
    _db.session.rollback()
    _db.session.remove()
    with _db.engine.begin() as connection:
        for table in reversed(_db.metadata.sorted_tables):
            connection.execute(table.delete())
    ctx.pop()
    limiter.reset()


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
