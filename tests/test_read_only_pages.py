"""Pages marked ``reads_only`` read without a transaction on PostgreSQL, and cannot write.

(tracker/core/session.py: the transaction's BEGIN and ROLLBACK were round trips of their own.)
"""
import pytest

from tracker.core.session import ReadOnlyViolation, in_read_only_request
from tracker.notifications.models import Notification


def _autocommit(app, db, method: str, path: str) -> bool:
    db.session.remove()
    with app.test_request_context(path, method=method):
        try:
            return db.session.connection().connection.driver_connection.autocommit
        finally:
            db.session.remove()


def test_a_read_only_page_runs_without_a_transaction_on_postgresql(app, db, world):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite opens no transaction for reads anyway")
    assert _autocommit(app, db, "GET", "/cases/") is True
    # The same address posted, and a page not marked, keep their transaction.
    assert _autocommit(app, db, "POST", "/cases/") is False
    assert _autocommit(app, db, "GET", "/cases/new") is False


def test_the_marked_pages_are_the_read_only_ones(app):
    for path in ("/cases/", "/cases/1", "/meetings/", "/meetings/1", "/oversight/",
                 "/meetings/1/minutes.pdf"):
        with app.test_request_context(path):
            assert in_read_only_request(), path
    for method, path in (("GET", "/cases/new"), ("POST", "/cases/1/edit"),
                         ("GET", "/notifications/")):
        with app.test_request_context(path, method=method):
            assert not in_read_only_request(), path


def test_a_read_only_page_that_writes_is_refused(app, db, world):
    liaison_id = world.liaison.id
    db.session.remove()
    with app.test_request_context("/cases/"):
        db.session.add(Notification(user_id=liaison_id, key="test", text="x"))
        with pytest.raises(ReadOnlyViolation):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(ReadOnlyViolation):
            db.session.execute(Notification.__table__.delete())
        db.session.rollback()
    db.session.remove()
    assert db.session.query(Notification).count() == 0
