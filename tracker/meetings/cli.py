import click
from flask.cli import with_appcontext

from tracker.meetings.verification import verify_minutes_pdf


@click.group(help="Meeting minutes.")
def minutes():
    pass


@minutes.command("verify")
@click.argument("pdf_file", type=click.File("rb"))
@with_appcontext
def verify_command(pdf_file):
    """Check a minutes PDF; exit status 0 only when it is valid."""
    verdict = verify_minutes_pdf(pdf_file.read())
    if verdict.valid:
        meeting = verdict.document.meeting
        click.echo(f"VALID: {meeting.community.name} {meeting.number} "
                   f"({', '.join(c.name for c in meeting.compounds)}), "
                   f"signed {verdict.document.created_at.isoformat()}")
        return
    click.echo(f"INVALID: {verdict.reason}", err=True)
    raise SystemExit(1)
