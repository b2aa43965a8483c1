import click
from flask.cli import with_appcontext
from sqlalchemy import select

from tracker.api import tokens
from tracker.auth.models import User
from tracker.extensions import db


@click.group("api-tokens", help="Personal access tokens of the JSON API.")
def api_tokens():
    pass


@api_tokens.command("create")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for, e.g. the 12345 hotline.")
@with_appcontext
def create(username, name):
    """Create a token acting as USERNAME; it is printed once and stored only as its hash."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        raise click.ClickException(f"no active account {username}")
    _record, token = tokens.create_token(user, name[:64])
    db.session.commit()
    click.echo(token)
