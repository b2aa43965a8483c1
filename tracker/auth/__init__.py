"""Accounts: logging in and out, passwords, who a person is and where they may act."""
from flask import Flask

from tracker.auth import labels  # noqa: F401  (registers the enum labels)


def init_app(app: Flask) -> None:
    from tracker.auth import cli, views
    from tracker.auth.loader import configure_login
    configure_login(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.users)
    # Features above auth add sections to the password page (templates to include, in order).
    app.jinja_env.globals["account_sections"] = []
    app.jinja_env.globals["account_page"] = views.account_page
