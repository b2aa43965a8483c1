"""The session's person is read as plain columns and made into the ORM object by hand
(tracker.auth.loader._read_person): it must be what a query would have given."""
from sqlalchemy import inspect, select

from tracker.auth import scope
from tracker.auth.models import User
from tracker.extensions import login_manager


def _load(app, user_id_text):
    with app.test_request_context():
        return login_manager._user_callback(user_id_text)


def test_the_person_is_a_loaded_persistent_object(world, app, db):
    liaison = world.liaison
    expected = {column: getattr(liaison, column)
                for column in ("id", "username", "phone", "name", "password_hash", "active",
                               "is_admin", "created_at", "session_epoch")}
    session_id = liaison.get_id()
    db.session.expunge_all()  # a request's own session holds nobody yet

    user = _load(app, session_id)

    assert {column: getattr(user, column) for column in expected} == expected
    state = inspect(user)
    assert state.persistent and not state.modified and not state.expired_attributes
    assert [a.compound_id for a in user.liaison_assignments]  # relationships load
    # A change to the person is saved like any other.
    user.name = "胡绍移（新）"
    db.session.commit()
    db.session.expunge_all()
    assert db.session.scalar(select(User.name).where(User.id == expected["id"])) == "胡绍移（新）"


def test_the_session_s_own_object_is_the_person(world, app, db):
    """As a query returns the object the session holds, so does the loader."""
    assert _load(app, world.liaison.get_id()) is world.liaison


def test_a_change_not_yet_written_counts(world, app, db):
    """A query writes the session's pending changes first; so does the loader (the facts
    read with the person come from the database)."""
    session_id = world.liaison.get_id()
    for assignment in world.liaison.liaison_assignments:
        db.session.delete(assignment)  # not committed
    with app.test_request_context():
        user = login_manager._user_callback(session_id)
        assert not scope.roles(user).liaison
    db.session.rollback()
    with app.test_request_context():
        assert scope.roles(login_manager._user_callback(session_id)).liaison


def test_an_unknown_or_ended_session_is_nobody(world, app, db):
    user = world.liaison
    assert _load(app, f"{user.id + 1000}:{user.session_epoch}") is None
    assert _load(app, f"{user.id}:{user.session_epoch + 1}") is None
    assert _load(app, "nonsense") is None
