"""The only code that changes the working calendar. Flushes, audits, and tells the features
counting on it (follow-up deadlines) which years changed, in the same transaction."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

import holidays
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker.audit.operations import log
from tracker.auth.models import User
from tracker.core.cache import forget_after_commit
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.workcalendar import queries
from tracker.workcalendar.models import CalendarDay, CalendarYear, YearSource
from tracker.workcalendar.rules import (
    DayKind,
    covered_years,
    library_covers,
    library_days,
    plain_working_day,
)

# Called with (years, actor) after a year's days or its confirmation changed; features above
# this one register here (follow-up recomputes the open deadlines counted in those years).
_YEAR_LISTENERS: list[Callable[[set[int], User | None], None]] = []
FIRST_YEAR, LAST_YEAR = 2000, 2100


class CalendarRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def on_year_changed(listener: Callable[[set[int], User | None], None]) -> None:
    _YEAR_LISTENERS.append(listener)


def _changed(years: set[int], actor: User | None) -> None:
    forget_after_commit(db.session, *(queries.confirmed_cache_key(year) for year in years))
    for listener in _YEAR_LISTENERS:
        listener(years, actor)


def outdated() -> CalendarRefused:
    return CalendarRefused(_l("The calendar was changed by someone else in the meantime. "
                              "Please look again and retry."))


def _flush() -> None:
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as exc:
        # Another official changed the year, or entered the same new year or day, meanwhile.
        raise outdated() from exc


def _check_version(record: CalendarYear | None, expected_version: int | None) -> None:
    """``expected_version``: the year's version the page was drawn with, 0 for a year not
    entered then; None (the command line) checks nothing."""
    if expected_version is not None and (record.version if record else 0) != expected_version:
        raise outdated()


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarRefused(_l("Choose a year from %(first)s to %(last)s.",
                                 first=FIRST_YEAR, last=LAST_YEAR))


def _festival_name(day: date) -> str:
    guess = library_days(day.year).get(day)
    return guess[1] if guess and guess[0] is DayKind.off else ""


def _replace_days(record: CalendarYear, days: dict[date, tuple[DayKind, str]]) -> None:
    record.days = [CalendarDay(day=d, year=record.year, kind=kind, name=name[:60])
                   for d, (kind, name) in sorted(days.items())]


def _days_summary(days) -> dict:
    return {"off": sorted(d.isoformat() for d, (k, _n) in days.items() if k is DayKind.off),
            "work": sorted(d.isoformat() for d, (k, _n) in days.items() if k is DayKind.work)}


def _draft_from_the_guess(year: int) -> CalendarYear:
    """A year nobody entered, as its page showed it: the library's days where it carries the
    notice, else the festival days off it foresees. Officials then mark what the notice
    changes, and confirm."""
    record = CalendarYear(year=year, source=YearSource.manual)
    _replace_days(record, {day: guess for day, guess in library_days(year).items()
                           if library_covers(year) or guess[0] is DayKind.off})
    db.session.add(record)
    return record


def fill_from_library(actor: User | None = None) -> list[int]:
    """Enter every year the holidays library carries that nobody entered, and refresh the years
    filled from an older library release. A year entered or corrected by hand is never touched.
    Returns the years written."""
    version = holidays.__version__
    existing = {record.year: record for record in queries.all_years()}
    written = []
    for year in sorted(covered_years()):
        record = existing.get(year)
        if record is not None and (record.source is not YearSource.library
                                   or record.library_version == version):
            continue
        days = library_days(year)
        if record is not None and queries.entered_days(year) == days:
            record.library_version = version
            continue
        if record is None:
            record = CalendarYear(year=year, source=YearSource.library)
            db.session.add(record)
        _replace_days(record, days)
        record.library_version, record.confirmed_at = version, utcnow()
        record.updated_at, record.updated_by_id = utcnow(), actor.id if actor else None
        written.append(year)
        log(actor, "calendar_year", year, "filled_from_library",
            data={"library": f"holidays {version}", **_days_summary(days)})
    _flush()
    if written:
        _changed(set(written), actor)
    return written


def import_year(actor: User | None, year: int, days: dict[date, DayKind], *,
                notice_title: str = "", notice_number: str = "",
                expected_version: int | None = None) -> CalendarYear:
    """Enter ``year``'s whole arrangement (as from a file) and confirm it: it replaces what the
    year had. Festival names are taken from the library where it names the day."""
    check_year(year)
    if any(d.year != year for d in days):
        raise CalendarRefused(_l("Every date must lie in %(year)s.", year=year))
    record = queries.year_record(year)
    _check_version(record, expected_version)
    before = queries.entered_days(year) if record else {}
    if record is None:
        record = CalendarYear(year=year, source=YearSource.manual)
        db.session.add(record)
    named = {d: (kind, _festival_name(d) if kind is DayKind.off else "")
             for d, kind in days.items()}
    _replace_days(record, named)
    record.source, record.confirmed_at, record.library_version = YearSource.manual, utcnow(), ""
    record.notice_title, record.notice_number = notice_title[:200], notice_number[:60]
    record.updated_at, record.updated_by_id = utcnow(), actor.id if actor else None
    _flush()
    log(actor, "calendar_year", year, "imported", note=notice_title,
        data={"notice_number": notice_number, "before": _days_summary(before),
              **_days_summary(named)})
    _changed({year}, actor)
    return record


def set_day(actor: User, day: date, kind: DayKind | None, *,
            expected_version: int | None) -> CalendarYear:
    """Mark one day off or working (None: as a plain week has it). A year nobody entered yet
    starts as a draft, which counts once confirmed; a confirmed year counts at once."""
    check_year(day.year)
    record = queries.year_record(day.year)
    _check_version(record, expected_version)
    if record is None:
        record = _draft_from_the_guess(day.year)
        _flush()
    entry = db.session.get(CalendarDay, day)
    before = entry.kind.value if entry else None
    if kind is None or (kind is DayKind.work) == plain_working_day(day):
        if entry is not None:  # as a plain week has it: nothing to keep
            db.session.delete(entry)
    elif entry is None:
        db.session.add(CalendarDay(day=day, year=day.year, kind=kind,
                                   name=_festival_name(day) if kind is DayKind.off else ""))
    else:
        entry.kind = kind
    record.source, record.library_version = YearSource.manual, ""
    record.updated_at, record.updated_by_id = utcnow(), actor.id
    _flush()
    log(actor, "calendar_year", day.year, "day_set",
        data={"day": day.isoformat(), "from": before, "to": kind.value if kind else None})
    if record.confirmed:
        _changed({day.year}, actor)
    return record


def confirm_year(actor: User, year: int, *, notice_title: str, notice_number: str,
                 expected_version: int | None) -> CalendarYear:
    """The year's days are the State Council's notice: from now on they decide its deadlines."""
    check_year(year)
    record = queries.year_record(year)
    _check_version(record, expected_version)
    if record is None:
        record = _draft_from_the_guess(year)
    record.source, record.confirmed_at, record.library_version = YearSource.manual, utcnow(), ""
    record.notice_title, record.notice_number = notice_title[:200], notice_number[:60]
    record.updated_at, record.updated_by_id = utcnow(), actor.id
    _flush()
    log(actor, "calendar_year", year, "confirmed", note=notice_title,
        data={"notice_number": notice_number,
              **_days_summary(queries.entered_days(year))})
    _changed({year}, actor)
    return record
