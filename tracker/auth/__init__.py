"""Accounts: logging in and out, passwords, who a person is and where they may act."""
import os
from datetime import timedelta

from flask import Flask

from tracker.auth import labels  # noqa: F401  (registers the enum labels)


def init_app(app: Flask) -> None:
    from tracker.auth import cli, views
    from tracker.auth.loader import configure_login
    # How long a login lasts at most, "stay logged in" or not (LOGIN_DAYS, 30 by default): the
    # remember-me cookie's lifetime, and the server refuses the login after it whatever the
    # browser keeps. A change applies to logins begun after it.
    app.config.setdefault("REMEMBER_COOKIE_DURATION",
                          timedelta(days=int(os.environ.get("LOGIN_DAYS", "30"))))
    configure_login(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.users)
    # Features above auth add sections to the password page (templates to include, in order).
    app.jinja_env.globals["account_sections"] = []
    app.jinja_env.globals["account_page"] = views.account_page
