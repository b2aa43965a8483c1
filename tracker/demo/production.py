"""The demo on a production server (``TRACKER_ENV=production``): refused.

Demo accounts and the demo password are published (README, the guide, ``demo load``'s output),
so on a production server they log nobody in, and the demo commands refuse to create them.
"""
import click
from flask import current_app

from tracker.auth.models import User
from tracker.demo.district import DEFAULT_PASSWORD
from tracker.demo.story import DEMO_PASSWORD, PEOPLE

DEMO_USERNAMES = frozenset(username for username, *_rest in PEOPLE)


def is_production() -> bool:
    return current_app.config.get("TRACKER_ENV") == "production"


def refuse_demo_login(user: User, password: str) -> bool:
    """On a production server, the seed story's accounts and the demo password log nobody in
    (the generated district's accounts share that password)."""
    return is_production() and (user.username in DEMO_USERNAMES
                                or password in (DEMO_PASSWORD, DEFAULT_PASSWORD))


def refuse_on_production() -> None:
    """:raise click.ClickException: on a production server."""
    if is_production():
        raise click.ClickException(
            "TRACKER_ENV=production: demo data (its accounts share a published password) "
            "is never loaded into a production database.")
