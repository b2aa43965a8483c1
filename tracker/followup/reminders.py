"""Reminders meant for cron: tasks due soon or overdue, minutes left unsigned.

Each reminder has a key (task 12 overdue, meeting 3 unsigned after 7 days …); a person gets a
key once, so running the job again sends nothing new (tracker.notifications.notify).
"""
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.auth.models import LiaisonAssignment, Membership, User
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.followup.models import FollowUpTask
from tracker.meetings.models import Meeting, MeetingState
from tracker.notifications.operations import notify
from tracker.places.models import Compound

DUE_SOON = timedelta(hours=24)
UNSIGNED_AFTER = (3, 7)  # days after the meeting was held


def liaisons_of(compound: Compound) -> list[User]:
    return list(db.session.scalars(select(User).join(
        LiaisonAssignment, LiaisonAssignment.user_id == User.id).where(
        (LiaisonAssignment.compound_id == compound.id)
        | (LiaisonAssignment.community_id == compound.community_id)).distinct()))


def members_of(party_id: int | None) -> list[User]:
    if party_id is None:
        return []
    return list(db.session.scalars(select(User).join(
        Membership, Membership.user_id == User.id).where(Membership.party_id == party_id)))


def send_task_reminders(now=None) -> int:
    now = now or utcnow()
    tasks = db.session.scalars(select(FollowUpTask).where(
        FollowUpTask.done_at.is_(None), FollowUpTask.due_at <= now + DUE_SOON)
        .options(selectinload(FollowUpTask.case)))
    sent = 0
    for task in tasks:
        overdue = task.due_at < now
        key = f"task:{task.id}:{'overdue' if overdue else 'due-soon'}"
        text = (f"{task.case.number} 督办事项已超期：{task.description[:60]}" if overdue
                else f"{task.case.number} 督办事项将于24小时内到期：{task.description[:60]}")
        users = members_of(task.responsible_party_id) + liaisons_of(task.case.compound)
        sent += len(notify(users, key, text, f"/cases/{task.case_id}#follow-up"))
    return sent


def send_minutes_reminders(now=None) -> int:
    """Minutes not signed 3 and 7 days after the meeting remind its liaison (convener)."""
    now = now or utcnow()
    sent = 0
    meetings = db.session.scalars(select(Meeting).where(
        Meeting.state == MeetingState.held, Meeting.held_at.is_not(None)))
    for meeting in meetings:
        for days in UNSIGNED_AFTER:
            if meeting.held_at + timedelta(days=days) <= now:
                text = f"{meeting.community.name}{meeting.number}会议纪要召开{days}天后仍未签署完毕"
                sent += len(notify([meeting.convener], f"meeting:{meeting.id}:unsigned-{days}d",
                                   text, f"/meetings/{meeting.id}"))
    return sent
