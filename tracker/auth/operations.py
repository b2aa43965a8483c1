"""What accounts change outside the administration pages: a login noted in the audit log, a
person's own new password, an account made from the command line. None commits; the page or
command does, once. (Administrators change accounts through :mod:`tracker.admin.operations`.)"""
from tracker.audit.operations import log
from tracker.auth.models import User
from tracker.extensions import db


def record_login(user: User, address: str | None) -> None:
    """Note in the audit log that ``user`` logged in from ``address``."""
    log(user, "user", user.id, "login", data={"ip": address})


def change_password(user: User, new_password: str) -> None:
    """Set ``user``'s own new password; their other sessions end with the old epoch."""
    user.set_password(new_password)
    log(user, "user", user.id, "change_password")


def create_account(*, username: str, name: str, phone: str | None, is_admin: bool,
                   password: str) -> User:
    """A new account (``flask users create``)."""
    user = User(username=username, name=name, phone=phone, is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user
