"""Database helpers shared by every feature."""
import functools

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tracker.extensions import db


def enable_sqlite_foreign_keys(app: Flask) -> None:
    """SQLite ignores foreign keys unless each connection asks for them."""
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name != "sqlite":
            return

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            # WAL lets gunicorn workers read while one writes.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

        @event.listens_for(engine, "savepoint")
        def _begin_before_savepoint(connection, _name):
            # pysqlite opens a transaction only before INSERT/UPDATE/DELETE, not before
            # SAVEPOINT; a savepoint taken first (``begin_nested()`` around the first write, as
            # raising a case does) then *is* the transaction, and releasing it commits: a
            # failure later in the request would leave that first write stored on its own.
            dbapi_connection = connection.connection.dbapi_connection
            if not dbapi_connection.in_transaction:
                dbapi_connection.execute("BEGIN")


def first_row_binary(statement, params: dict):
    """The first row of a statement built once (a module constant), or ``None``; on PostgreSQL
    read in the binary result format.

    psycopg asks for results as text unless told otherwise: a 210 KB minutes PDF then leaves
    the server as 420 KB of hex that the server encodes and the app decodes (1.4 ms a read
    against 0.4 ms in binary on the reference machine). SQLAlchemy has no switch for it, so the
    statement, compiled once, runs on the session's own connection through a binary cursor.
    """
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return connection.execute(statement, params).first()
    compiled = _compiled(statement, connection.dialect)
    with connection.connection.driver_connection.cursor(binary=True) as cursor:
        cursor.execute(compiled.string, compiled.construct_params(params))
        return cursor.fetchone()


@functools.lru_cache(maxsize=32)
def _compiled(statement, dialect):
    return statement.compile(dialect=dialect)
