"""Meetings in the test world, taken as far as a test needs."""
from datetime import datetime, timezone

from tests.factories import PASSWORD, World, make_case
from tracker.extensions import db
from tracker.meetings import operations, queries
from tracker.meetings.minutes import content_sha256
from tracker.meetings.models import AttendanceStatus, Meeting, MeetingKind

MINUTES = {"background": "水泵老化。", "decision": "物业公司更换水泵。",
           "responsible": "物业公司", "deadline": "15个工作日"}


def planned_meeting(world: World, *, with_case: bool = True) -> Meeting:
    liaison = world.liaison
    meeting = operations.create_meeting(
        liaison, world.community, [world.compound], kind=MeetingKind.regular,
        title="供水问题协商", starts_at=datetime(2026, 11, 20, 11, 30, tzinfo=timezone.utc),
        place="社区会议室", convener=liaison, chair=liaison, recorder=liaison, year=2026)
    if with_case:
        case = make_case(world.compound, liaison)
        operations.add_to_agenda(meeting, case, liaison, expected_version=case.version)
    db.session.commit()
    return meeting


def take_roll_call(meeting: Meeting, world: World, absent: tuple[str, ...] = ()) -> None:
    statuses = {}
    for party, membership in queries.expected_people(meeting):
        status = AttendanceStatus.leave if membership.user.username in absent \
            else AttendanceStatus.present
        statuses[membership.user_id] = (party.id, status)
    operations.record_attendance(meeting, world.liaison, statuses)
    db.session.commit()


def held_meeting(world: World, *, with_minutes: bool = True) -> Meeting:
    meeting = planned_meeting(world)
    take_roll_call(meeting, world)
    operations.mark_held(meeting, world.liaison)
    if with_minutes:
        item = meeting.agenda[0]
        operations.save_minutes(meeting, world.liaison, base_revision=0, content={
            "items": {str(item.case_id): {**MINUTES, "views": {}}}, "other_business": ""})
    db.session.commit()
    return meeting


SIGNERS = ("residents_member", "owners_member", "property_rep")


def sign(meeting: Meeting, user, password: str = PASSWORD):
    return operations.sign_minutes(meeting, user, password=password, client_address="127.0.0.1",
                                   drawing_png=None, expected_sha256=content_sha256(meeting))


def signed_meeting(world: World) -> Meeting:
    meeting = held_meeting(world)
    for username in SIGNERS:
        sign(meeting, world.users[username])
    operations.lock_minutes(meeting, world.liaison)
    db.session.commit()
    return meeting
