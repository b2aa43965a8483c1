"""In-app notifications (the notification centre)."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.core.time import UTCDateTime, utcnow
from tracker.extensions import db


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # One notification per person and reason: a reminder sent again is not sent twice.
        UniqueConstraint("user_id", "key"),
        Index("ix_notifications_user_unread", "user_id", "read_at", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(String(500))
    link: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
