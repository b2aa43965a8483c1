"""Who a request comes from: the person and login of the session or remember-me cookie, checked
on every request."""
from flask import Flask

from tracker.auth.models import User, parse_session_id
from tracker.auth.queries import account_of_session
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.time import utcnow
from tracker.extensions import login_manager


def configure_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        # "id:epoch:expires:nonce" (User.get_id): refused once the login has expired, was ended
        # by logging out, or the person's epoch moved on (password change, deactivation, "log
        # out everywhere").
        parsed = parse_session_id(session_id)
        if parsed is None:
            return None
        user_id, epoch, login = parsed
        if login.expires_at <= utcnow():
            return None
        user = account_of_session(user_id, epoch, login.nonce)
        if user is not None:
            user.current_login = login
        return user
