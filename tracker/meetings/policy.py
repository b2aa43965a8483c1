"""Who may do what with a meeting."""
from sqlalchemy import select

from tracker.auth import scope
from tracker.auth.models import User
from tracker.extensions import db
from tracker.meetings.models import Meeting, MeetingState, meeting_compounds


def _compound_ids(meeting: Meeting) -> list[int]:
    return [c.id for c in meeting.compounds]


def can_view_meeting(user: User, meeting: Meeting) -> bool:
    return any(scope.can_see_compound(user, cid) for cid in _compound_ids(meeting))


def can_manage_meeting(user: User, meeting: Meeting) -> bool:
    """The liaison cadre of every compound the meeting covers runs it (DESIGN §3, §4)."""
    ids = _compound_ids(meeting)
    return bool(ids) and all(scope.is_liaison(user, cid) for cid in ids)


def can_edit_minutes(user: User, meeting: Meeting) -> bool:
    """The liaison, or the recorder named for the meeting, while the meeting is held."""
    if meeting.state != MeetingState.held:
        return False
    return can_manage_meeting(user, meeting) or (
        meeting.recorder_id == user.id and can_view_meeting(user, meeting))


def required_signer_for(user: User, meeting: Meeting):
    return next((r for r in meeting.required_signers if r.user_id == user.id), None)


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
