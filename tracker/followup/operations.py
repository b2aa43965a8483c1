"""The only code that changes follow-up tasks and return visits. Flushes and audits."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from tracker.audit.operations import log
from tracker.auth import scope
from tracker.auth.models import Membership, User
from tracker.cases.models import Case, CaseState
from tracker.cases.workflow import (
    Action,
    TransitionRefused,
    register_after,
    register_guard,
    transition,
)
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.images import CleanImage
from tracker.core.templating import document_date
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.followup.deadlines import WORKING_DAY_TIERS, deadline_for
from tracker.followup.models import (
    FollowUpTask,
    ProgressPhoto,
    ProgressReport,
    ReturnVisit,
    Satisfaction,
    VisitMethod,
)
from tracker.followup.reminders import liaisons_of, members_of
from tracker.notifications.operations import notify
from tracker.places.models import Party
from tracker.voting.notices import register_after_closing
from tracker.workcalendar.operations import on_year_changed
from tracker.workcalendar.operations import outdated as outdated_calendar
from tracker.workcalendar.queries import working_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOSING = (Satisfaction.satisfied, Satisfaction.basically_satisfied)


class FollowUpRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise FollowUpRefused(_l("The task was changed by someone else in the meantime. "
                                 "Please look again and retry.")) from exc


def tasks_of(case: Case) -> list[FollowUpTask]:
    """The case's tasks, oldest first (what the case page shows: case_section.tasks_shown)."""
    return list(db.session.scalars(select(FollowUpTask).where(FollowUpTask.case_id == case.id)
                                   .order_by(FollowUpTask.id)))


def create_task(case: Case, actor: User | None, *, description: str,
                responsible_party: Party | None, responsible_text: str = "",
                tier: str | None = None, due_on: date | None = None,
                resolution_id: int | None = None) -> FollowUpTask:
    """A task for a case in follow-up, due by a tier (counted from now) or on a date (24:00)."""
    if case.state != CaseState.follow_up:
        raise FollowUpRefused(_l("Tasks are added while the case is in follow-up."))
    now, counted_from, provisional = utcnow(), None, False
    if due_on is not None:
        due_at = datetime.combine(due_on, time.max, SHANGHAI)
        if due_at <= now:
            raise FollowUpRefused(_l("The deadline must be in the future."))
        tier = "date"
    elif tier:
        try:
            due = deadline_for(tier, now)
        except ValueError as exc:
            raise FollowUpRefused(_l("Choose a deadline tier or a date.")) from exc
        due_at, provisional = due.at, due.provisional
        counted_from = now if tier in WORKING_DAY_TIERS else None
    else:
        raise FollowUpRefused(_l("Choose a deadline tier or a date."))
    task = FollowUpTask(case_id=case.id, resolution_id=resolution_id,
                        responsible_party=responsible_party, responsible_text=responsible_text,
                        description=description, tier=tier, due_at=due_at,
                        counted_from=counted_from, provisional=provisional,
                        created_by_id=actor.id if actor else None)
    db.session.add(task)
    _flush()
    log(actor, "case", case.id, "task_created",
        data={"task": task.id, "due_at": due_at.isoformat(), "tier": tier,
              "provisional": provisional})
    return task


def _task_from_passed_vote(case: Case, actor: User | None, context: dict) -> None:
    """A passed resolution creates its follow-up task (DESIGN §6)."""
    if context.get("vote") is None:
        return  # not a vote of this app (a test's permissive guard): nothing to derive a task from
    resolution = context["vote"].resolution
    # No task, no closing: a refusal here rolls the whole close back, so no passed resolution
    # is ever left in follow-up without its task. A year without a confirmed arrangement gives
    # a provisional deadline, never a refusal.
    create_task(case, actor, description=resolution.text,
                responsible_party=resolution.responsible_party,
                responsible_text=resolution.responsible_text,
                tier=resolution.deadline_tier.value, resolution_id=resolution.id)


def provisional_notice(task: FollowUpTask):
    """What to tell the person who set a provisional deadline, beside what the page says of
    it; None for a deadline counted over confirmed years."""
    if not task.provisional:
        return None
    return _l("The follow-up deadline %(day)s is provisional: the holiday arrangement of a year "
              "it is counted in has not been entered yet. It will be recomputed, and the "
              "responsible party told, once the year is entered.",
              day=f"{task.due_at.astimezone(SHANGHAI):%Y-%m-%d}")


def _notice_after_closing(vote):
    task = db.session.scalar(select(FollowUpTask).where(
        FollowUpTask.resolution_id == vote.resolution_id).order_by(FollowUpTask.id).limit(1))
    return provisional_notice(task) if task is not None else None


register_after_closing(_notice_after_closing)


register_after(Action.close_vote_passed, _task_from_passed_vote)


def narrow_to_overdue(query):
    """The case list's "with an overdue task" filter (index on done_at, due_at)."""
    overdue = select(FollowUpTask.case_id).where(FollowUpTask.done_at.is_(None),
                                                 FollowUpTask.due_at < utcnow())
    return query.where(Case.id.in_(overdue))


def can_report(user: User, task: FollowUpTask) -> bool:
    """Members of the responsible party and the compound's liaison report progress."""
    if scope.is_liaison(user, task.case.compound_id):
        return True
    return task.responsible_party_id is not None and db.session.scalar(
        select(Membership.id).where(Membership.user_id == user.id,
                                    Membership.party_id == task.responsible_party_id)) is not None


def report_progress(task: FollowUpTask, actor: User, *, note: str, progress: int,
                    photos: list[tuple[str, CleanImage]] = ()) -> ProgressReport:
    if task.case.state != CaseState.follow_up:
        raise FollowUpRefused(_l("Progress is reported while the case is in follow-up."))
    if not 0 <= progress <= 100:
        raise FollowUpRefused(_l("Progress is a percentage from 0 to 100."))
    report = ProgressReport(task=task, author_id=actor.id, note=note, progress=progress)
    for filename, image in photos:
        report.photos.append(ProgressPhoto(content_type=image.content_type,
                                           filename=filename[:200], sha256=image.sha256,
                                           data=image.data))
    db.session.add(report)
    reopened = task.done_at is not None and progress < 100
    task.progress = progress
    task.done_at = utcnow() if progress == 100 else None
    _flush()
    log(actor, "case", task.case_id, "progress",
        data={"task": task.id, "progress": progress, "photos": len(photos)})
    if reopened and task.provisional:
        # A done task's deadline was not counted again when its year was confirmed meanwhile.
        _count_again(task, actor, deadline_for(task.tier, task.counted_from))
    return report


def _count_again(task: FollowUpTask, actor: User | None, due) -> bool:
    """Set ``task``'s deadline to ``due`` (a Deadline counted again) and audit it on the case;
    whether the date moved."""
    before = task.due_at
    if due.at == before and due.provisional == task.provisional:
        return False
    task.due_at, task.provisional = due.at, due.provisional
    try:
        _flush()
    except FollowUpRefused as exc:  # its party reported progress at this very moment
        raise outdated_calendar() from exc
    old_day, new_day = (f"{d.astimezone(SHANGHAI):%Y-%m-%d}" for d in (before, due.at))
    log(actor, "case", task.case_id, "deadline_moved" if due.at != before else
        "deadline_confirmed", note=f"{old_day} → {new_day}{'（暂定）' if due.provisional else ''}",
        data={"task": task.id, "from": before.isoformat(), "to": due.at.isoformat(),
              "provisional": due.provisional})
    return due.at != before


def _visit_guard(case: Case, _actor: User | None, context: dict) -> None:
    """close_after_visit: every task is done and the resident is (basically) satisfied."""
    visit = context.get("visit")
    if visit is None or visit.satisfaction not in CLOSING:
        raise TransitionRefused(_l("A case closes only after a satisfied return visit."))
    if any(t.done_at is None for t in tasks_of(case)):
        raise TransitionRefused(_l("Every follow-up task must be done first."))


register_guard(Action.close_after_visit, _visit_guard)


def record_visit(case: Case, actor: User, *, method: VisitMethod, satisfaction: Satisfaction,
                 comment: str, expected_version: int) -> ReturnVisit:
    """Record the return visit; satisfied or basically satisfied closes the case, unsatisfied
    keeps it in follow-up (a new task is needed)."""
    tasks = tasks_of(case)
    if case.state != CaseState.follow_up:
        raise FollowUpRefused(_l("A return visit is made while the case is in follow-up."))
    if not tasks or any(t.done_at is None for t in tasks):
        raise FollowUpRefused(_l("Every follow-up task must be done before the return visit."))
    visit = ReturnVisit(case_id=case.id, method=method, satisfaction=satisfaction,
                        comment=comment, visited_by_id=actor.id)
    db.session.add(visit)
    _flush()
    if satisfaction in CLOSING:
        transition(case, Action.close_after_visit, actor, expected_version=expected_version,
                   reason=comment, context={"visit": visit})
    else:
        log(actor, "case", case.id, "visit_unsatisfied", note=comment,
            data={"visit": visit.id})
    return visit


def recompute_deadlines(years: set[int], actor: User | None) -> list[FollowUpTask]:
    """Count again every open working-day deadline that a changed year of the calendar may
    decide: the provisional ones, and those whose period runs through one of ``years``. Each
    moved or confirmed deadline is audited on its case; a moved one is told to the responsible
    party and the compound's liaisons. Returns the tasks whose deadline moved."""
    first = datetime(min(years), 1, 1, tzinfo=SHANGHAI) - timedelta(days=7)
    last = datetime(max(years) + 1, 1, 1, tzinfo=SHANGHAI)
    tasks = list(db.session.scalars(
        select(FollowUpTask).where(
            FollowUpTask.done_at.is_(None), FollowUpTask.tier.in_(WORKING_DAY_TIERS),
            FollowUpTask.counted_from.is_not(None),
            FollowUpTask.provisional | ((FollowUpTask.counted_from < last)
                                        & (FollowUpTask.due_at >= first)))
        .order_by(FollowUpTask.id).options(selectinload(FollowUpTask.case))))
    if not tasks:
        return []
    starts = [task.counted_from.astimezone(SHANGHAI).year for task in tasks]
    calendar = working_calendar(range(min(starts), max(starts) + 2))
    moved = []
    for task in tasks:
        before = task.due_at
        if not _count_again(task, actor, deadline_for(task.tier, task.counted_from, calendar)):
            continue
        moved.append(task)
        case, due = task.case, task.due_at
        old_day, new_day = (document_date(d) for d in (before, due))
        text = (f"{case.number} 督办事项期限因放假安排{'更新' if task.provisional else '确认'}"
                f"由{old_day}调整为{new_day}{'（暂定）' if task.provisional else ''}："
                f"{task.description[:60]}")
        # In the app only: a year confirmed may move many deadlines, and mailing each from
        # within the request would hold it up (the reminders mail the ones falling due).
        notify(members_of(task.responsible_party_id) + liaisons_of(case.compound),
               f"task:{task.id}:deadline:{due.isoformat()}", text,
               f"/cases/{task.case_id}#follow-up", email=False)
    return moved


def restore_missing_tasks() -> list[FollowUpTask]:
    """Give each passed resolution left in follow-up without any task its task, counted from
    now (its party learns of it now; counted from the vote it would start overdue). A vote
    closed without its task when the holiday calendar lacked a year; ``db upgrade`` runs this,
    and it finds nothing once repaired."""
    from tracker.voting.models import Resolution, Vote
    rows = db.session.execute(
        select(Resolution, Vote.closed_at).join(Vote, Vote.resolution_id == Resolution.id)
        .join(Case, Case.id == Resolution.case_id)
        .where(Resolution.passed.is_(True), Case.state == CaseState.follow_up,
               Vote.closed_at.is_not(None),
               ~select(FollowUpTask.id).where(FollowUpTask.case_id == Case.id).exists())
        .order_by(Resolution.id)).all()
    restored = []
    now = utcnow()
    for resolution, _closed_at in rows:
        tier = resolution.deadline_tier.value
        due = deadline_for(tier, now)
        task = FollowUpTask(case_id=resolution.case_id, resolution_id=resolution.id,
                            responsible_party_id=resolution.responsible_party_id,
                            responsible_text=resolution.responsible_text,
                            description=resolution.text, tier=tier, due_at=due.at,
                            counted_from=now if tier in WORKING_DAY_TIERS else None,
                            provisional=due.provisional)
        db.session.add(task)
        _flush()
        log(None, "case", resolution.case_id, "task_created",
            note="表决通过时未能自动创建，系统补建", data={
                "task": task.id, "due_at": due.at.isoformat(), "tier": tier,
                "provisional": due.provisional})
        restored.append(task)
    return restored


# Confirming or correcting a year of the working calendar counts the open deadlines again.
on_year_changed(recompute_deadlines)
