"""The database session: reads without a transaction on PostgreSQL for pages that only read.

psycopg opens a transaction with its own round trip (``BEGIN``) before a request's first
statement, and the pool ends it with another (``ROLLBACK``) when the request returns the
connection. For a page that only reads, both are waste: PostgreSQL's default isolation (read
committed) already gives each statement its own snapshot, so running the statements in
autocommit changes nothing they see. On the reference machine they were two of a stored PDF
download's four round trips. A view says it only reads with :func:`reads_only`; should it write
after all, the session refuses (:class:`ReadOnlyViolation`) rather than write outside a
transaction. SQLite opens no transaction for reads anyway and is left as it is.
"""
import weakref

from flask import current_app, has_request_context, request
from flask_sqlalchemy.session import Session
from sqlalchemy import event

_AUTOCOMMIT: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


class ReadOnlyViolation(RuntimeError):
    """A view marked :func:`reads_only` tried to write."""


def reads_only(view):
    """Mark a GET view that never writes: on PostgreSQL it runs without a transaction."""
    view.reads_only = True
    return view


def in_read_only_request() -> bool:
    if not has_request_context() or request.method not in ("GET", "HEAD"):
        return False
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "reads_only", False)


class TrackerSession(Session):
    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        engine = super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
        if bind is None and engine.dialect.name == "postgresql" and in_read_only_request():
            autocommit = _AUTOCOMMIT.get(engine)
            if autocommit is None:  # same pool, connections lent in autocommit
                autocommit = _AUTOCOMMIT[engine] = engine.execution_options(
                    isolation_level="AUTOCOMMIT")
            return autocommit
        return engine


@event.listens_for(TrackerSession, "before_flush")
def _refuse_writes_in_read_only_requests(session, _context, _instances):
    if (session.new or session.dirty or session.deleted) and in_read_only_request():
        raise ReadOnlyViolation(f"{request.endpoint} is marked reads_only but wrote")


@event.listens_for(TrackerSession, "do_orm_execute")
def _refuse_statements_that_write(state):
    # UPDATE, DELETE and INSERT statements; a text() statement counts too (the session cannot
    # tell what it does): a read-only view reads through select().
    if not state.is_select and in_read_only_request():
        raise ReadOnlyViolation(f"{request.endpoint} is marked reads_only but wrote")
