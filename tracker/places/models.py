"""The place hierarchy (district → street → community → compound), units and parties."""
from __future__ import annotations

import enum
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db


class District(db.Model):
    """区."""
    __tablename__ = "districts"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    # Whose regulation decides its committees' votes and is cited with them
    # (tracker.voting.rulebooks): the province's or city's, else the national default.
    rulebook: Mapped[str] = mapped_column(String(32), default="national_2018",
                                          server_default="national_2018")
    streets: Mapped[list[Street]] = relationship(back_populates="district", order_by="Street.name")

    def __str__(self) -> str:
        return self.name


class Street(db.Model):
    """街道."""
    __tablename__ = "streets"
    __table_args__ = (UniqueConstraint("district_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    district: Mapped[District] = relationship(back_populates="streets")
    communities: Mapped[list[Community]] = relationship(back_populates="street",
                                                        order_by="Community.name")

    def __str__(self) -> str:
        return self.name


class Community(db.Model):
    """社区."""
    __tablename__ = "communities"
    __table_args__ = (UniqueConstraint("street_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("streets.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    street: Mapped[Street] = relationship(back_populates="communities")
    compounds: Mapped[list[Compound]] = relationship(back_populates="community",
                                                     order_by="Compound.name")

    def __str__(self) -> str:
        return self.name


class GovernanceMode(enum.Enum):
    """How a compound is governed (DESIGN §2)."""
    owners_committee = "owners_committee"            # 业委会 + 居委会 + 物业
    management_committee = "management_committee"    # 物管会 in place of the 业委会


class Compound(db.Model):
    """小区."""
    __tablename__ = "compounds"
    __table_args__ = (
        UniqueConstraint("community_id", "name"),
        CheckConstraint("households >= 0", name="households_not_negative"),
        CheckConstraint("total_area >= 0", name="total_area_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    # Short code printed in case numbers (DFHY-2026-007); unique so numbers never collide.
    code: Mapped[str] = mapped_column(String(16), unique=True)
    governance_mode: Mapped[GovernanceMode] = mapped_column(
        db.Enum(GovernanceMode, native_enum=False, length=32))
    households: Mapped[int] = mapped_column(default=0)
    # Total exclusive floor area in m² from the property register; owners' ballots need it
    # (民法典 art. 278).
    total_area: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    address: Mapped[str] = mapped_column(String(200), default="")
    # 管理规约 clause: owners who do not vote are counted with the majority of those who do —
    # only once those who voted reach art. 278's participation (tracker.voting.rules). Off
    # unless the compound's covenant says so; a result computed with it says so.
    non_voters_follow_majority: Mapped[bool] = mapped_column(default=False,
                                                             server_default=false())
    # The owners' assembly rules may ask more of the owners' committee than the district's
    # regulation (tracker.voting.rulebooks.own_rules): threshold codes, empty for the regulation's.
    committee_quorum: Mapped[str | None] = mapped_column(String(32))
    committee_approval: Mapped[str | None] = mapped_column(String(32))

    community: Mapped[Community] = relationship(back_populates="compounds")
    parties: Mapped[list[Party]] = relationship(back_populates="compound", order_by="Party.kind")
    units: Mapped[list[Unit]] = relationship(back_populates="compound",
                                             order_by="(Unit.building, Unit.number)")

    def __str__(self) -> str:
        return self.name

    def party_of(self, kind: PartyKind) -> Party | None:
        return next((p for p in self.parties if p.kind == kind), None)


class Unit(db.Model):
    """One unit (专有部分) from the property register: who owns it and its area."""
    __tablename__ = "units"
    __table_args__ = (
        UniqueConstraint("compound_id", "building", "number"),
        CheckConstraint("area > 0", name="area_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compounds.id"), index=True)
    building: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(String(32))
    owner_name: Mapped[str] = mapped_column(String(64))
    # Identifies one owner across several units (register owner number or ID-card digits): the
    # SPC interpretation art. 9 counts such an owner once. Defaults to the owner's name on import.
    owner_ref: Mapped[str] = mapped_column(String(64))
    area: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    # Unsold units of the developer together count as one owner (SPC interpretation art. 9).
    developer_unsold: Mapped[bool] = mapped_column(default=False)
    # The owner's account, where they have one: they may then cast owners' ballots online.
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    compound: Mapped[Compound] = relationship(back_populates="units")
    owner_user = relationship("User")

    @property
    def owner_account(self) -> str:
        return self.owner_user.username if self.owner_user else ""


class PartyKind(enum.Enum):
    residents_committee = "residents_committee"      # 社区居委会
    owners_committee = "owners_committee"            # 业主委员会
    management_committee = "management_committee"    # 物业管理委员会
    property_company = "property_company"            # 物业服务企业


# The order documents list the parties in: the community, the owners' side, the property
# company (GB/T 9704 practice for 出席; the minutes' attendance and quorum lines follow it).
DOCUMENT_ORDER = {kind: n for n, kind in enumerate((
    PartyKind.residents_committee, PartyKind.owners_committee, PartyKind.management_committee,
    PartyKind.property_company))}


class Party(db.Model):
    """One of the parties at a compound's table."""
    __tablename__ = "parties"
    __table_args__ = (UniqueConstraint("compound_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compounds.id"), index=True)
    kind: Mapped[PartyKind] = mapped_column(db.Enum(PartyKind, native_enum=False, length=32))
    name: Mapped[str] = mapped_column(String(100))

    compound: Mapped[Compound] = relationship(back_populates="parties")

    def __str__(self) -> str:
        return self.name
