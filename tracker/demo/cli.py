import click
from flask.cli import with_appcontext

from tracker.demo.story import DEMO_PASSWORD, load_story


@click.group(help="Demo data from the seed story (江汉区北湖街).")
def demo():
    pass


@demo.command("load")
@with_appcontext
def load_command():
    """Load the demo; running it again changes nothing."""
    created, logins = load_story()
    click.echo("demo data loaded" if created else "demo data already present; nothing changed")
    click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for username, name, role in logins:
        click.echo(f"  {username:<14} {name:<6} {role}")
