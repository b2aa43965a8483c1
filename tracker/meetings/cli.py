import logging
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask.cli import with_appcontext

from tracker.meetings.labels import verdict_reason
from tracker.meetings.verification import verify_minutes_pdf

# pyHanko logs each check that fails, with its traceback, at WARNING; for a file that is not valid
# that is the expected answer, and the verdict says why in one line.
CHECKERS_LOGS = ("pyhanko", "pyhanko_certvalidator")


@contextmanager
def _checkers_quiet() -> Iterator[None]:
    """The checkers' log records stop at their own loggers while the block runs."""
    loggers = [logging.getLogger(name) for name in CHECKERS_LOGS]
    saved = [logger.propagate for logger in loggers]
    sink = logging.NullHandler()
    for logger in loggers:
        logger.addHandler(sink)
        logger.propagate = False
    try:
        yield
    finally:
        for logger, propagate in zip(loggers, saved, strict=True):
            logger.removeHandler(sink)
            logger.propagate = propagate


@click.group(help="Meeting minutes.")
def minutes():
    pass


@minutes.command("verify")
@click.argument("pdf_file", type=click.File("rb"))
@with_appcontext
def verify_command(pdf_file):
    """Check a minutes PDF; exit status 0 only when it is valid. Why a file is not valid is
    printed as one line on stderr."""
    with _checkers_quiet():
        verdict = verify_minutes_pdf(pdf_file.read())
    if verdict.valid:
        meeting = verdict.document.meeting
        click.echo(f"VALID: {meeting.community.name} {meeting.number} "
                   f"({', '.join(c.name for c in meeting.compounds)}), "
                   f"signed {verdict.document.created_at.isoformat()}")
        return
    click.echo(f"INVALID: {verdict_reason(verdict.reason)}", err=True)
    raise SystemExit(1)
