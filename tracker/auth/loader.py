import functools

from flask import Flask, current_app, request, session
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from tracker.auth import scope
from tracker.auth.models import User
from tracker.core.reading import read_rows
from tracker.extensions import db, login_manager

_PERSON_COLUMNS = tuple(column.key for column in inspect(User).column_attrs)


@functools.cache
def _person_statement():
    # Every logged-in request reads its person, with the facts every page asks (the menu's
    # roles, the unread badge) in the same statement. Built once, on the first request, when
    # every feature has said what it reads with the person; building it anew each time cost
    # more than running it.
    return scope.person_statement(*(getattr(User, key) for key in _PERSON_COLUMNS))


def _read_person(user_id: int) -> tuple[User, tuple] | None:
    """The person and the facts read with them, or ``None`` if there is no such person.

    Read as plain columns and made into the ORM object here: SQLAlchemy's own loading cost
    ~0.1 ms more on every logged-in request (building its row processor), for one row. The
    object is what a query would have given: persistent in the session, as if freshly loaded
    (``make_transient_to_detached``), or the one the session already holds."""
    if db.session.autoflush:
        db.session.flush()  # as a query would first, for what this request changed already
    rows = read_rows(_person_statement(), {"user_id": user_id})
    if not rows:
        return None
    row, columns = rows[0], len(_PERSON_COLUMNS)
    user = db.session.identity_map.get(identity_key(User, user_id))
    if user is None:
        user = inspect(User).class_manager.new_instance()
        user.__dict__.update(zip(_PERSON_COLUMNS, row[:columns]))
        make_transient_to_detached(user)
        db.session.add(user)
    return user, row[columns:]


def parse_session_id(session_id: str) -> tuple[int, int] | None:
    """``"id:epoch"`` (:meth:`User.get_id`) as two numbers; ``None`` if it is not that."""
    user_id, _, epoch = session_id.partition(":")
    if not user_id.isdigit() or not epoch.isdigit():
        return None
    return int(user_id), int(epoch)


def login_in_session() -> tuple[int, int] | None:
    """The person id and session epoch this request's session cookie carries, unchecked; for
    a view that checks them in its own statement (:func:`checks_login_itself`). ``None`` when
    the session carries no login (anonymous, or only a "stay logged in" cookie): the view then
    asks ``current_user`` as every other view does."""
    if current_app.config.get("SESSION_PROTECTION", login_manager.session_protection) \
            == "strong":
        return None  # "strong" ends a session seen from another browser: Flask-Login must look
    session_id = session.get("_user_id")
    return parse_session_id(session_id) if isinstance(session_id, str) else None


def checks_login_itself(view):
    """Mark a view that reads the person's id and epoch from :func:`login_in_session` and
    checks them (account active, epoch current) in the one statement it runs, instead of
    loading the person first: its blueprint's login check then leaves it alone. The view must
    fall back to ``current_user`` (and the login page) whenever its statement finds nothing.

    Only for the most fetched, smallest reads (the stored minutes PDF): loading the person is
    most of their cost."""
    view.checks_login_itself = True
    return view


def login_checked_by_view() -> bool:
    """Whether this request's view is marked with :func:`checks_login_itself`."""
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "checks_login_itself", False)


def configure_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        # "id:epoch": a password change or deactivation bumps the epoch and ends old sessions.
        login = parse_session_id(session_id)
        if login is None:
            return None
        user_id, epoch = login
        found = _read_person(user_id)
        if found is None:
            return None
        user, facts = found
        if not user.active or user.session_epoch != epoch:
            return None
        scope.keep_person_facts(user, facts)
        return user
