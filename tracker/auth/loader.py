import functools

from flask import Flask
from flask_babel import lazy_gettext as _l

from tracker.auth import scope
from tracker.auth.models import User
from tracker.extensions import db, login_manager


@functools.cache
def _person_statement():
    # Every logged-in request reads its person, with the facts every page asks (the menu's
    # roles, the unread badge) in the same statement. Built once, on the first request, when
    # every feature has said what it reads with the person; building it anew each time cost
    # more than running it.
    return scope.person_statement()


def configure_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        # "id:epoch": a password change or deactivation bumps the epoch and ends old sessions.
        user_id, _, epoch = session_id.partition(":")
        if not user_id.isdigit() or not epoch.isdigit():
            return None
        row = db.session.execute(_person_statement(), {"user_id": int(user_id)}).first()
        if row is None:
            return None
        user = row[0]
        if not user.active or user.session_epoch != int(epoch):
            return None
        scope.keep_person_facts(user, row[1:])
        return user
