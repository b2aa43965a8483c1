"""People and what they may act on: accounts, party memberships, liaison and official scopes."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.passwords import hash_password, password_matches
from tracker.core.time import UTCDateTime, utcnow
from tracker.extensions import db
from tracker.places.models import Community, Compound, District, Party, Street


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    # Where reminders are also e-mailed when SMTP is configured.
    email: Mapped[str | None] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(default=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Changes on every password change; sessions remember it so older sessions stop working.
    session_epoch: Mapped[int] = mapped_column(default=0)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user",
                                                         cascade="all, delete-orphan")
    liaison_assignments: Mapped[list[LiaisonAssignment]] = relationship(
        back_populates="user", cascade="all, delete-orphan")
    official_scopes: Mapped[list[OfficialScope]] = relationship(
        back_populates="user", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts through this
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)
        self.session_epoch = (self.session_epoch or 0) + 1

    def check_password(self, password: str) -> bool:
        return password_matches(self.password_hash, password)


class MemberRole(enum.Enum):
    chair = "chair"                      # 主任
    vice_chair = "vice_chair"            # 副主任
    member = "member"                    # 委员 / 成员
    owner_representative = "owner_representative"  # 物管会 业主代表
    manager = "manager"                  # 物业项目经理
    staff = "staff"                      # 工作人员


class Membership(db.Model):
    """A person sitting for a party of a compound."""
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "party_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    role: Mapped[MemberRole] = mapped_column(db.Enum(MemberRole, native_enum=False, length=32))
    # Members of the deciding body (业委会 / 物管会) vote on resolutions.
    votes: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(back_populates="memberships")
    party: Mapped[Party] = relationship()


class LiaisonAssignment(db.Model):
    """A liaison cadre (联络员) working for a whole community or for one compound."""
    __tablename__ = "liaison_assignments"
    __table_args__ = (
        CheckConstraint("(community_id IS NULL) <> (compound_id IS NULL)",
                        name="community_xor_compound"),
        # Partial unique indexes: a plain unique constraint over the nullable pair would let
        # duplicates through, since NULL never equals NULL.
        Index("uq_liaison_community", "user_id", "community_id", unique=True,
              sqlite_where=text("community_id IS NOT NULL"),
              postgresql_where=text("community_id IS NOT NULL")),
        Index("uq_liaison_compound", "user_id", "compound_id", unique=True,
              sqlite_where=text("compound_id IS NOT NULL"),
              postgresql_where=text("compound_id IS NOT NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), index=True)
    compound_id: Mapped[int | None] = mapped_column(ForeignKey("compounds.id"), index=True)

    user: Mapped[User] = relationship(back_populates="liaison_assignments")
    community: Mapped[Community | None] = relationship()
    compound: Mapped[Compound | None] = relationship()


class OfficialScope(db.Model):
    """A street or district official's read-only oversight area."""
    __tablename__ = "official_scopes"
    __table_args__ = (
        CheckConstraint("(street_id IS NULL) <> (district_id IS NULL)",
                        name="street_xor_district"),
        Index("uq_official_street", "user_id", "street_id", unique=True,
              sqlite_where=text("street_id IS NOT NULL"),
              postgresql_where=text("street_id IS NOT NULL")),
        Index("uq_official_district", "user_id", "district_id", unique=True,
              sqlite_where=text("district_id IS NOT NULL"),
              postgresql_where=text("district_id IS NOT NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)

    user: Mapped[User] = relationship(back_populates="official_scopes")
    street: Mapped[Street | None] = relationship()
    district: Mapped[District | None] = relationship()
