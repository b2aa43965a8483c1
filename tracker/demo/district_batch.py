"""Rows of one generated community, kept in memory and written in a few flushes.

Rows refer to each other by id (a ballot to its vote, a visit to its case); those ids exist only
after a flush. So rows are added in stages — cases and meetings, then what needs their ids, then
what needs those — and the audit events, which name everything by id, are inserted last, in time
order, so that a case's timeline (ordered by event id) reads in the order things happened.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from tracker.audit.chain import lock_and_chain
from tracker.audit.models import AuditEvent
from tracker.extensions import db

SHANGHAI = ZoneInfo("Asia/Shanghai")
STAGES = 3


@dataclass(frozen=True)
class Clock:
    """The generated history runs from ``start`` to ``end`` (both UTC, whole seconds)."""
    start: datetime
    end: datetime

    @staticmethod
    def utc(value: datetime) -> datetime:
        """UTC and whole seconds: the form the database gives back, so hashes of stored content
        computed now and later agree."""
        return value.astimezone(timezone.utc).replace(microsecond=0)


def between(rng: random.Random, a: datetime, b: datetime) -> datetime:
    return Clock.utc(a + (b - a) * rng.random())


def hours(n: float) -> timedelta:
    return timedelta(seconds=round(n * 3600))   # whole seconds, like every generated time


def days(n: float) -> timedelta:
    return hours(n * 24)


def weighted(rng: random.Random, weights: dict) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass(frozen=True)
class Ref:
    """An id to be read from a row once it has one (in an audit event's data)."""
    row: Any


@dataclass
class Event:
    at: datetime
    order: int
    actor_id: int | None
    subject_type: str
    subject: Any          # a row, or its id
    action: str
    from_state: str | None
    to_state: str | None
    note: str | Callable[[], str]   # callable: read once the rows are written
    data: dict

    def row(self) -> dict:
        return {"created_at": self.at, "actor_id": self.actor_id,
                "subject_type": self.subject_type, "subject_id": _id(self.subject),
                "action": self.action, "from_state": self.from_state,
                "to_state": self.to_state,
                "note": self.note() if callable(self.note) else self.note,
                "data": {key: _id(value.row) if isinstance(value, Ref) else value
                         for key, value in self.data.items()}}


def _id(value: Any) -> int:
    return value if isinstance(value, int) else value.id


@dataclass
class Batch:
    stages: list[list[tuple[Any, Callable | None]]] = field(
        default_factory=lambda: [[] for _ in range(STAGES)])
    events: list[Event] = field(default_factory=list)

    def add(self, stage: int, row: Any, fix: Callable[[Any], None] | None = None) -> Any:
        """Add ``row`` at ``stage``; ``fix(row)`` runs just before, when earlier stages have
        their ids (to set foreign keys that have no relationship)."""
        self.stages[stage].append((row, fix))
        return row

    def log(self, at: datetime, actor_id: int | None, subject_type: str, subject: Any,
            action: str, *, from_state=None, to_state=None, note: str | Callable = "",
            data: dict | None = None) -> None:
        self.events.append(Event(at, len(self.events), actor_id, subject_type, subject, action,
                                 getattr(from_state, "value", from_state),
                                 getattr(to_state, "value", to_state), note, data or {}))

    def write(self) -> None:
        """Add and flush stage by stage, then insert the audit events in time order."""
        for rows in self.stages:
            for row, fix in rows:
                if fix is not None:
                    fix(row)
            db.session.add_all([row for row, _fix in rows])
            db.session.flush()
        self.write_events()

    def write_events(self) -> None:
        if self.events:
            self.events.sort(key=lambda e: (e.at, e.order))
            rows = [e.row() for e in self.events]
            lock_and_chain(db.session, rows)
            db.session.execute(insert(AuditEvent), rows)
        self.events = []
