import click
from flask.cli import with_appcontext

from tracker.extensions import db
from tracker.followup.reminders import send_minutes_reminders, send_task_reminders


@click.group(help="Reminders (run from cron, e.g. every 15 minutes).")
def reminders():
    pass


@reminders.command("send")
@with_appcontext
def send_command():
    """Send due-soon and overdue task reminders and unsigned-minutes reminders, once each."""
    tasks = send_task_reminders()
    minutes = send_minutes_reminders()
    db.session.commit()
    click.echo(f"{tasks} task reminder(s), {minutes} minutes reminder(s) sent")
