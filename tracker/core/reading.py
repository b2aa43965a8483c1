"""Reading rows of plain columns for the most requested pages, with as little between the page
and the database driver as SQLAlchemy allows.

A small statement costs SQLite some 10 µs; running it through ``Session.execute`` cost the app
~150 µs and through ``Connection.execute`` ~70 µs (execution context, result metadata, row
objects), per statement, on every request of a case page or a case list. :func:`read_rows`
compiles a statement once per database dialect and then hands the SQL to the driver's cursor
itself, converting parameters and results with the very processors SQLAlchemy would have used.
Whatever it cannot do the same way goes the ordinary way (see :func:`_lean`).
"""
from __future__ import annotations

import collections
import contextlib
import keyword
from typing import Any

from sqlalchemy import Numeric
from sqlalchemy.engine import Connection, Dialect

from tracker.extensions import db


def read_rows(statement, params: dict | None = None) -> list:
    """The rows of a statement of plain columns (no ORM entities), run on the session's own
    connection and transaction; each row a named tuple (``row.title``, ``row._fields``).

    Unlike ``db.session.execute`` it does not flush pending changes first: for pages that read,
    not for reading back what a request wrote. A statement built once (a module constant, or one
    from a cache of built statements) is read the lean way from its second use on; one built for
    a single request is read the ordinary way (compiling it anew each time would cost more).
    """
    params = params or {}
    connection = db.session.connection()
    lean = _lean(statement, connection)
    if lean is not None:
        try:
            args = lean.arguments(params)
        except Exception:  # noqa: BLE001 - a value its type refuses: reported the ordinary way
            lean = None
    if lean is None:
        return connection.execute(statement, params).all()
    return lean.rows(connection, args)


class _LeanStatement:
    """A statement compiled for one dialect, with what turns its parameters and rows into what
    the driver takes and what SQLAlchemy would have returned."""

    def __init__(self, compiled, dialect: Dialect):
        self.compiled = compiled
        self.sql = compiled.string
        # qmark (SQLite) takes a sequence in the statement's order; pyformat (psycopg) a dict.
        self.order = list(compiled.positiontup) if compiled.positional else None
        self.binds = dict(compiled._bind_processors)
        columns = compiled._result_columns
        self.results = [(n, processor) for n, processor in enumerate(
            column[3]._cached_result_processor(dialect, None) for column in columns)
            if processor is not None]
        self.row = collections.namedtuple("Row", [column[0] for column in columns],
                                          rename=True)

    def arguments(self, params: dict) -> Any:
        """The parameters as the driver takes them."""
        values = self.compiled.construct_params(params, escape_names=False)
        for name, processor in self.binds.items():
            if name in values:
                values[name] = processor(values[name])
        return [values[name] for name in self.order] if self.order is not None else values

    def rows(self, connection: Connection, args: Any) -> list:
        cursor = None
        try:
            cursor = connection.connection.cursor()
            # Through the dialect, as SQLAlchemy runs every statement (tests put faults there).
            connection.dialect.do_execute(cursor, self.sql, args, None)
            fetched = cursor.fetchall()
        except connection.dialect.loaded_dbapi.Error as error:
            # Reported exactly as the ordinary way reports it: wrapped in SQLAlchemy's error
            # (an OperationalError is the "database unavailable" page), a lost connection
            # invalidated. Raises.
            connection._handle_dbapi_exception(error, self.sql, args, cursor, None)
            raise
        finally:
            # After a lost connection SQLAlchemy has closed it, and closing the cursor would
            # raise anew, hiding the error above.
            if cursor is not None:
                with contextlib.suppress(connection.dialect.loaded_dbapi.Error):
                    cursor.close()
        make = self.row._make
        if not self.results:
            return [make(row) for row in fetched]
        rows = []
        for row in fetched:
            row = list(row)
            for n, processor in self.results:
                row[n] = processor(row[n])
            rows.append(make(row))
        return rows


# statement → (dialect, its _LeanStatement or None when it must go the ordinary way).
_prepared: dict = {}
# Statements seen once: read the lean way only when seen again (built once, not per request).
_seen: dict = {}
_KEPT = 512


def _lean(statement, connection: Connection) -> _LeanStatement | None:
    # Statement listeners (the tests' statement counts, profilers) and the echo log see every
    # statement: with any, the ordinary way, which tells them.
    dispatch = connection.dispatch
    if (dispatch.before_cursor_execute or dispatch.after_cursor_execute
            or dispatch.before_execute or dispatch.after_execute
            or connection.dialect.dispatch.do_execute or connection._echo):
        return None
    dialect = connection.dialect
    found = _prepared.get(statement)
    if found is not None and found[0] is dialect:
        return found[1]
    if statement not in _seen:
        if len(_seen) >= _KEPT:
            _seen.clear()
        _seen[statement] = True  # kept alive here, so its id is not reused meanwhile
        return None
    if len(_prepared) >= _KEPT:
        _prepared.clear()
    lean = _compile(statement, dialect)
    _prepared[statement] = (dialect, lean)
    return lean


def _compile(statement, dialect: Dialect) -> _LeanStatement | None:
    compiled = statement.compile(dialect=dialect)
    ordinary = (
        # Parameters SQLAlchemy writes into the SQL at run time (``IN`` of a list, some LIMITs).
        compiled.literal_execute_params or compiled.post_compile_params
        # Parameter names the SQL spells differently from the statement.
        or compiled.escaped_bind_names
        or dialect.paramstyle not in ("qmark", "pyformat")
        # Whose conversion depends on the driver's column type (decimals on PostgreSQL).
        or any(isinstance(column[3], Numeric) for column in compiled._result_columns)
        # Names a named tuple would rename (SQLAlchemy's rows keep them).
        or not all(_plain_name(column[0]) for column in compiled._result_columns))
    return None if ordinary else _LeanStatement(compiled, dialect)


def _plain_name(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("_")
