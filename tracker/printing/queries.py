"""The minutes register (会议纪要登记): scoped, filtered reads of meetings for listing, export and
printing, and of a person's print jobs. The scope is the meetings scope
(:func:`tracker.meetings.queries.visible_meetings`); the operator's export from the command line
has none."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from tracker.auth import scope
from tracker.auth.models import User
from tracker.extensions import db
from tracker.meetings.models import AgendaItem, Meeting, MeetingState, MinutesDocument, Signature
from tracker.meetings.queries import MeetingPage, visible_meetings
from tracker.places.models import Community, Compound, Street
from tracker.printing.models import PrintJob

MONTH = re.compile(r"^[12]\d{3}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class RegisterFilter:
    street_id: int | None = None
    community_id: int | None = None
    month: str = ""  # YYYY-MM of the meeting time, in the display time zone
    state: MeetingState | None = None


def month_bounds(month: str, zone: str) -> tuple[datetime, datetime]:
    """The UTC instants where a local calendar month starts and the next one starts.

    :raise ValueError: ``month`` is not YYYY-MM.
    """
    if not MONTH.match(month):
        raise ValueError(f"not a YYYY-MM month: {month!r}")
    year, number = int(month[:4]), int(month[5:])
    tz = ZoneInfo(zone)
    start = datetime(year, number, 1, tzinfo=tz)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=tz)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def apply_filter(query: Select, chosen: RegisterFilter, zone: str) -> Select:
    if chosen.community_id is not None:
        query = query.where(Meeting.community_id == chosen.community_id)
    if chosen.street_id is not None:
        query = query.where(Meeting.community_id.in_(
            select(Community.id).where(Community.street_id == chosen.street_id)))
    if chosen.month:
        start, end = month_bounds(chosen.month, zone)
        query = query.where(Meeting.starts_at >= start, Meeting.starts_at < end)
    if chosen.state is not None:
        query = query.where(Meeting.state == chosen.state)
    # The order the register shows, and so the order a bulk print follows.
    return query.order_by(Meeting.starts_at.desc(), Meeting.id.desc())


def register_query(user: User, chosen: RegisterFilter, zone: str) -> Select:
    return apply_filter(visible_meetings(user), chosen, zone)


def register_page(user: User, chosen: RegisterFilter, zone: str, *, page: int = 1,
                  per_page: int = 20) -> MeetingPage:
    """One page of the register; one row more than shown tells whether a next page exists."""
    page = max(1, page)
    rows = list(db.session.scalars(
        register_query(user, chosen, zone)
        .options(selectinload(Meeting.compounds), selectinload(Meeting.community))
        .limit(per_page + 1).offset((page - 1) * per_page)))
    return MeetingPage(rows[:per_page], page, len(rows) > per_page)


def printable_meetings(user: User, meeting_ids: list[int]) -> list[Meeting]:
    """Of ``meeting_ids``, the signed minutes ``user`` may see, in register order.

    The same question as :func:`tracker.meetings.policy.can_print_minutes`, asked of many
    meetings in one query.
    """
    if not meeting_ids:
        return []
    return list(db.session.scalars(
        register_query(user, RegisterFilter(state=MeetingState.signed), "UTC")
        .where(Meeting.id.in_(meeting_ids))
        .options(selectinload(Meeting.community).selectinload(Community.street))))


def all_matching_signed_ids(user: User, chosen: RegisterFilter, zone: str,
                            limit: int) -> list[int]:
    """The ids of the signed minutes among the meetings ``chosen`` finds, in register order, at
    most ``limit``; none when ``chosen`` asks for another state."""
    if chosen.state not in (None, MeetingState.signed):
        return []
    query = register_query(user, replace(chosen, state=MeetingState.signed), zone)
    return list(db.session.scalars(query.with_only_columns(Meeting.id).limit(limit)))


def streets_in_scope(user: User) -> list[Street]:
    compounds = scope.visible_compound_ids(user)
    return list(db.session.scalars(select(Street).where(Street.id.in_(
        select(Community.street_id).join(Compound, Compound.community_id == Community.id)
        .where(Compound.id.in_(compounds)))).order_by(Street.name)))


def communities_in_scope(user: User) -> list[Community]:
    compounds = scope.visible_compound_ids(user)
    return list(db.session.scalars(
        select(Community).join(Street, Street.id == Community.street_id)
        .where(Community.id.in_(select(Compound.community_id).where(Compound.id.in_(compounds))))
        .options(selectinload(Community.street)).order_by(Street.name, Community.name)))


@dataclass
class RegisterRow:
    """A meeting with what the export lists besides the meeting itself."""
    meeting: Meeting
    signers: list[str]
    pdf_sha256: str


def register_rows(query: Select) -> list[RegisterRow]:
    """Every meeting of a register query, loaded for the export in a fixed number of queries."""
    meetings = list(db.session.scalars(query.options(
        selectinload(Meeting.community).selectinload(Community.street),
        selectinload(Meeting.compounds),
        selectinload(Meeting.agenda).selectinload(AgendaItem.case))))
    ids = query.with_only_columns(Meeting.id).order_by(None)
    signers: dict[int, list[str]] = {}
    for signature in db.session.scalars(
            select(Signature).where(Signature.meeting_id.in_(ids),
                                    Signature.invalidated_at.is_(None))
            .options(selectinload(Signature.user)).order_by(Signature.id)):
        signers.setdefault(signature.meeting_id, []).append(signature.user.name)
    hashes = dict(db.session.execute(
        select(MinutesDocument.meeting_id, MinutesDocument.pdf_sha256)
        .where(MinutesDocument.meeting_id.in_(ids))).all())
    return [RegisterRow(m, signers.get(m.id, []), hashes.get(m.id, "")) for m in meetings]


def filtered_meetings(chosen: RegisterFilter, zone: str) -> list[Meeting]:
    """Every meeting ``chosen`` finds, whoever's they are (the operator's export)."""
    return list(db.session.scalars(
        apply_filter(select(Meeting), chosen, zone)
        .options(selectinload(Meeting.community).selectinload(Community.street))))


def streets_named(name: str) -> list[Street]:
    return list(db.session.scalars(select(Street).where(Street.name == name)))


def communities_named(name: str, street_id: int | None = None) -> list[Community]:
    """The communities called ``name`` (in the street ``street_id``, if given)."""
    query = select(Community).where(Community.name == name)
    if street_id is not None:
        query = query.where(Community.street_id == street_id)
    return list(db.session.scalars(query))


# --- print jobs --------------------------------------------------------------------------------

def recent_jobs(user: User, limit: int) -> list[PrintJob]:
    """``user``'s latest print jobs, newest first."""
    return list(db.session.scalars(select(PrintJob).where(PrintJob.user_id == user.id)
                                   .order_by(PrintJob.id.desc()).limit(limit)))


def job_file(job: PrintJob) -> bytes | None:
    """The prepared file of ``job`` (read only when it is downloaded)."""
    return db.session.scalar(select(PrintJob.result).where(PrintJob.id == job.id))


def meetings_to_print(job: PrintJob) -> dict[int, Meeting]:
    """The meetings of ``job`` that are still on record, by id."""
    return {m.id: m for m in db.session.scalars(
        select(Meeting).where(Meeting.id.in_(job.meeting_ids))
        .options(selectinload(Meeting.community).selectinload(Community.street)))}
