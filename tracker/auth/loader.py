"""Who a request comes from: the person of the session cookie, checked on every request."""
from flask import Flask

from tracker.auth.models import User
from tracker.core.i18n import lazy_gettext as _l
from tracker.extensions import db, login_manager


def parse_session_id(session_id: str) -> tuple[int, int] | None:
    """``"id:epoch"`` (:meth:`User.get_id`) as two numbers; ``None`` if it is not that."""
    user_id, _, epoch = session_id.partition(":")
    if not user_id.isdigit() or not epoch.isdigit():
        return None
    return int(user_id), int(epoch)


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
        user = db.session.get(User, user_id)
        if user is None or not user.active or user.session_epoch != epoch:
            return None
        return user
