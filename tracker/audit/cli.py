import click
from flask.cli import with_appcontext

from tracker.audit.chain import verify_chain
from tracker.audit.queries import event_id_with_hash
from tracker.extensions import db


@click.group(help="The audit log.")
def audit():
    pass


@audit.command("verify")
@click.option("--head", "recorded_head", metavar="HASH",
              help="A head hash printed earlier: it must still be in the chain.")
@with_appcontext
def verify_command(recorded_head):
    """Check the audit log's hash chain; exit status 1 at the first edited, inserted or deleted
    event."""
    verdict = verify_chain(db.session)
    if not verdict.valid:
        click.echo(f"BROKEN: {verdict.message} ({verdict.count} events verified before it)",
                   err=True)
        raise SystemExit(1)
    if recorded_head:
        found = event_id_with_hash(recorded_head)
        if found is None:
            click.echo(f"BROKEN: no event has the recorded head {recorded_head}: events were "
                       f"deleted from the end or the chain was rewritten", err=True)
            raise SystemExit(1)
        click.echo(f"recorded head found at event {found}")
    click.echo(f"OK: {verdict.count} audit events verified; head {verdict.head}")
