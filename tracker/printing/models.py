"""A bulk print of signed minutes, prepared in the background while the browser shows progress.

The job lives in the database, not in a worker's memory, so any app server can report its
progress and hand out the result.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from tracker.auth.models import User
from tracker.core.time import UTCDateTime, utcnow
from tracker.extensions import db


class PrintFormat(enum.Enum):
    merged_pdf = "merged_pdf"  # one PDF to print in one go (the signatures do not survive merging)
    zip = "zip"                # the signed PDFs as issued, each still verifiable


class PrintState(enum.Enum):
    queued = "queued"
    running = "running"
    finished = "finished"
    failed = "failed"


class PrintJob(db.Model):
    __tablename__ = "print_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    format: Mapped[PrintFormat] = mapped_column(db.Enum(PrintFormat, native_enum=False,
                                                        length=16))
    meeting_ids: Mapped[list] = mapped_column(JSON)
    total: Mapped[int]
    done: Mapped[int] = mapped_column(default=0)
    state: Mapped[PrintState] = mapped_column(db.Enum(PrintState, native_enum=False, length=16),
                                              default=PrintState.queued)
    error: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(String(200), default="")
    result: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    size: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Written with every step (each PDF commits): a queued or running job that has not moved
    # for a long time lost its worker (tracker.printing.jobs.settle_if_abandoned).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
