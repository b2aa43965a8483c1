"""A pooled database connection that died while idle is replaced before a page uses it.

Connections are tested only after sitting unused for ``PING_AFTER_IDLE_SECONDS``
(tracker.core.database.ping_idle_connections), not on every request: this shows the test
happens and that it matters. PostgreSQL only: it needs a server that can end a connection.
"""
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tracker.core import database
from tracker.extensions import db


def _end_the_pooled_connection(client) -> None:
    """Leave the pool one connection, used moments ago by a page, and end it on the server."""
    db.session.remove()
    db.engine.dispose()
    assert client.get("/cases/").status_code == 200
    db.session.remove()  # the test's app context outlives the request: end its session here
    with db.engine.connect() as connection:  # the same, only pooled connection
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    outside = create_engine(db.engine.url, poolclass=NullPool)
    with outside.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    outside.dispose()


def test_an_idle_connection_ended_by_the_server_is_replaced(app, world, login_as, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs a PostgreSQL server to end a connection")
    client = login_as(world.district_official)

    # Used moments ago: not tested, so the page runs into the dead connection ("try again").
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 3600.0)
    _end_the_pooled_connection(client)
    assert client.get("/cases/").status_code == 503

    # Idle long enough: tested at checkout, replaced, and the page is served.
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)
    _end_the_pooled_connection(client)
    assert client.get("/cases/").status_code == 200
