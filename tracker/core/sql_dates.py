"""A timestamp's day on the display time zone's calendar, computed by the database.

A list of fifty cases shows fifty "raised on" days; converting each stored UTC time to Beijing
time in Python was a tenth of the list's rendering (docs/scaling.md).
"""
from zoneinfo import ZoneInfo

from sqlalchemy import String, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from tracker.core.time import utcnow


class local_day(FunctionElement):
    """'YYYY-MM-DD' of a UTC timestamp in the display time zone. The zone travels with the
    statement's parameters (:func:`zone_parameters`), so a statement built once serves any."""
    type = String()
    inherit_cache = True

    def __init__(self, column):
        super().__init__(column, bindparam("display_zone"), bindparam("display_offset"))


def zone_parameters(zone: str) -> dict[str, str]:
    """The parameters :class:`local_day` reads: the zone's name (PostgreSQL converts with its own
    zone database) and its offset as an SQLite modifier (SQLite has none; China keeps no daylight
    saving time, so today's offset holds for every date)."""
    offset = utcnow().astimezone(ZoneInfo(zone)).utcoffset()
    return {"display_zone": zone,
            "display_offset": f"{int(offset.total_seconds() // 60):+d} minutes"}


@compiles(local_day, "postgresql")
def _local_day_pg(element, compiler, **kw):
    column, zone, _offset = element.clauses
    return (f"to_char(({compiler.process(column, **kw)}) AT TIME ZONE "
            f"{compiler.process(zone, **kw)}, 'YYYY-MM-DD')")


@compiles(local_day, "sqlite")
def _local_day_sqlite(element, compiler, **kw):
    column, _zone, offset = element.clauses
    return (f"strftime('%Y-%m-%d', {compiler.process(column, **kw)}, "
            f"{compiler.process(offset, **kw)})")
