"""Backups: one archive with the database and the instance folder's files, and its restore."""
from flask import Flask


def init_app(app: Flask) -> None:
    from tracker.backup.cli import backup_command, restore_command
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
