"""Resolutions and votes in the test world."""
from decimal import Decimal

from tests.factories import make_user
from tests.meeting_factories import held_meeting
from tracker.auth.models import MemberRole, Membership
from tracker.extensions import db
from tracker.meetings.models import Attendance, AttendanceStatus
from tracker.places.models import PartyKind, Unit
from tracker.voting import operations
from tracker.voting.models import DeadlineTier, DecidingBody


def add_committee_members(world, count: int, *, present: bool = True) -> list:
    """More voting members of 德富花园's owners' committee (the world has one)."""
    party = world.compound.party_of(PartyKind.owners_committee)
    members = []
    for n in range(count):
        user = make_user(f"oc{n}", f"委员{n}")
        db.session.add(Membership(user=user, party=party, role=MemberRole.member, votes=True))
        members.append(user)
    db.session.commit()
    return members


def proposed(world, body=DecidingBody.owners_committee, matter=None, extra_members=0):
    meeting = held_meeting(world)
    members = add_committee_members(world, extra_members)
    for user in members:
        meeting.attendance.append(Attendance(user_id=user.id, status=AttendanceStatus.present,
                                             party_id=world.compound.party_of(
                                                 PartyKind.owners_committee).id))
    case = meeting.agenda[0].case
    resolution = operations.propose_resolution(
        meeting, case, world.liaison, text="由物业公司更换水泵。", responsible_party=None,
        responsible_text="物业公司", tier=DeadlineTier.complex, body=body, matter=matter,
        expected_version=case.version)
    db.session.commit()
    return resolution


def committee_vote(world, extra_members=4, at_meeting=True, closes_at=None):
    resolution = proposed(world, extra_members=extra_members)
    vote = operations.open_vote(resolution, world.liaison, at_meeting=at_meeting,
                                closes_at=closes_at)
    db.session.commit()
    return vote


def register(world, areas: list[str]) -> list[Unit]:
    """A unit register for 德富花园 whose areas add up to its total area."""
    units = [Unit(compound=world.compound, building="1栋", number=str(101 + n),
                  owner_name=f"业主{n}", owner_ref=f"owner-{n}", area=Decimal(a))
             for n, a in enumerate(areas)]
    db.session.add_all(units)
    world.compound.total_area = sum(Decimal(a) for a in areas)
    db.session.commit()
    return units


def assembly_vote(world, areas=("100.00",) * 9, matter="use_fund"):
    units = register(world, list(areas))
    resolution = proposed(world, body=DecidingBody.owners_assembly, matter=matter)
    vote = operations.open_vote(resolution, world.liaison, at_meeting=False,
                                closes_at=_future())
    db.session.commit()
    return vote, units


def _future():
    from datetime import timedelta

    from tracker.core.time import utcnow
    return utcnow() + timedelta(days=7)


def case_in_follow_up(world):
    """A case whose committee vote passed with the property company responsible: in follow-up
    with one task."""
    vote = committee_vote(world, extra_members=0)
    operations.cast_ballot(vote, world.owners_member, "for")
    vote.resolution.responsible_party = world.compound.party_of(PartyKind.property_company)
    operations.close_vote(vote, world.liaison)
    db.session.commit()
    return vote.resolution.case
