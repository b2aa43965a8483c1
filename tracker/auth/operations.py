"""What accounts change outside the administration pages: a login, a logout here or everywhere,
a person's own new password, an account made from the command line — each in the audit log. None
commits; the page or command does, once. (Administrators change accounts through
:mod:`tracker.admin.operations`.)"""
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from tracker.audit.operations import log
from tracker.auth.models import EndedLogin, User
from tracker.core.time import utcnow
from tracker.extensions import db


@dataclass
class ApiTokenHooks:
    """How a password change reaches a person's API tokens without auth importing the API (a
    feature above it), which fills these in when it starts (tracker.api.tokens_section)."""
    active_count: Callable[[User], int] = lambda user: 0
    # Revoke all of the person's active tokens, audited; → how many there were.
    revoke_all: Callable[[User], int] = lambda user: 0


API_TOKENS = ApiTokenHooks()


def record_login(user: User, address: str | None, remember: bool) -> None:
    """Note in the audit log that ``user`` logged in from ``address`` (to stay logged in on that
    device if ``remember``)."""
    log(user, "user", user.id, "login", data={"ip": address, "remember": remember})


def end_login(user: User) -> None:
    """Log ``user`` out of the login they stand for in this request: its session and remember-me
    cookies, and any copy of them, are refused from now on. Their other logins go on."""
    now = utcnow()
    # An expired login is refused anyway: no need to remember that it ended.
    db.session.execute(delete(EndedLogin).where(EndedLogin.expires_at <= now))
    login, user.current_login = user.current_login, None
    if login is not None and login.expires_at > now:
        try:
            with db.session.begin_nested():
                db.session.add(EndedLogin(nonce=login.nonce, user_id=user.id,
                                          expires_at=login.expires_at))
        except IntegrityError:
            pass  # ended a moment ago by the same cookie (a logout button clicked twice)
    log(user, "user", user.id, "logout")


def end_all_logins(user: User) -> None:
    """Log ``user`` out everywhere: every session and remember-me cookie of theirs ends with the
    old epoch, this device's included."""
    user.session_epoch += 1
    user.current_login = None
    log(user, "user", user.id, "logout_everywhere")


def change_password(user: User, new_password: str, *, revoke_api_tokens: bool) -> int:
    """Set ``user``'s own new password. Every session and remember-me cookie of theirs ends with
    the old epoch (the page logs the one changing it in again); their API tokens are revoked too
    if ``revoke_api_tokens``. Returns how many tokens were revoked."""
    user.set_password(new_password)
    revoked = API_TOKENS.revoke_all(user) if revoke_api_tokens else 0
    log(user, "user", user.id, "change_password", data={"api_tokens_revoked": revoked})
    return revoked


def create_account(*, username: str, name: str, phone: str | None, is_admin: bool,
                   password: str) -> User:
    """A new account (``flask users create``)."""
    user = User(username=username, name=name, phone=phone, is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user
