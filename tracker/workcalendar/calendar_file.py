"""A year's arrangement as a file: one ``date,kind`` line a day (kind ``off`` for 放假, ``work``
for 调休上班), as district staff type it from the State Council's notice."""
import csv
import io
from dataclasses import dataclass, field
from datetime import date

from tracker.core.i18n import lazy_gettext as _l
from tracker.workcalendar.rules import DayKind


@dataclass
class ParsedYear:
    days: dict[date, DayKind] = field(default_factory=dict)
    errors: list = field(default_factory=list)  # one message per bad line, with its number


def parse_year_file(text: str, year: int) -> ParsedYear:
    """Read the lines; a header line (``date,kind``) and blank lines are allowed. Every bad
    line is reported with its number — an unknown kind, a date outside ``year``, a date twice —
    and the caller then writes nothing."""
    parsed, first_seen = ParsedYear(), {}
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:  # e.g. a field of over 128 KiB: no file of dates
        parsed.errors.append(_l("The file is not a CSV file of dates."))
        return parsed
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or number == 1 and cells[0].lower() in ("date", "日期"):
            continue
        message = _line_error(cells, year, first_seen)
        if message:
            parsed.errors.append(_l("Line %(number)s: %(message)s", number=number,
                                    message=message))
            continue
        day = date.fromisoformat(cells[0])
        first_seen[day] = number
        parsed.days[day] = DayKind(cells[1].lower())
    if not parsed.days and not parsed.errors:
        parsed.errors.append(_l("The file lists no dates."))
    return parsed


def _line_error(cells: list[str], year: int, first_seen: dict[date, int]):
    if len(cells) != 2:
        return _l("expected two columns, date and kind; found %(count)s", count=len(cells))
    try:
        day = date.fromisoformat(cells[0])
    except ValueError:
        return _l("“%(value)s” is not a date written YYYY-MM-DD", value=cells[0])
    if cells[1].lower() not in {kind.value for kind in DayKind}:
        return _l("unknown kind “%(value)s”: write off (day off) or work (make-up working "
                  "day)", value=cells[1])
    if day.year != year:
        return _l("%(day)s does not lie in %(year)s", day=day.isoformat(), year=year)
    if day in first_seen:
        return _l("%(day)s is listed twice (first on line %(line)s)", day=day.isoformat(),
                  line=first_seen[day])
    return None
