"""Working days (工作日) counted over the district's calendar: pure functions, no Flask, no DB.

China's working calendar is the State Council's yearly notice (国务院办公厅关于××年部分节假日安排的
通知): the festival days off (放假) of 《全国年节及纪念日放假办法》 plus make-up working days on
weekends (调休上班). A year whose notice the district has entered (or that the ``holidays``
library carried when it was filled) is *confirmed*: its entered days decide. Any other year is
counted *provisionally*: weekends and the festival dates the library extrapolates, without
make-up days — a guess that is marked as such and recomputed once the year is confirmed.

Deadlines follow 民法典 总则编 第十章 (shared/law/总则-期间计算.md):
- art. 201 para. 1: a period in days starts the next day, the start day is not counted;
- art. 203: a last day on a holiday moves to the next working day (automatic here: only working
  days are counted), and the last day ends at 24:00.
"""
from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

BEIJING = ZoneInfo("Asia/Shanghai")
# A notice may move days at the end of the previous December (2001-12-29/30 worked for 2002's
# New Year); so the last days of a year stay provisional until the next year is confirmed.
NEXT_NOTICE_REACHES_BACK_TO = (12, 25)


class DayKind(enum.Enum):
    off = "off"    # 放假: no work, also on a weekday
    work = "work"  # 调休上班: a working day, also on a weekend


@lru_cache(maxsize=64)
def library_days(year: int) -> dict[date, tuple[DayKind, str]]:
    """What the ``holidays`` library says of ``year``'s days that differ from a plain week, and
    its festival days: for years it covers, the notice; for others, its extrapolated festivals."""
    china = holidays.China(years=year, language="zh_CN")
    days = {d: (DayKind.off, name) for d, name in china.items() if d.year == year}
    day = date(year, 1, 1)
    while day.year == year:
        if day.weekday() >= 5 and china.is_working_day(day):
            days[day] = (DayKind.work, "")
        day += timedelta(days=1)
    return days


def library_covers(year: int) -> bool:
    """Whether the library carries the State Council's notice for ``year`` (not a guess)."""
    return year in covered_years()


@lru_cache(maxsize=1)
def covered_years() -> frozenset[int]:
    return frozenset(holidays.China().special_public_holidays)


def plain_working_day(d: date) -> bool:
    return d.weekday() < 5


@dataclass(frozen=True)
class Deadline:
    """When a period ends, and whether a year it was counted in is still unconfirmed."""
    at: datetime
    provisional: bool
    unconfirmed_years: tuple[int, ...] = ()


@dataclass
class WorkingCalendar:
    """The confirmed years' entered days; every other year counted provisionally.

    ``confirmed`` maps each confirmed year to its days that differ from a plain week (and its
    festival days off on weekends, which change nothing but are shown).
    """
    confirmed: Mapping[int, Mapping[date, DayKind]]

    def is_confirmed(self, year: int) -> bool:
        return year in self.confirmed

    def kind_of(self, d: date) -> DayKind | None:
        """The day's entered or guessed kind, or None for a plain weekday or weekend."""
        if d.year in self.confirmed:
            return self.confirmed[d.year].get(d)
        guess = library_days(d.year).get(d)
        # Provisional: the extrapolated festival days off, never a guessed make-up day.
        return DayKind.off if guess and guess[0] is DayKind.off else None

    def is_working_day(self, d: date) -> bool:
        kind = self.kind_of(d)
        if kind is None:
            return plain_working_day(d)
        return kind is DayKind.work

    def unconfirmed_for(self, d: date) -> set[int]:
        """The unconfirmed years whose notice may still decide ``d``."""
        years = {d.year}
        if (d.month, d.day) >= NEXT_NOTICE_REACHES_BACK_TO:
            years.add(d.year + 1)
        return {year for year in years if year not in self.confirmed}

    def add_working_days(self, start: datetime, days: int) -> Deadline:
        """End (24:00) of the ``days``-th working day after ``start``'s Beijing date; the start
        day is not counted (art. 201 para. 1), even if it is a working day."""
        if days < 1:
            raise ValueError("days must be at least 1")
        d, unconfirmed = _beijing(start).date(), set()
        while days:
            d += timedelta(days=1)
            unconfirmed |= self.unconfirmed_for(d)
            if self.is_working_day(d):
                days -= 1
        return Deadline(datetime.combine(d, time.max, tzinfo=BEIJING), bool(unconfirmed),
                        tuple(sorted(unconfirmed)))

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b] — ``a`` not counted, as in art. 201; negative if b < a."""
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(a + timedelta(days=n)) for n in range(1, (b - a).days + 1))


def _beijing(dt: datetime) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    return dt.astimezone(BEIJING)
