"""The dashboard's figures, each one SQL aggregate over an area of compounds (DESIGN §6).

Every figure is computed twice from the same function: once for the whole area (``level=None``)
and once per row of the table below it (per street, community or compound). Nothing loads cases
into Python; the biggest result is one row per month or per table row.

Definitions, as the page states them:

- open cases: cases now raised, on a meeting's agenda, being voted on, or in follow-up;
- opened / closed per month: by the local month of ``raised_at`` / ``closed_at`` (a reopened
  case counts when it closes again);
- median days to close: from raised to closed, over cases closed in the window;
- overdue share: of the follow-up tasks not yet done, those past their deadline now;
- satisfaction: return visits in the window answered 满意 or 基本满意, of all visits there;
- meetings held / minutes signed per month: by the local month of ``held_at`` / ``signed_at``.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, distinct, func, or_, select

from tracker.cases.models import Case, CaseState
from tracker.extensions import db
from tracker.followup.models import FollowUpTask, ReturnVisit, Satisfaction
from tracker.meetings.models import Meeting, MeetingState, meeting_compounds
from tracker.oversight.sql import days_between, local_month
from tracker.places.models import Community, Compound, Street

OPEN_STATES = (CaseState.raised, CaseState.meeting, CaseState.resolution, CaseState.follow_up)
SATISFIED = (Satisfaction.satisfied, Satisfaction.basically_satisfied)


class Level(enum.Enum):
    """What one row of the table stands for."""
    street = "street"
    community = "community"
    compound = "compound"


@dataclass(frozen=True)
class Window:
    """The months shown: the current local month and the ones before it."""
    months: tuple[str, ...]       # "2025-12" … "2026-11"
    start: datetime               # UTC instant the first month begins
    now: datetime
    zone: str

    @classmethod
    def ending(cls, now: datetime, zone: str, months: int = 12) -> Window:
        local = now.astimezone(ZoneInfo(zone))
        year, month = local.year, local.month
        labels = []
        for _ in range(months):
            labels.append(f"{year:04d}-{month:02d}")
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        labels.reverse()
        first_year, first_month = (int(part) for part in labels[0].split("-"))
        start = datetime(first_year, first_month, 1, tzinfo=ZoneInfo(zone))
        return cls(tuple(labels), start, now, zone)


@dataclass
class Figures:
    """The figures of one area (the whole dashboard, or one row of its table)."""
    open_by_state: dict[CaseState, int] = field(default_factory=dict)
    opened: dict[str, int] = field(default_factory=dict)       # month → count
    closed: dict[str, int] = field(default_factory=dict)
    median_days: float | None = None
    open_tasks: int = 0
    overdue_tasks: int = 0
    visits: int = 0
    satisfied_visits: int = 0
    held: dict[str, int] = field(default_factory=dict)
    signed: dict[str, int] = field(default_factory=dict)

    @property
    def open_cases(self) -> int:
        return sum(self.open_by_state.values())

    @property
    def overdue_share(self) -> float | None:
        return self.overdue_tasks / self.open_tasks if self.open_tasks else None

    @property
    def satisfaction(self) -> float | None:
        return self.satisfied_visits / self.visits if self.visits else None

    def total(self, series: str) -> int:
        return sum(getattr(self, series).values())


@dataclass
class Row:
    level: Level
    id: int
    name: str
    figures: Figures


# -- the grouping key of each level, reached from a compound id -------------------------------

def _key(level: Level | None, compound_id):
    """(key column or None, joins to apply) for rows whose compound is ``compound_id``."""
    if level is None:
        return None, ()
    if level == Level.compound:
        return compound_id, ()
    joins = [(Compound, Compound.id == compound_id)]
    if level == Level.community:
        return Compound.community_id, joins
    joins.append((Community, Community.id == Compound.community_id))
    return Community.street_id, joins


def _grouped(columns, level: Level | None, compound_id, base: Select | None = None) -> Select:
    key, joins = _key(level, compound_id)
    query = base if base is not None else select()
    query = query.add_columns(*([key.label("key")] if key is not None else []), *columns)
    for target, on in joins:
        query = query.join(target, on)
    if key is not None:
        query = query.group_by(key)
    return query


def _by_key(rows, level: Level | None, width: int = 1) -> dict:
    """{key: value} (or {key: (values…)}), the key ``None`` for the whole area."""
    out = {}
    for row in rows:
        key, values = (row[0], row[1:]) if level is not None else (None, tuple(row))
        out[key] = values[0] if width == 1 else tuple(values)
    return out


# -- the figures ---------------------------------------------------------------------------

def _open_by_state(area: Select, level: Level | None) -> dict:
    query = _grouped([Case.state, func.count()], level, Case.compound_id,
                     select().select_from(Case))
    query = query.where(Case.compound_id.in_(area), Case.state.in_(OPEN_STATES))
    query = query.group_by(Case.state)
    out: dict = {}
    for row in db.session.execute(query):
        key, state, count = (row[0], row[1], row[2]) if level is not None else (None, *row)
        out.setdefault(key, {})[state] = count
    return out


def _per_month(column, area: Select, level: Level | None, window: Window,
               *conditions) -> dict:
    month = local_month(column, window.zone)
    query = _grouped([month.label("month"), func.count()], level, Case.compound_id,
                     select().select_from(Case))
    query = query.where(Case.compound_id.in_(area), column >= window.start, *conditions)
    query = query.group_by(month)
    out: dict = {}
    for row in db.session.execute(query):
        key, label, count = (row[0], row[1], row[2]) if level is not None else (None, *row)
        out.setdefault(key, {})[label] = count
    return out


def _median_days(area: Select, level: Level | None, window: Window) -> dict:
    """The median of (closed − raised) in days, with window functions both databases have."""
    key, joins = _key(level, Case.compound_id)
    days = days_between(Case.raised_at, Case.closed_at)
    partition = {"partition_by": key} if key is not None else {}
    inner = select(*([key.label("key")] if key is not None else []), days.label("days"),
                   func.row_number().over(order_by=days, **partition).label("rn"),
                   func.count().over(**partition).label("n")).select_from(Case)
    for target, on in joins:
        inner = inner.join(target, on)
    inner = inner.where(Case.compound_id.in_(area), Case.state == CaseState.closed,
                        Case.closed_at >= window.start).subquery()
    # The middle row, or the mean of the two middle rows when the count is even.
    middle = or_(inner.c.rn == (inner.c.n + 1) // 2, inner.c.rn == (inner.c.n + 2) // 2)
    columns = [func.avg(inner.c.days)]
    if key is not None:
        query = select(inner.c.key, *columns).where(middle).group_by(inner.c.key)
    else:
        query = select(*columns).where(middle)
    return {k: (float(v) if v is not None else None)
            for k, v in _by_key(db.session.execute(query), level).items()}


def _tasks(area: Select, level: Level | None, window: Window) -> dict:
    overdue = func.count().filter(FollowUpTask.due_at < window.now)
    query = _grouped([func.count(), overdue], level, Case.compound_id,
                     select().select_from(FollowUpTask).join(Case, Case.id == FollowUpTask.case_id))
    query = query.where(Case.compound_id.in_(area), FollowUpTask.done_at.is_(None))
    return _by_key(db.session.execute(query), level, width=2)


def _visits(area: Select, level: Level | None, window: Window) -> dict:
    satisfied = func.count().filter(ReturnVisit.satisfaction.in_(SATISFIED))
    query = _grouped([func.count(), satisfied], level, Case.compound_id,
                     select().select_from(ReturnVisit).join(Case, Case.id == ReturnVisit.case_id))
    query = query.where(Case.compound_id.in_(area), ReturnVisit.visited_at >= window.start)
    return _by_key(db.session.execute(query), level, width=2)


def _meetings_per_month(column, area: Select, level: Level | None, window: Window) -> dict:
    """Meetings covering a compound of the area; one meeting covering two compounds counts once
    for their community and street, and once for each compound."""
    month = local_month(column, window.zone)
    covered = meeting_compounds.c.compound_id
    query = _grouped([month.label("month"), func.count(distinct(Meeting.id))], level, covered,
                     select().select_from(Meeting).join(
                         meeting_compounds, meeting_compounds.c.meeting_id == Meeting.id))
    query = query.where(covered.in_(area), column >= window.start,
                        Meeting.state.in_((MeetingState.held, MeetingState.signed)))
    query = query.group_by(month)
    out: dict = {}
    for row in db.session.execute(query):
        key, label, count = (row[0], row[1], row[2]) if level is not None else (None, *row)
        out.setdefault(key, {})[label] = count
    return out


def compute(area: Select, window: Window, level: Level | None = None) -> dict:
    """Figures of the area (``level=None`` → ``{None: Figures}``) or per row of ``level``."""
    parts = {
        "open_by_state": _open_by_state(area, level),
        "opened": _per_month(Case.raised_at, area, level, window),
        "closed": _per_month(Case.closed_at, area, level, window,
                             Case.state == CaseState.closed),
        "median_days": _median_days(area, level, window),
        "tasks": _tasks(area, level, window),
        "visits": _visits(area, level, window),
        "held": _meetings_per_month(Meeting.held_at, area, level, window),
        "signed": _meetings_per_month(Meeting.signed_at, area, level, window),
    }
    keys = set().union(*(part.keys() for part in parts.values())) or ({None} if level is None
                                                                      else set())
    out = {}
    for key in keys:
        tasks = parts["tasks"].get(key) or (0, 0)
        visits = parts["visits"].get(key) or (0, 0)
        out[key] = Figures(
            open_by_state=parts["open_by_state"].get(key, {}),
            opened=parts["opened"].get(key, {}), closed=parts["closed"].get(key, {}),
            median_days=parts["median_days"].get(key),
            open_tasks=tasks[0], overdue_tasks=tasks[1] or 0,
            visits=visits[0], satisfied_visits=visits[1] or 0,
            held=parts["held"].get(key, {}), signed=parts["signed"].get(key, {}))
    return out


def children(area: Select, level: Level) -> list[tuple[int, str]]:
    """(id, name) of the streets, communities or compounds the area reaches, by name."""
    if level == Level.compound:
        query = select(Compound.id, Compound.name).where(Compound.id.in_(area))
    elif level == Level.community:
        query = (select(Community.id, Community.name).join(
            Compound, Compound.community_id == Community.id).where(Compound.id.in_(area)))
    else:
        query = (select(Street.id, Street.name)
                 .join(Community, Community.street_id == Street.id)
                 .join(Compound, Compound.community_id == Community.id)
                 .where(Compound.id.in_(area)))
    query = query.distinct().order_by(query.selected_columns[1])
    return [tuple(row) for row in db.session.execute(query)]


def table(area: Select, window: Window, level: Level) -> list[Row]:
    figures = compute(area, window, level)
    return [Row(level, id_, name, figures.get(id_, Figures()))
            for id_, name in children(area, level)]


def area_of(scope: Select, *, street_id: int | None = None,
            community_id: int | None = None) -> Select:
    """Compound ids of the scope, narrowed to one street or community."""
    query = select(Compound.id).where(Compound.id.in_(scope))
    if community_id:
        query = query.where(Compound.community_id == community_id)
    if street_id:
        query = query.where(Compound.community_id.in_(
            select(Community.id).where(Community.street_id == street_id)))
    return query

