import click
from flask.cli import with_appcontext

from tracker.extensions import db
from tracker.voting.operations import close_due_votes


@click.group(help="Resolution votes.")
def votes():
    pass


@votes.command("close-due")
@with_appcontext
def close_due_command():
    """Close every online vote whose closing time has passed (run it from cron)."""
    closed, failed = close_due_votes()
    db.session.commit()
    for vote in closed:
        click.echo(f"closed vote {vote.id}: {vote.result['explanation_zh']}")
    for vote, problem in failed:
        click.echo(f"could not close vote {vote.id}: {problem}", err=True)
    click.echo(f"{len(closed)} vote(s) closed, {len(failed)} could not be closed")
    if failed:
        raise SystemExit(1)
