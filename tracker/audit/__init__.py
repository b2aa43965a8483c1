"""The audit log: one row per change, written in the same transaction as the change, each row
chained to the one before by its hash (``chain``)."""
from flask import Flask

from tracker.audit import chain  # noqa: F401 - hashes new events as they are flushed


def init_app(app: Flask) -> None:
    from tracker.audit.cli import audit
    app.cli.add_command(audit)
