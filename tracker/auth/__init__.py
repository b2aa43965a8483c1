"""Accounts: logging in and out, passwords, who a person is and where they may act."""
from flask import Flask


def init_app(app: Flask) -> None:
    from tracker.auth import cli, views
    from tracker.auth.loader import configure_login
    configure_login(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.users)
