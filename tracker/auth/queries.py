"""Reads of accounts: the account a person names when logging in, an account by its username,
the account that already uses a username or phone number."""
from sqlalchemy import or_, select

from tracker.auth.models import User
from tracker.extensions import db


def find_account(login: str) -> User | None:
    """The account whose username or phone number is ``login``."""
    login = login.strip()
    return db.session.scalar(select(User).where(or_(User.username == login, User.phone == login)))


def account_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def account_using(username: str, phone: str | None) -> User | None:
    """An account that already has ``username``, or ``phone`` if one is given."""
    return db.session.scalar(select(User).where(
        (User.username == username) | ((User.phone == phone) if phone else False)))
