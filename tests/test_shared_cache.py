"""The shared cache is one for every worker: what a write changes through one worker, the other
worker's next request shows. Two apps on one database and one cache folder stand for the two
workers ``make demo`` starts."""
import os
import re

import pytest

from tests.helpers.logins import client_logged_in
from tracker import create_app
from tracker.core import cache
from tracker.notifications.operations import notify


@pytest.fixture
def other_worker(app):
    """A second worker of the same deployment: same settings, database and cache folder."""
    worker = create_app({key: app.config[key] for key in (
        "SIGNING_CERT", "SIGNING_KEY", "TESTING", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY",
        "CACHE_TYPE", "CACHE_DIR")})
    worker.test_client_class = app.test_client_class
    yield worker
    with worker.app_context():
        from tracker.extensions import db
        db.session.remove()
        db.engine.dispose()


def _badge(client) -> str | None:
    response = client.get("/cases/")
    assert response.status_code == 200
    found = re.search(r'<span class="count">(\d+\+?)</span>', response.get_data(as_text=True))
    return found.group(1) if found else None


def test_a_notification_made_through_one_worker_shows_on_the_others_next_page(
        world, db, app, other_worker):
    mine = client_logged_in(app, world.liaison)
    theirs = client_logged_in(other_worker, world.liaison)
    assert _badge(mine) is None and _badge(theirs) is None  # both shared "none unread"

    notify([world.liaison], "test:1", "议题已排上联席会议")  # as a request of worker one would
    db.session.commit()
    assert _badge(theirs) == "1"
    assert _badge(mine) == "1"


def test_reading_through_one_worker_clears_the_badge_on_the_other(world, db, app,
                                                                  other_worker):
    notify([world.liaison], "test:1", "议题已排上联席会议")
    db.session.commit()
    mine = client_logged_in(app, world.liaison)
    theirs = client_logged_in(other_worker, world.liaison)
    assert _badge(theirs) == "1"

    assert mine.post("/notifications/read", data={}).status_code == 302
    assert _badge(theirs) is None


def test_a_write_that_is_rolled_back_forgets_nothing(world, db, app):
    key = f"unread notifications/{world.liaison.id}"
    cache.share(key, 7)
    notify([world.liaison], "test:1", "议题已排上联席会议")  # would forget it on commit
    db.session.rollback()
    db.session.commit()
    assert cache.peek_shared(key) == 7


def test_an_unreachable_shared_cache_costs_the_answer_not_the_page(world, db, app, login_as,
                                                                   monkeypatch):
    def unreachable(*_args, **_kwargs):
        raise ConnectionError("Redis is restarting")

    monkeypatch.setattr(cache.cache, "get", unreachable)
    monkeypatch.setattr(cache.cache, "set", unreachable)
    notify([world.liaison], "test:1", "议题已排上联席会议")
    db.session.commit()
    assert _badge(login_as(world.liaison)) == "1"


def test_request_cached_answers_once_per_request_and_afresh_in_the_next(app):
    asked = []

    @cache.request_cached
    def answer(number):
        asked.append(number)
        return number * 2

    with app.test_request_context():
        assert answer(2) == 4 and answer(2) == 4 and answer(3) == 6
    with app.test_request_context():
        assert answer(2) == 4
    assert asked == [2, 3, 2]
    answer(2)  # outside a request: asked every time
    assert asked == [2, 3, 2, 2]


def test_a_cache_that_outlives_its_database_never_answers_for_another(app, db, tmp_path):
    """A database recreated or replaced beside the same cache folder (or two deployments on one
    Redis) starts with nothing shared."""
    other = create_app({key: app.config[key] for key in (
        "SIGNING_CERT", "SIGNING_KEY", "TESTING", "SECRET_KEY", "CACHE_TYPE", "CACHE_DIR")}
        | {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'another.sqlite'}"})
    with app.app_context():
        cache.share("unread notifications/1", 7)
        assert cache.peek_shared("unread notifications/1") == 7
    with other.app_context():
        assert cache.peek_shared("unread notifications/1") is None


def test_an_unwritable_cache_folder_shares_nothing_and_the_app_works(app, tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        worker = create_app({key: app.config[key] for key in (
            "SIGNING_CERT", "SIGNING_KEY", "TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI")}
            | {"CACHE_TYPE": "FileSystemCache", "CACHE_DIR": str(folder)})
        with worker.app_context():
            assert cache.shared("an answer", lambda: 42) == 42
            assert cache.peek_shared("an answer") is None or os.geteuid() == 0
    finally:
        folder.chmod(0o700)
