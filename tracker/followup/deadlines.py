"""Deadlines of follow-up tasks (督办期限), counted the way 民法典 总则编 第十章 counts periods.

- art. 200: periods run in calendar years, months, days and hours.
- art. 201 para. 1: a period counted in days starts the next day, the start day is not counted;
  para. 2: a period counted in hours starts at the moment it is set.
- art. 203 para. 1: a last day falling on a statutory holiday moves to the day after the holiday
  ends (automatic here: only working days are counted, so the last day is a working day);
  para. 2: the last day ends at 24:00, i.e. 23:59:59.999999 Beijing time.

Tiers: 北京市接诉即办工作条例 art. 13 leaves the 办理时限 to the municipal government service
department; DESIGN.md §6 fixes them as 2 hours, 24 hours, 7 and 15 working days.

Working days come from the district's working calendar (tracker.workcalendar): a year whose
arrangement is confirmed counts as entered; any other year is counted provisionally and the
deadline says so (暂定), to be recomputed when the year is confirmed — never refused.
"""
from datetime import date, datetime, timedelta

from tracker.workcalendar import queries as calendar_queries
from tracker.workcalendar.rules import BEIJING, Deadline, WorkingCalendar

TZ = BEIJING
TIERS = {
    "urgent": timedelta(hours=2),  # by the clock, art. 201 para. 2
    "one_day": timedelta(hours=24),  # by the clock, art. 201 para. 2
    "general": 7,  # working days
    "complex": 15,  # working days
}
WORKING_DAY_TIERS = tuple(tier for tier, period in TIERS.items() if isinstance(period, int))


def deadline_for(tier: str, start: datetime, calendar: WorkingCalendar | None = None) -> Deadline:
    """Deadline of a `tier` task set at `start`; hour tiers run by the clock (art. 201 para. 2).

    ``calendar``: the working calendar to count over (read from the database when not given).
    """
    if tier not in TIERS:
        raise ValueError(f"unknown deadline tier {tier!r}")
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    period = TIERS[tier]
    if isinstance(period, timedelta):
        return Deadline(start.astimezone(TZ) + period, provisional=False)
    if calendar is None:
        calendar = calendar_queries.calendar_from(start)
    return calendar.add_working_days(start, period)


def add_working_days(start: datetime, days: int) -> datetime:
    """End (24:00) of the `days`-th working day after `start`'s Beijing date, over the calendar
    as entered (provisional where a year is not confirmed)."""
    return calendar_queries.calendar_from(start).add_working_days(start, days).at


def is_working_day(d: date) -> bool:
    return calendar_queries.working_calendar([d.year, d.year + 1]).is_working_day(d)


def working_days_between(a: date, b: date) -> int:
    """Working days in (a, b] — `a` not counted, as in art. 201; negative if b is before a."""
    low, high = min(a, b), max(a, b)
    calendar = calendar_queries.working_calendar(range(low.year, high.year + 2))
    return calendar.working_days_between(a, b)
