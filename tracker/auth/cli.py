import click
from flask.cli import with_appcontext

from tracker.auth.operations import create_account
from tracker.auth.queries import account_using
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
    taken = account_using(username, phone)
    if taken:
        raise click.ClickException(f"username or phone already used by {taken.username}")
    create_account(username=username, name=name, phone=phone, is_admin=admin,
                   password=password)
    db.session.commit()
    click.echo(f"created {username}" + (" (administrator)" if admin else ""))
