"""The seed story as demo data: ``flask --app tracker demo load``."""
from flask import Flask


def init_app(app: Flask) -> None:
    from tracker.auth.views import LOGIN_REFUSALS
    from tracker.demo import cli, production
    app.cli.add_command(cli.demo)
    if production.refuse_demo_login not in LOGIN_REFUSALS:
        LOGIN_REFUSALS.append(production.refuse_demo_login)
