"""The follow-up section of the case page: its tasks with their reports, and its forms.

Everything the section shows is read in one statement as plain rows (tasks, their reports with
the author's name, the reports' photos, and whether the viewer sits for each task's party): the
ORM's entities and loaders for the same took a sixth of the case page. Its forms are made here
and drawn by the section's template.
"""
from dataclasses import dataclass, field
from datetime import datetime

from flask_login import current_user
from sqlalchemy import bindparam, exists, select

from tracker.auth import scope
from tracker.auth.models import Membership, User
from tracker.cases.models import Case
from tracker.core.i18n import gettext as _
from tracker.core.time import utcnow
from tracker.followup.forms import ProgressForm, TaskForm, VisitForm
from tracker.extensions import db
from tracker.followup.models import FollowUpTask, ProgressPhoto, ProgressReport
from tracker.places.models import Party


@dataclass
class ReportShown:
    """A progress report as the section shows it."""
    created_at: datetime
    author: str
    progress: int
    note: str
    photos: list[tuple[int, str]] = field(default_factory=list)  # (id, file name)


@dataclass
class TaskShown:
    """A task as the section shows it (``FollowUpTask`` read as plain columns)."""
    id: int
    description: str
    responsible: str
    due_at: datetime
    done_at: datetime | None
    progress: int
    in_viewers_party: bool
    provisional: bool  # counted over a year whose arrangement is not confirmed yet (暂定)
    reports: list[ReportShown] = field(default_factory=list)

    def overdue(self, now: datetime) -> bool:
        return FollowUpTask.overdue(self, now)  # the model's rule, on these columns


# Looked up per report, not joined: PostgreSQL would hash the whole users table for a few rows.
_AUTHOR_NAME = select(User.name).where(User.id == ProgressReport.author_id).scalar_subquery()
_IN_VIEWERS_PARTY = exists().where(Membership.user_id == bindparam("user_id"),
                                   Membership.party_id == FollowUpTask.responsible_party_id)
# One row per photo of each report of each task (a task without reports, a report without
# photos: one row with NULLs), in the order the section shows them.
_SECTION = (
    select(FollowUpTask.id, FollowUpTask.description, FollowUpTask.responsible_text,
           Party.name, FollowUpTask.due_at, FollowUpTask.done_at, FollowUpTask.progress,
           _IN_VIEWERS_PARTY, FollowUpTask.provisional, ProgressReport.id,
           ProgressReport.created_at, _AUTHOR_NAME,
           ProgressReport.progress, ProgressReport.note, ProgressPhoto.id,
           ProgressPhoto.filename)
    .outerjoin(Party, Party.id == FollowUpTask.responsible_party_id)
    .outerjoin(ProgressReport, ProgressReport.task_id == FollowUpTask.id)
    .outerjoin(ProgressPhoto, ProgressPhoto.report_id == ProgressReport.id)
    .where(FollowUpTask.case_id == bindparam("case_id"))
    .order_by(FollowUpTask.id, ProgressReport.id, ProgressPhoto.id))

_PARTIES = (select(Party.id, Party.name).where(Party.compound_id == bindparam("compound_id"))
            .order_by(Party.kind, Party.id))


def tasks_shown(case: Case, viewer: User) -> list[TaskShown]:
    """The case's tasks, oldest first, each with its reports (oldest first) and their photos,
    and whether ``viewer`` sits for the task's responsible party."""
    tasks: dict[int, TaskShown] = {}
    reports: dict[int, ReportShown] = {}
    for (task_id, description, responsible_text, party, due_at, done_at, progress, member,
         provisional, report_id, reported_at, author, reported, note, photo_id, filename) in \
            db.session.execute(_SECTION, {"case_id": case.id, "user_id": viewer.id}).all():
        task = tasks.get(task_id)
        if task is None:
            task = tasks[task_id] = TaskShown(task_id, description, party or responsible_text,
                                              due_at, done_at, progress, bool(member),
                                              bool(provisional))
        if report_id is None:
            continue
        report = reports.get(report_id)
        if report is None:
            report = reports[report_id] = ReportShown(reported_at, author, reported, note)
            task.reports.append(report)
        if photo_id is not None:
            report.photos.append((photo_id, filename))
    return list(tasks.values())


def party_choices(compound_id: int) -> list[tuple[int, str]]:
    """The task form's menu of responsible parties: (0, "none"), then (id, name) of the
    compound's parties."""
    return [(0, _("— none —"))] + [
        (id_, name) for id_, name in db.session.execute(_PARTIES, {"compound_id": compound_id}).all()]


def task_form(parties: list[tuple[int, str]]) -> TaskForm:
    """The task form (from the request's data on a POST) offering ``parties``."""
    form = TaskForm()
    form.responsible_party.choices = parties
    return form


def section_context(case: Case) -> dict:
    """What the case page's follow-up section needs."""
    person = current_user._get_current_object()  # asked several times: not through the proxy
    liaison = scope.is_liaison(person, case.compound_id)
    open_case = case.state.value == "follow_up"
    tasks = tasks_shown(case, person)
    # Members of the task's party and the compound's liaison report progress (as
    # operations.can_report asks for one task).
    reporting = [t for t in tasks if open_case and not t.done_at
                 and (liaison or t.in_viewers_party)]
    visit = liaison and open_case and tasks and all(t.done_at for t in tasks)
    adding = liaison and open_case
    return {
        "tasks": tasks, "now": utcnow(),
        # One progress form, drawn once per task the person reports on (each copy with its own
        # ids): all copies are empty, or all show what was typed after a refused report.
        "progress_form": ProgressForm() if reporting else None,
        "reporting": {t.id for t in reporting},
        "task_form": task_form(party_choices(case.compound_id)) if adding else None,
        "visit_form": VisitForm(version=case.version) if visit else None,
    }
