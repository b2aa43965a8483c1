"""Reads of accounts: the account a person names when logging in (and whether the password is
its password), the account a session names, an account by its username, the account that already
uses a username or phone number."""
from sqlalchemy import or_, select

from tracker.auth.models import EndedLogin, User
from tracker.auth.passwords import match_no_account
from tracker.extensions import db


def find_account(login: str) -> User | None:
    """The account whose username or phone number is ``login``."""
    login = login.strip()
    return db.session.scalar(select(User).where(or_(User.username == login, User.phone == login)))


def account_with_password(login: str, password: str) -> User | None:
    """The account ``login`` names if ``password`` is its password (deactivated or not), else
    ``None``. One password check either way, also when no account has that name."""
    user = find_account(login)
    if user is None:
        match_no_account(password)
        return None
    return user if user.check_password(password) else None


def account_of_session(user_id: int, epoch: int, nonce: str) -> User | None:
    """The active account ``user_id`` if its epoch is still ``epoch`` and its login ``nonce`` was
    not ended by logging out (one statement, on every request that asks who is logged in)."""
    ended = select(EndedLogin.nonce).where(EndedLogin.nonce == nonce).exists()
    return db.session.scalar(select(User).where(User.id == user_id, User.active,
                                                User.session_epoch == epoch, ~ended))


def account_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def account_using(username: str, phone: str | None) -> User | None:
    """An account that already has ``username``, or ``phone`` if one is given."""
    return db.session.scalar(select(User).where(
        (User.username == username) | ((User.phone == phone) if phone else False)))
