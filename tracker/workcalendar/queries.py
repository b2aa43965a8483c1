"""Reads of the working calendar: the calendar deadlines are counted over, a year's days as its
page shows them, and who changed the year."""
from __future__ import annotations

import calendar as month_calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.core.cache import shared
from tracker.extensions import db
from tracker.workcalendar.models import CalendarDay, CalendarYear
from tracker.workcalendar.rules import BEIJING, DayKind, WorkingCalendar, library_days

# From this day of the year on, next year's arrangement is awaited (the State Council publishes
# it between late October and December).
NOTICE_AWAITED_FROM = (11, 1)


def working_calendar(years: Iterable[int]) -> WorkingCalendar:
    """The calendar of ``years`` as entered: the confirmed ones with their days (one statement
    each for years and days); the others are counted provisionally."""
    years = sorted(set(years))
    confirmed = {year: {} for year in db.session.scalars(
        select(CalendarYear.year).where(CalendarYear.year.in_(years),
                                        CalendarYear.confirmed_at.is_not(None)))}
    if confirmed:
        rows = db.session.execute(select(CalendarDay.day, CalendarDay.kind).where(
            CalendarDay.year.in_(list(confirmed))))
        for day, kind in rows:
            confirmed[day.year][day] = kind
    return WorkingCalendar(confirmed)


def calendar_from(start: datetime, years_ahead: int = 1) -> WorkingCalendar:
    """Enough of the calendar to count a deadline from ``start``: the tiers' longest period
    (15 working days) never reaches past the next year."""
    first = start.astimezone(BEIJING).year
    return working_calendar(range(first, first + years_ahead + 1))


def year_as_entered(year: int) -> WorkingCalendar:
    """``year`` as its page shows it: its entered days, a draft's too, or the provisional guess
    when nothing is entered."""
    if year_record(year) is None:
        return WorkingCalendar({})
    return WorkingCalendar({year: {day: kind for day, (kind, _name)
                                   in entered_days(year).items()}})


def year_record(year: int) -> CalendarYear | None:
    return db.session.get(CalendarYear, year)


def entered_days(year: int) -> dict[date, tuple[DayKind, str]]:
    return {day: (kind, name) for day, kind, name in db.session.execute(
        select(CalendarDay.day, CalendarDay.kind, CalendarDay.name)
        .where(CalendarDay.year == year))}


def all_years() -> list[CalendarYear]:
    """Every year in the table, newest first (the status page and ``calendar status``)."""
    return list(db.session.scalars(select(CalendarYear).order_by(CalendarYear.year.desc())))


def awaited_year(today: date) -> int | None:
    """Next year, from 1 November on, while its arrangement is not confirmed; else None."""
    if (today.month, today.day) < NOTICE_AWAITED_FROM:
        return None
    year = today.year + 1
    return None if year_confirmed(year) else year


# The banner asks on every page of every official for two months a year; every worker shares
# the answer until the calendar changes (operations.on_year_changed forgets it), the timeout
# bounding it should the shared cache have been unreachable then.
CONFIRMED_CACHE_SECONDS = 600


def year_confirmed(year: int) -> bool:
    return shared(confirmed_cache_key(year), lambda: db.session.scalar(
        select(CalendarYear.confirmed_at).where(CalendarYear.year == year)) is not None,
        timeout=CONFIRMED_CACHE_SECONDS)


def confirmed_cache_key(year: int) -> str:
    return f"calendar year confirmed/{year}"


@dataclass
class DayCell:
    day: date
    working: bool
    weekend: bool
    entered: DayKind | None   # what the year's rows say (confirmed or draft)
    festival: str             # the library's festival name for the day, a hint


def month_grid(year: int) -> list[tuple[int, list[list[DayCell | None]]]]:
    """Each month's weeks (Monday first), a cell per day of the month, None for padding."""
    entered = {day: kind for day, (kind, _name) in entered_days(year).items()}
    shown = year_as_entered(year)
    hints = library_days(year)
    months = []
    for month in range(1, 13):
        weeks = []
        for week in month_calendar.Calendar().monthdatescalendar(year, month):
            weeks.append([
                DayCell(day, shown.is_working_day(day), day.weekday() >= 5, entered.get(day),
                        hints[day][1] if day in hints and hints[day][0] is DayKind.off else "")
                if day.month == month else None for day in week])
        months.append((month, weeks))
    return months


def year_history(year: int, limit: int) -> list[AuditEvent]:
    """The latest changes to ``year``'s arrangement, newest first."""
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.subject_type == "calendar_year",
                                 AuditEvent.subject_id == year)
        .order_by(AuditEvent.id.desc()).limit(limit)))
