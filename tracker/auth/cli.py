import click
from flask.cli import with_appcontext
from sqlalchemy import select

from tracker.auth.models import User
from tracker.extensions import db


@click.group(help="Manage user accounts.")
def users():
    pass


@users.command("create")
@click.option("--username", required=True)
@click.option("--name", required=True, help="Full name, shown on pages and minutes.")
@click.option("--phone", default=None)
@click.option("--admin", is_flag=True, help="Make the account an administrator.")
@click.password_option(help="Asked for interactively when not given.")
@with_appcontext
def create_user(username, name, phone, admin, password):
    """Create an account."""
    if len(password) < 8:
        raise click.ClickException("password must have at least 8 characters")
    taken = db.session.scalar(select(User).where(
        (User.username == username) | ((User.phone == phone) if phone else False)))
    if taken:
        raise click.ClickException(f"username or phone already used by {taken.username}")
    user = User(username=username, name=name, phone=phone, is_admin=admin)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {username}" + (" (administrator)" if admin else ""))
