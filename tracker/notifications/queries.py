"""Reads of notifications: the unread badge on every page, the inbox, and who has been told
already."""
from collections.abc import Iterable

from sqlalchemy import bindparam, func, select

from tracker.auth.models import User
from tracker.core.cache import shared
from tracker.extensions import db
from tracker.notifications.models import Notification

UNREAD_SHOWN = 99
INBOX_PAGE = 30

_UNREAD_COUNT = select(func.count()).select_from(
    select(Notification.id)
    .where(Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))
    .limit(UNREAD_SHOWN + 1).subquery())

# The badge is on every page of its person and changes only when a notification of theirs is
# made or read (tracker.notifications.operations), so every worker shares it until then; the
# timeout bounds it should the shared cache have been unreachable when it changed.
UNREAD_CACHE_SECONDS = 600


def unread_count(user: User) -> int:
    """Unread notifications, up to 100 (the badge says "99+" beyond): a bounded index read
    rather than a count."""
    return shared(unread_cache_key(user.id), lambda: db.session.scalar(
        _UNREAD_COUNT, {"user_id": user.id}), timeout=UNREAD_CACHE_SECONDS)


def unread_cache_key(user_id: int) -> str:
    return f"unread notifications/{user_id}"


def inbox_page(user: User, page: int) -> tuple[list[Notification], bool]:
    """One page of ``user``'s notifications, newest first, and whether another page follows
    (one row more than shown tells, so nobody's inbox is counted)."""
    rows = list(db.session.scalars(select(Notification).where(
        Notification.user_id == user.id).order_by(Notification.id.desc())
        .limit(INBOX_PAGE + 1).offset((page - 1) * INBOX_PAGE)))
    return rows[:INBOX_PAGE], len(rows) > INBOX_PAGE


def notified_user_ids(key: str, user_ids: Iterable[int]) -> set[int]:
    """Of ``user_ids``, those who already have the notification ``key``."""
    return set(db.session.scalars(select(Notification.user_id).where(
        Notification.key == key, Notification.user_id.in_(user_ids))))


def unread_of(user: User, notification_id: int | None = None) -> list[Notification]:
    """``user``'s unread notifications (only ``notification_id``, if given)."""
    query = select(Notification).where(Notification.user_id == user.id,
                                       Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    return list(db.session.scalars(query))
