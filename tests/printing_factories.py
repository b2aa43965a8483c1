"""Meetings for the register and bulk printing: in any compound of the test world, any month.

The world gives only 德富花园 party members; :func:`representatives` seats one per party in the
other compounds so their meetings reach quorum and can be signed the ordinary way.
"""
from datetime import datetime, timezone

from werkzeug.security import generate_password_hash

from tests.factories import PASSWORD, World, make_case, make_user
from tracker.auth.models import LiaisonAssignment, MemberRole, Membership, User
from tracker.extensions import db
from tracker.meetings import operations, queries
from tracker.meetings.minutes import content_sha256
from tracker.meetings.models import AttendanceStatus, Meeting, MeetingKind
from tracker.places.models import Compound

MINUTES = {"background": "水泵老化。", "decision": "物业公司更换水泵。",
           "responsible": "物业公司", "deadline": "15个工作日"}


def representatives(world: World, compound: Compound) -> list[User]:
    """One member per party of ``compound`` (the world's own people in 德富花园).

    Their password is hashed cheaply: signing checks it, and fifty meetings sign 150 times.
    """
    if compound.id == world.compound.id:
        people = [world.residents_member, world.owners_member, world.property_rep]
    else:
        people = []
        for party in compound.parties:
            user = db.session.scalar(db.select(User).where(
                User.username == f"{compound.code}-{party.kind.value}"))
            if user is None:
                user = make_user(f"{compound.code}-{party.kind.value}", f"{compound.name}代表")
                db.session.add(Membership(user=user, party=party, role=MemberRole.member))
            people.append(user)
    for user in people:
        if not user.password_hash.startswith("pbkdf2:sha256:1$"):
            user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
    db.session.commit()
    return people


def liaison_of(world: World, compound: Compound) -> User:
    """The community's liaison cadre: the world's for 横堤社区 and 北湖正街社区, else a new one."""
    if compound.community_id == world.community.id:
        return world.liaison
    if compound.id == world.neighbour_compound.id:
        return world.liaison_out
    username = f"liaison-{compound.code}"
    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None:
        user = make_user(username, f"{compound.community.name}联络员")
        db.session.add(LiaisonAssignment(user=user, community=compound.community))
        db.session.commit()
    return user


def meeting_in(world: World, compound: Compound | None = None, *,
               starts_at: datetime = datetime(2026, 11, 20, 11, 30, tzinfo=timezone.utc),
               state: str = "signed", title: str = "供水问题协商") -> Meeting:
    """A meeting of ``compound`` (德富花园 by default) taken as far as ``state``: planned, held,
    signed (minutes signed by every party and the PDF issued), or cancelled."""
    compound = compound or world.compound
    liaison = liaison_of(world, compound)
    meeting = operations.create_meeting(
        liaison, compound.community, [compound], kind=MeetingKind.regular, title=title,
        starts_at=starts_at, place="社区会议室", convener=liaison, chair=liaison,
        recorder=liaison, year=starts_at.year)
    case = make_case(compound, liaison)
    operations.add_to_agenda(meeting, case, liaison, expected_version=case.version)
    db.session.commit()
    if state == "cancelled":
        operations.cancel_meeting(meeting, liaison, "台风")
    if state in ("held", "signed"):
        people = representatives(world, compound)
        party_of = {m.user_id: m.party_id for _p, m in queries.expected_people(meeting)}
        operations.record_attendance(meeting, liaison, {
            u.id: (party_of[u.id], AttendanceStatus.present) for u in people})
        operations.mark_held(meeting, liaison)
        operations.save_minutes(meeting, liaison, base_revision=0, content={
            "items": {str(case.id): {**MINUTES, "views": {}}}, "other_business": ""})
    if state == "signed":
        for user in people:
            operations.sign_minutes(meeting, user, password=PASSWORD, client_address="127.0.0.1",
                                    drawing_png=None, expected_sha256=content_sha256(meeting))
        operations.lock_minutes(meeting, liaison)
    db.session.commit()
    return meeting
