"""Who may do what with a meeting."""
from sqlalchemy import select

from tracker.auth import scope
from tracker.auth.models import User
from tracker.extensions import db
from tracker.meetings.models import Meeting, MeetingState, Signature, meeting_compounds


def _compound_ids(meeting: Meeting) -> list[int]:
    return [c.id for c in meeting.compounds]


def can_view_meeting(user: User, meeting: Meeting) -> bool:
    return any(scope.can_see_compound(user, cid) for cid in _compound_ids(meeting))


def can_manage_meeting(user: User, meeting: Meeting) -> bool:
    """The liaison cadre of every compound the meeting covers runs it (DESIGN §3, §4)."""
    ids = _compound_ids(meeting)
    return scope.is_liaison_of_all(user, ids)


def can_edit_minutes(user: User, meeting: Meeting) -> bool:
    """The liaison, or the recorder named for the meeting, while the meeting is held."""
    if meeting.state != MeetingState.held:
        return False
    return can_manage_meeting(user, meeting) or (
        meeting.recorder_id == user.id and can_view_meeting(user, meeting))


def required_signer_for(user: User, meeting: Meeting):
    """The party ``user`` signs for next, or None if they are not a required signer.

    One person may represent two parties — the residents' committee chair also chairs a 物管会
    (北京市物业管理条例 art. 53) — and then signs once for each: the first party still unsigned
    is offered, and once all are signed, the first (so a second try is refused as signed).
    """
    mine = [r for r in meeting.required_signers if r.user_id == user.id]
    if len(mine) < 2:
        return mine[0] if mine else None
    signed = set(db.session.scalars(select(Signature.party_id).where(
        Signature.meeting_id == meeting.id, Signature.invalidated_at.is_(None))))
    return next((r for r in mine if r.party_id not in signed), mine[0])


def can_print_minutes(user: User, meeting: Meeting) -> bool:
    return meeting.state == MeetingState.signed and can_view_meeting(user, meeting)


def convenable_compounds(user: User):
    """Compounds a liaison may put in a meeting, grouped later by community."""
    from tracker.places.models import Compound
    return list(db.session.scalars(
        select(Compound).where(Compound.id.in_(scope.liaison_compound_ids(user)))
        .order_by(Compound.community_id, Compound.name)))


def visible_meeting_ids(user: User):
    return select(meeting_compounds.c.meeting_id).where(
        meeting_compounds.c.compound_id.in_(scope.visible_compound_ids(user)))


def chair_candidates(convener: User, compounds) -> list[User]:
    """Who may chair or record a meeting of ``compounds``: the convener and the members of the
    compounds' parties."""
    from tracker.auth.models import Membership
    from tracker.places.models import Party
    members = db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .join(Party, Party.id == Membership.party_id)
        .where(Party.compound_id.in_([c.id for c in compounds])).distinct().order_by(User.name))
    people = {convener.id: convener}
    people.update({u.id: u for u in members})
    return list(people.values())
