"""Printing signed minutes in bulk: a merged PDF or a ZIP of the signed files, with progress."""
from flask import Flask


def init_app(app: Flask) -> None:
    from tracker.printing import labels, models, views  # noqa: F401
    app.register_blueprint(views.bp)
    # `flask minutes export` sits with `flask minutes verify`; meetings does not import printing.
    from tracker.meetings.cli import minutes
    from tracker.printing.cli import export_command
    minutes.add_command(export_command)
