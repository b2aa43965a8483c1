"""``flask cache clear``: forget every shared answer, e.g. after restoring a database by hand."""
import click
from flask.cli import AppGroup

from tracker.core.cache import clear_all

cache_group = AppGroup("cache", help="The shared cache every worker reads.")


@cache_group.command("clear")
def clear_command():
    """Forget every shared answer; the workers compute them again from the database."""
    if not clear_all():
        raise click.ClickException("the shared cache is unreachable; nothing was cleared")
    click.echo("shared cache cleared")
