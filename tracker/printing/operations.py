"""Queuing a bulk print. Flushes and audits; the request commits."""
from __future__ import annotations

from tracker.audit.operations import log
from tracker.auth.models import User
from tracker.core.i18n import lazy_gettext as _l
from tracker.extensions import db
from tracker.meetings.models import Meeting
from tracker.printing.models import PrintFormat, PrintJob

# A month of a whole district is a few hundred meetings; more is a mistake, and each merged
# PDF is held in memory while it is put together.
MAX_MEETINGS = 500


class PrintRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def check_size(count: int) -> None:
    """:raise PrintRefused: nothing chosen, or more than :data:`MAX_MEETINGS`."""
    if count == 0:
        raise PrintRefused(_l("Choose at least one meeting with signed minutes."))
    if count > MAX_MEETINGS:
        raise PrintRefused(_l("At most %(n)d minutes can be printed at once. Narrow the filters "
                              "or choose fewer.", n=MAX_MEETINGS))


def create_job(user: User, meetings: list[Meeting], fmt: PrintFormat) -> PrintJob:
    """Queue a print of ``meetings`` (already checked: signed, visible to ``user``) in their
    order.

    :raise PrintRefused: see :func:`check_size`.
    """
    check_size(len(meetings))
    job = PrintJob(user_id=user.id, format=fmt, meeting_ids=[m.id for m in meetings],
                   total=len(meetings))
    db.session.add(job)
    db.session.flush()
    log(user, "print_job", job.id, "create", data={
        "format": fmt.value, "meetings": [f"{m.community.name}{m.number}" for m in meetings]})
    return job
