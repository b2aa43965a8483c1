"""Joint meetings (三方联席会议): agenda, attendance, revisioned minutes, signatures, the PDF."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from tracker.auth.models import User
from tracker.cases.models import Case
from tracker.core.time import UTCDateTime, utcnow
from tracker.extensions import db
from tracker.places.models import Community, Compound, Party


class MeetingState(enum.Enum):
    planned = "planned"        # 计划召开
    held = "held"              # 已召开 (attendance taken, minutes being drafted)
    signed = "signed"          # 纪要已签署 (locked, PDF issued)
    cancelled = "cancelled"    # 已取消


class MeetingKind(enum.Enum):
    regular = "regular"              # 例会
    extraordinary = "extraordinary"  # 临时会议


class AttendanceStatus(enum.Enum):
    present = "present"      # 出席
    leave = "leave"          # 请假
    non_voting = "non_voting"  # 列席


meeting_compounds = db.Table(
    "meeting_compounds",
    db.Column("meeting_id", db.ForeignKey("meetings.id"), primary_key=True),
    db.Column("compound_id", db.ForeignKey("compounds.id"), primary_key=True, index=True),
)


class ItemDisposal(enum.Enum):
    """What a meeting recorded on an agenda item that has no resolution (DESIGN §3 "defer"):
    the item's outcome when nothing is voted on it."""
    deferred = "deferred"        # 暂缓，转下次会议 — the case is carried over when the minutes issue
    no_decision = "no_decision"  # 无需作出决议 — the case ends with the issued minutes


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("community_id", "year", "seq"),
                      Index("ix_meetings_community_starts", "community_id", "starts_at"),
                      # The minutes register's month filter and order across communities.
                      Index("ix_meetings_starts_at", "starts_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    year: Mapped[int]
    seq: Mapped[int]
    kind: Mapped[MeetingKind] = mapped_column(db.Enum(MeetingKind, native_enum=False, length=16))
    title: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(120))
    convener_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    chair_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorder_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[MeetingState] = mapped_column(
        db.Enum(MeetingState, native_enum=False, length=16), default=MeetingState.planned,
        index=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Every operation touches the meeting, so its version changes and two people acting at once
    # (two last signatures, say) cannot both succeed unseen: the second gets "changed meanwhile".
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    community: Mapped[Community] = relationship()
    compounds: Mapped[list[Compound]] = relationship(secondary=meeting_compounds,
                                                     order_by="Compound.name")
    convener: Mapped[User] = relationship(foreign_keys=[convener_id])
    chair: Mapped[User] = relationship(foreign_keys=[chair_id])
    recorder: Mapped[User] = relationship(foreign_keys=[recorder_id])
    agenda: Mapped[list[AgendaItem]] = relationship(back_populates="meeting",
                                                    order_by="AgendaItem.position",
                                                    cascade="all, delete-orphan")
    attendance: Mapped[list[Attendance]] = relationship(back_populates="meeting",
                                                        cascade="all, delete-orphan",
                                                        order_by="Attendance.id")
    required_signers: Mapped[list[RequiredSigner]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="RequiredSigner.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def number(self) -> str:
        """〔2026〕第3期 — per community and year (GB/T 9704 发文字号 style)."""
        return f"〔{self.year}〕第{self.seq}期"

    @property
    def issue_number(self) -> str:
        """横堤社区联席会议纪要〔2026〕第3期 — the number with its issuing body, unambiguous in a
        street's or district's register, where every community has its 第1期."""
        return f"{self.community.name}联席会议纪要{self.number}"


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = (UniqueConstraint("meeting_id", "case_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    position: Mapped[int]
    # Recorded by the liaison at the meeting, never together with a resolution on the item
    # (tracker.meetings.operations.dispose_item); empty while the item follows its resolution.
    disposal: Mapped[ItemDisposal | None] = mapped_column(
        db.Enum(ItemDisposal, native_enum=False, length=16))
    disposal_note: Mapped[str] = mapped_column(String(500), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    case: Mapped[Case] = relationship()


class Attendance(db.Model):
    """One line of the roll call: a party member, or an invited guest (user_id empty)."""
    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        CheckConstraint("user_id IS NOT NULL OR guest_name <> ''", name="person_named"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    guest_name: Mapped[str] = mapped_column(String(64), default="")
    guest_unit: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[AttendanceStatus] = mapped_column(
        db.Enum(AttendanceStatus, native_enum=False, length=16))

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    user: Mapped[User | None] = relationship()
    party: Mapped[Party | None] = relationship()

    @property
    def name(self) -> str:
        return self.user.name if self.user else self.guest_name

    @property
    def unit(self) -> str:
        return self.party.name if self.party else self.guest_unit


class MinutesRevision(db.Model):
    """Every save of the minutes is a new row; the newest is the current text."""
    __tablename__ = "minutes_revisions"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    number: Mapped[int]
    # {"items": {"<case id>": {"background", "views": {party kind: text}, "decision",
    #  "responsible", "deadline"}}, "other_business": text}
    content: Mapped[dict] = mapped_column(JSON)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()


class RequiredSigner(db.Model):
    """The representative who must sign the minutes for one party."""
    __tablename__ = "required_signers"
    __table_args__ = (UniqueConstraint("meeting_id", "party_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="required_signers")
    party: Mapped[Party] = relationship()
    user: Mapped[User] = relationship()


class Signature(db.Model):
    """A representative's signature over one exact minutes content (its SHA-256)."""
    __tablename__ = "signatures"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    revision_number: Mapped[int]
    content_sha256: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    client_address: Mapped[str] = mapped_column(String(64), default="")
    drawing_png: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    # Set when the minutes changed after signing; the row stays for the record.
    invalidated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    party: Mapped[Party] = relationship()
    user: Mapped[User] = relationship()


class MinutesDocument(db.Model):
    """The issued PDF: rendered once when the minutes lock, signed, stored with its hashes."""
    __tablename__ = "minutes_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    # Hash of the canonical minutes content the representatives signed; printed on the PDF and
    # in its QR code, so a printed copy can be looked up.
    content_sha256: Mapped[str] = mapped_column(String(64), index=True)
    # Hash of the exact PDF bytes served; an uploaded file is checked against it.
    pdf_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship()
