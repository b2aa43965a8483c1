"""Follow-up tasks (督办事项), their progress reports, and return visits (回访)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from tracker.auth.models import User
from tracker.cases.models import Case
from tracker.core.time import UTCDateTime, utcnow
from tracker.extensions import db
from tracker.places.models import Party


class FollowUpTask(db.Model):
    __tablename__ = "follow_up_tasks"
    __table_args__ = (
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_percent"),
        # The overdue filter and the reminders look for open tasks by deadline.
        Index("ix_follow_up_tasks_open_due", "done_at", "due_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    resolution_id: Mapped[int | None] = mapped_column(ForeignKey("resolutions.id"))
    responsible_party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    responsible_text: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text)
    # The tier it came from (tracker.voting.models.DeadlineTier values), or "date".
    tier: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Working-day tiers: when counting began, and whether a year counted in had no confirmed
    # arrangement yet (暂定); such a deadline is recomputed when the year is confirmed.
    counted_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    provisional: Mapped[bool] = mapped_column(default=False, server_default=false())
    progress: Mapped[int] = mapped_column(default=0)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship()
    responsible_party: Mapped[Party | None] = relationship()
    reports: Mapped[list[ProgressReport]] = relationship(back_populates="task",
                                                         order_by="ProgressReport.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def responsible(self) -> str:
        return self.responsible_party.name if self.responsible_party else self.responsible_text

    def overdue(self, now: datetime) -> bool:
        return self.done_at is None and self.due_at < now


class ProgressReport(db.Model):
    __tablename__ = "progress_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("follow_up_tasks.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text)
    progress: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    task: Mapped[FollowUpTask] = relationship(back_populates="reports")
    author: Mapped[User] = relationship()
    photos: Mapped[list[ProgressPhoto]] = relationship(order_by="ProgressPhoto.id")


class ProgressPhoto(db.Model):
    """A photo of the work, kept in the database so every app server can serve it."""
    __tablename__ = "progress_photos"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_reports.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))


class VisitMethod(enum.Enum):
    phone = "phone"
    home_visit = "home_visit"
    wechat = "wechat"


class Satisfaction(enum.Enum):
    satisfied = "satisfied"                      # 满意
    basically_satisfied = "basically_satisfied"  # 基本满意
    unsatisfied = "unsatisfied"                  # 不满意


class ReturnVisit(db.Model):
    """回访: asking the resident whether it is fixed. Unsatisfied keeps the case open."""
    __tablename__ = "return_visits"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    method: Mapped[VisitMethod] = mapped_column(db.Enum(VisitMethod, native_enum=False,
                                                        length=16))
    satisfaction: Mapped[Satisfaction] = mapped_column(db.Enum(Satisfaction, native_enum=False,
                                                               length=24), index=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    visited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    visited_by: Mapped[User] = relationship()
