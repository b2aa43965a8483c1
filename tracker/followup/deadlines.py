"""Deadlines of follow-up tasks (督办期限), counted the way 民法典 总则编 第十章 counts periods.

- art. 200: periods run in calendar years, months, days and hours.
- art. 201 para. 1: a period counted in days starts the next day, the start day is not counted;
  para. 2: a period counted in hours starts at the moment it is set.
- art. 203 para. 1: a last day falling on a statutory holiday moves to the day after the holiday
  ends (automatic here: only working days are counted, so the last day is a working day);
  para. 2: the last day ends at 24:00, i.e. 23:59:59.999999 Beijing time.

Tiers: 北京市接诉即办工作条例 art. 13 leaves the 办理时限 to the municipal government service
department; DESIGN.md §6 fixes them as 2 hours, 24 hours, 7 and 15 working days.

Working days come from the `holidays` library. Its China calendar encodes the State Council's
yearly notice (国务院办公厅关于…部分节假日安排的通知) with its make-up working days (调休上班)
for COVERED_YEARS (2001–2026 in holidays 0.109); for other years it only extrapolates the festival
dates, without the notice's 调休, so those years raise CalendarNotCovered instead of guessing.
A notice may also move days at the end of the previous December (e.g. 2001-12-29/30 for 2002,
2007-12-31 for 2008), so the last week of December also needs the next year covered.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

TZ = ZoneInfo("Asia/Shanghai")
TIERS = {
    "urgent": timedelta(hours=2),  # by the clock, art. 201 para. 2
    "one_day": timedelta(hours=24),  # by the clock, art. 201 para. 2
    "general": 7,  # working days
    "complex": 15,  # working days
}

# Years for which the library carries the State Council notice (its substituted-day data).
COVERED_YEARS = frozenset(holidays.China().special_public_holidays)
_CN = holidays.China(years=COVERED_YEARS)  # populated once, never expanded afterwards


class CalendarNotCovered(Exception):
    """The holidays library has no official Chinese holiday arrangement for this year."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"{year} (holidays {holidays.__version__} has the official arrangement for "
            f"{min(COVERED_YEARS)}–{max(COVERED_YEARS)})"
        )


def _require_covered(d: date) -> None:
    years = (d.year, d.year + 1) if (d.month, d.day) >= (12, 25) else (d.year,)
    for year in years:
        if year not in COVERED_YEARS:
            raise CalendarNotCovered(year)


def _local(dt: datetime) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    return dt.astimezone(TZ)


def is_working_day(d: date) -> bool:
    """Mon–Fri unless a public holiday or day off; Sat/Sun only if an official 调休上班 day."""
    _require_covered(d)
    return _CN.is_working_day(d)


def add_working_days(start: datetime, days: int) -> datetime:
    """End (24:00, art. 203 para. 2) of the `days`-th working day after `start`'s Beijing date.

    The start day is not counted (art. 201 para. 1), even if it is a working day.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    d = _local(start).date()
    while days:
        d += timedelta(days=1)
        if is_working_day(d):
            days -= 1
    return datetime.combine(d, time.max, tzinfo=TZ)


def deadline_for(tier: str, start: datetime) -> datetime:
    """Deadline of a `tier` task set at `start`; hour tiers run by the clock (art. 201 para. 2)."""
    if tier not in TIERS:
        raise ValueError(f"unknown deadline tier {tier!r}")
    period = TIERS[tier]
    if isinstance(period, timedelta):
        return _local(start) + period
    return add_working_days(start, period)


def working_days_between(a: date, b: date) -> int:
    """Working days in (a, b] — `a` not counted, as in art. 201; negative if b is before a."""
    if b < a:
        return -working_days_between(b, a)
    return sum(is_working_day(a + timedelta(days=n)) for n in range(1, (b - a).days + 1))
