"""The two date calculations the dashboard needs, written for each database.

SQLite and PostgreSQL name them differently; these constructs let the figures be written once
and stay SQL aggregates on both.
"""
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Float, String, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class local_month(FunctionElement):
    """'YYYY-MM' of a UTC timestamp in the display time zone (a month is a local month)."""
    type = String()
    inherit_cache = True

    def __init__(self, column, zone: str):
        # Both spellings travel as bound parameters, so a cached statement never keeps a zone.
        # SQLite has no zone database; China keeps no daylight saving time, so today's offset
        # holds for every date.
        offset = datetime.now(ZoneInfo(zone)).utcoffset()
        modifier = f"{int(offset.total_seconds() // 60):+d} minutes"
        super().__init__(column, literal(zone), literal(modifier))


@compiles(local_month, "postgresql")
def _local_month_pg(element, compiler, **kw):
    column, zone, _modifier = (compiler.process(c, **kw) for c in element.clauses)
    return f"to_char(({column}) AT TIME ZONE {zone}, 'YYYY-MM')"


@compiles(local_month, "sqlite")
def _local_month_sqlite(element, compiler, **kw):
    column, _zone, modifier = (compiler.process(c, **kw) for c in element.clauses)
    return f"strftime('%Y-%m', {column}, {modifier})"


class days_between(FunctionElement):
    """Days (with fractions) from the first timestamp to the second."""
    type = Float()
    inherit_cache = True


@compiles(days_between, "postgresql")
def _days_between_pg(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end}) - ({start})) / 86400.0)"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(julianday({end}) - julianday({start}))"
