"""Database helpers shared by every feature."""
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
