"""Database helpers shared by every feature."""
import time

from flask import Flask
from sqlalchemy import event, exc
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


# A pooled connection that sat unused this long is tested before a request gets it.
PING_AFTER_IDLE_SECONDS = 10.0


def ping_idle_connections(app: Flask) -> None:
    """Test a pooled connection before use only if it has been idle a while.

    A database restarted (or a firewall that dropped a quiet connection) leaves the pool's
    connections dead, and the first request on each would fail. SQLAlchemy's ``pool_pre_ping``
    tests every connection at every checkout: on PostgreSQL a round trip of every request, the
    most expensive part of a stored PDF download. Connections in steady use were used moments
    ago; those are not tested. A connection that dies while in use (the database restarts
    under load) fails that one request with the "try again" page, and SQLAlchemy then renews
    the whole pool.
    """
    with app.app_context():
        engine: Engine = db.engine

    @event.listens_for(engine, "checkin")
    def _note_return(_dbapi_connection, record):
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned < PING_AFTER_IDLE_SECONDS:
            return  # new, or in use moments ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # whatever the driver says, this connection is no use
            # The pool discards it and checks out (or opens) another.
            raise exc.DisconnectionError(str(error)) from error
