import click
from flask.cli import with_appcontext

from tracker.audit.chain import verify_chain
from tracker.extensions import db


@click.group(help="The audit log.")
def audit():
    pass


@audit.command("verify")
@with_appcontext
def verify_command():
    """Check the audit log's hash chain; exit status 1 at the first edited, inserted or deleted
    event."""
    verdict = verify_chain(db.session)
    if verdict.valid:
        click.echo(f"OK: {verdict.count} audit events verified; head {verdict.head}")
        return
    click.echo(f"BROKEN: {verdict.message} ({verdict.count} events verified before it)", err=True)
    raise SystemExit(1)
