"""Reads of notifications: the unread badge on every page."""
from sqlalchemy import bindparam, func, select

from tracker.auth.models import User
from tracker.core.cache import shared
from tracker.extensions import db
from tracker.notifications.models import Notification

UNREAD_SHOWN = 99

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
