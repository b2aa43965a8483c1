"""Cases (议题/诉求): one residents' problem on its way from raised to closed."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from tracker.auth.models import User
from tracker.core.time import UTCDateTime, utcnow
from tracker.extensions import db
from tracker.places.models import Compound


class CaseState(enum.Enum):
    raised = "raised"            # 已立案
    meeting = "meeting"          # 待上会/已上会
    resolution = "resolution"    # 表决中/已决议
    follow_up = "follow_up"      # 落实中
    closed = "closed"            # 已办结
    withdrawn = "withdrawn"      # 已撤销


class CaseCategory(enum.Enum):
    water_supply = "water_supply"
    power_gas_heating = "power_gas_heating"
    parking = "parking"
    sanitation = "sanitation"
    greenery = "greenery"
    security = "security"
    facilities = "facilities"
    property_fees = "property_fees"
    property_service = "property_service"
    neighbour_dispute = "neighbour_dispute"
    # Matters owners decide jointly (民法典 art. 278): a vote on such a case is proposed as an
    # owners' joint decision on the matching art. 278 item.
    maintenance_fund = "maintenance_fund"
    property_company_change = "property_company_change"
    common_parts_use = "common_parts_use"
    committee_election = "committee_election"
    other = "other"


class CaseSource(enum.Enum):
    evening_forum = "evening_forum"                # 邻里夜话
    building_party_group = "building_party_group"  # 楼栋党小组
    hotline_12345 = "hotline_12345"
    walk_in = "walk_in"
    survey = "survey"
    other = "other"


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("compound_id", "year", "seq"),
        # The list's filters for a few compounds; with time and id, the page's ids are read
        # from the index alone (tracker.cases.queries._list_query).
        Index("ix_cases_compound_state_raised_at_id", "compound_id", "state", "raised_at", "id"),
        # …and without a state filter, each compound's newest first (_each_compound).
        Index("ix_cases_compound_raised_at_id", "compound_id", "raised_at", "id"),
        Index("ix_cases_raised_at_id", "raised_at", "id"),
        # The list filtered by state, newest first, for an area as wide as a district: read in
        # order from here instead of skipping every newer case in another state.
        Index("ix_cases_state_raised_at_id", "state", "raised_at", "id"),
        Index("ix_cases_updated_at_id", "updated_at", "id"),
        # The oversight dashboard counts cases closed per month and exports filter by it.
        Index("ix_cases_closed_at", "closed_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compounds.id"))
    year: Mapped[int]
    seq: Mapped[int]
    # Readable number, e.g. DFHY-2026-007: compound code, year raised, sequence in that year.
    number: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    category: Mapped[CaseCategory] = mapped_column(
        db.Enum(CaseCategory, native_enum=False, length=32), index=True)
    source: Mapped[CaseSource] = mapped_column(
        db.Enum(CaseSource, native_enum=False, length=32), index=True)
    description: Mapped[str] = mapped_column(Text)
    resident_name: Mapped[str] = mapped_column(String(64), default="")
    resident_phone: Mapped[str] = mapped_column(String(20), default="")
    state: Mapped[CaseState] = mapped_column(
        db.Enum(CaseState, native_enum=False, length=32), default=CaseState.raised)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When the case last entered each later stage (set by tracker.cases.workflow), so oversight
    # figures and exports read one row instead of replaying the audit log. ``closed_at`` is
    # cleared when a case is reopened.
    on_agenda_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    follow_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped by every UPDATE; SQLAlchemy adds "WHERE version = :seen" so a concurrent change
    # makes the second writer's UPDATE match no row (optimistic locking).
    version: Mapped[int] = mapped_column(default=1)
    # Set when a meeting closed without deciding the case; such cases head the next agenda.
    carried_over: Mapped[bool] = mapped_column(default=False)

    compound: Mapped[Compound] = relationship()
    raised_by: Mapped[User] = relationship()
    photos: Mapped[list[CasePhoto]] = relationship(back_populates="case", order_by="CasePhoto.id")

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def on_behalf_of_resident(self) -> bool:
        return bool(self.resident_name)


class CasePhoto(db.Model):
    """A photo attached to a case. Kept in the database so every app server can serve it."""
    __tablename__ = "case_photos"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="photos")
