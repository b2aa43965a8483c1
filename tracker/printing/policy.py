"""Who may follow a bulk print. Which minutes a person may print is the register's scope
(:func:`tracker.printing.queries.printable_meetings`)."""
from tracker.auth.models import User
from tracker.printing.models import PrintJob


def can_follow_job(user: User, job: PrintJob) -> bool:
    """A print job is its maker's alone: its progress and its file, which holds minutes they
    were allowed to print when they asked."""
    return job.user_id == user.id
