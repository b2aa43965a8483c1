"""Resolutions and the votes that decide them (DESIGN §5).

Every vote keeps what is needed to recompute its result years later: the eligible voters (or the
unit register) as they were when it opened, every ballot with its history, the rule applied and
the computed figures.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.cases.models import Case
from tracker.core.time import UTCDateTime, utcnow
from tracker.extensions import db
from tracker.places.models import Party, Unit


class DecidingBody(enum.Enum):
    owners_committee = "owners_committee"          # 业主委员会
    management_committee = "management_committee"  # 物业管理委员会
    owners_assembly = "owners_assembly"            # 业主共同决定 (民法典 art. 278)


class DeadlineTier(enum.Enum):
    """Beijing 接诉即办 practice (DESIGN §6)."""
    urgent = "urgent"          # 2 hours
    one_day = "one_day"        # 24 hours: water, power, gas, heating
    general = "general"        # 7 working days
    complex = "complex"        # 15 working days


class VoteState(enum.Enum):
    open = "open"
    closed = "closed"


class Resolution(db.Model):
    """The decision proposed for a case at a held meeting."""
    __tablename__ = "resolutions"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    responsible_party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    responsible_text: Mapped[str] = mapped_column(String(120), default="")
    deadline_tier: Mapped[DeadlineTier] = mapped_column(
        db.Enum(DeadlineTier, native_enum=False, length=16))
    body: Mapped[DecidingBody] = mapped_column(db.Enum(DecidingBody, native_enum=False,
                                                       length=32))
    # For an owners' assembly: which item of 民法典 art. 278 (tracker.voting.rules).
    matter: Mapped[str | None] = mapped_column(String(32))
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # None while the vote runs; True/False once closed.
    passed: Mapped[bool | None] = mapped_column(default=None)

    case: Mapped[Case] = relationship()
    responsible_party: Mapped[Party | None] = relationship()
    proposed_by: Mapped[User] = relationship()
    vote: Mapped[Vote | None] = relationship(back_populates="resolution", uselist=False)


class Vote(db.Model):
    __tablename__ = "votes"
    id: Mapped[int] = mapped_column(primary_key=True)
    resolution_id: Mapped[int] = mapped_column(ForeignKey("resolutions.id"), unique=True)
    body: Mapped[DecidingBody] = mapped_column(db.Enum(DecidingBody, native_enum=False,
                                                       length=32))
    state: Mapped[VoteState] = mapped_column(db.Enum(VoteState, native_enum=False, length=16),
                                             default=VoteState.open, index=True)
    at_meeting: Mapped[bool] = mapped_column(default=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Who may vote, as it was when the vote opened. Committee: {"members": [user ids],
    # "owner_representatives": [user ids], "names": {id: name}}; assembly: {"total_area": "…",
    # "units": [{"unit_id", "owner_ref", "developer_unsold", "area", "label"}]}.
    eligible: Mapped[dict] = mapped_column(JSON)
    non_voters_follow_majority: Mapped[bool] = mapped_column(default=False)
    # Filled when the vote closes: the rules' inputs (tracker.voting.records snapshot) and their
    # record (figures, thresholds, the rule, the explanation); recomputing inputs gives result.
    inputs: Mapped[dict | None] = mapped_column(JSON)
    result: Mapped[dict | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)

    resolution: Mapped[Resolution] = relationship(back_populates="vote")

    __mapper_args__ = {"version_id_col": version}


class CommitteeBallot(db.Model):
    """A committee member's named ballot; one per member and vote, enforced by the database."""
    __tablename__ = "committee_ballots"
    __table_args__ = (UniqueConstraint("vote_id", "voter_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id"), index=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    choice: Mapped[str] = mapped_column(String(16))
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A paper vote entered by the recorder, confirmed by the member on the spot.
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    voter: Mapped[User] = relationship(foreign_keys=[voter_id])

    __mapper_args__ = {"version_id_col": version}


class OwnerBallot(db.Model):
    """One unit's ballot in an owners' assembly vote, usually entered from a signed paper form."""
    __tablename__ = "owner_ballots"
    __table_args__ = (UniqueConstraint("vote_id", "unit_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    choice: Mapped[str] = mapped_column(String(16))
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    unit: Mapped[Unit] = relationship()
    entered_by: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}


class BallotChange(db.Model):
    """Every change of a ballot (committee or owner), keeping the old value and who changed it."""
    __tablename__ = "ballot_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id"), index=True)
    voter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    old_choice: Mapped[str | None] = mapped_column(String(16))
    new_choice: Mapped[str] = mapped_column(String(16))
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    changed_by: Mapped[User] = relationship(foreign_keys=[changed_by_id])
