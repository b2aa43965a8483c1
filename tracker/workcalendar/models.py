"""The working calendar the district keeps: each year's official arrangement, day by day."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.time import UTCDateTime, utcnow
from tracker.extensions import db
from tracker.workcalendar.rules import DayKind


class YearSource(enum.Enum):
    library = "library"  # filled from the holidays library, which carried the notice
    manual = "manual"    # entered or corrected by a district official or an administrator


class CalendarYear(db.Model):
    """A year's arrangement (放假安排). Until ``confirmed_at`` is set the year's deadlines are
    counted provisionally; once set, the year's days below decide, not the library."""
    __tablename__ = "calendar_years"
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[YearSource] = mapped_column(db.Enum(YearSource, native_enum=False, length=16))
    # The State Council notice: 国务院办公厅关于2027年部分节假日安排的通知, 国办发明电〔2026〕N号.
    notice_title: Mapped[str] = mapped_column(String(200), default="")
    notice_number: Mapped[str] = mapped_column(String(60), default="")
    library_version: Mapped[str] = mapped_column(String(20), default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    updated_by = relationship("User")
    days: Mapped[list[CalendarDay]] = relationship(order_by="CalendarDay.day",
                                                   cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class CalendarDay(db.Model):
    """A day that differs from a plain week (or a festival day off on a weekend). One row a
    date: the primary key keeps a date from being entered twice."""
    __tablename__ = "calendar_days"
    day: Mapped[date] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(ForeignKey("calendar_years.year"), index=True)
    kind: Mapped[DayKind] = mapped_column(db.Enum(DayKind, native_enum=False, length=8))
    name: Mapped[str] = mapped_column(String(60), default="")
