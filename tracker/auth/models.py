"""People and what they may act on: accounts, party memberships, liaison and official scopes."""
from __future__ import annotations

import enum
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import current_app
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
    # Changes on every password change, deactivation and "log out everywhere"; a session names
    # it, so older sessions and remember-me cookies stop working.
    session_epoch: Mapped[int] = mapped_column(default=0)
    # The login this object stands for in this request (not a column): set by the login page and
    # by the user loader from the session or remember-me cookie; see get_id.
    current_login = None

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

    # The same person whatever login each object stands for (UserMixin compares get_id(), which
    # names the login).
    def __eq__(self, other):
        if not isinstance(other, User):
            return NotImplemented
        return self is other or (self.id is not None and self.id == other.id)

    __hash__ = object.__hash__

    def begin_login(self) -> Login:
        """A new login of this person on this device, which this object stands for from now on."""
        self.current_login = Login.begin()
        return self.current_login

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember-me cookie:
        ``"<id>:<epoch>:<expires>:<nonce>"`` (:func:`parse_session_id`). An object that stands
        for no login yet begins one."""
        login = self.current_login or self.begin_login()
        return f"{self.id}:{self.session_epoch}:{login.expires}:{login.nonce}"

    def set_password(self, password: str) -> None:
        """Replace the password; the new epoch ends every session (the caller keeps its own)."""
        self.password_hash = hash_password(password)
        self.session_epoch = (self.session_epoch or 0) + 1

    def check_password(self, password: str) -> bool:
        return password_matches(self.password_hash, password)


def login_lifetime() -> timedelta:
    """How long a login lasts at most, remembered or not: ``REMEMBER_COOKIE_DURATION``, set in
    :func:`tracker.auth.init_app` (Flask-Login also takes a number of seconds)."""
    duration = current_app.config["REMEMBER_COOKIE_DURATION"]
    return duration if isinstance(duration, timedelta) else timedelta(seconds=duration)


@dataclass(frozen=True)
class Login:
    """One logging in of a person on one device: a random nonce names it in its session and
    remember-me cookies, and it ends at ``expires`` (Unix time) if not ended before — by logging
    out (:class:`EndedLogin`), or for all the person's logins at once by a new epoch."""
    expires: int
    nonce: str

    @classmethod
    def begin(cls) -> Login:
        ends = utcnow() + login_lifetime()
        return cls(int(ends.timestamp()), secrets.token_urlsafe(16))

    @property
    def expires_at(self) -> datetime:
        return datetime.fromtimestamp(self.expires, timezone.utc)

    def remaining(self) -> timedelta:
        return self.expires_at - utcnow()


_SESSION_ID = re.compile(r"([0-9]{1,18}):([0-9]{1,18}):([0-9]{1,12}):([A-Za-z0-9_-]{22})")


def parse_session_id(session_id: str) -> tuple[int, int, Login] | None:
    """The person's id, their epoch and the login that :meth:`User.get_id` wrote; ``None`` for
    anything else (a session from before logins had nonces included)."""
    match = _SESSION_ID.fullmatch(session_id)
    if match is None:
        return None
    user_id, epoch, expires, nonce = match.groups()
    return int(user_id), int(epoch), Login(int(expires), nonce)


class EndedLogin(db.Model):
    """A login its person ended by logging out: its session and remember-me cookies are refused
    from then on, even where a copy of them was kept. Forgotten once the login has expired."""
    __tablename__ = "ended_logins"
    nonce: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


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
