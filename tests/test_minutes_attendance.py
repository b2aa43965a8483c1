"""The minutes list who attended by organisation, in the document's order, the chair marked."""
import html
import re

from tests.meeting_factories import planned_meeting, take_roll_call
from tracker.extensions import db
from tracker.meetings import operations
from tracker.meetings.models import AttendanceStatus
from tracker.places.models import PartyKind


def _attendance(page: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="attendance"><b>(\w+)：</b>(.*?)</p>', html.unescape(page)))


def test_present_are_grouped_by_organisation_with_the_chair_first(world, login_as):
    meeting = planned_meeting(world)
    take_roll_call(meeting, world, absent=(world.property_rep.username,))
    operations.add_guest(meeting, world.liaison, "刘小华", "居民代表", AttendanceStatus.non_voting)
    db.session.commit()
    page = login_as(world.liaison).get(f"/meetings/{meeting.id}/print").get_data(as_text=True)
    lines = _attendance(page)
    present = lines["出席"]
    # The liaison chairs without being a party's member: listed first, for the community.
    assert present.startswith(f"{world.community.name} {world.liaison.name}（主持）；")
    parties = {p.kind: p.name for p in world.compound.parties}
    residents, owners = parties[PartyKind.residents_committee], parties[PartyKind.owners_committee]
    # Residents' committee before the owners' committee, each once with its members together.
    assert present.index(residents) < present.index(owners)
    assert present.count(owners) == 1 and present.count(residents) == 1
    assert world.property_rep.name not in present
    assert lines["请假"] == f"{parties[PartyKind.property_company]} {world.property_rep.name}"
    assert lines["列席"] == "居民代表 刘小华"


def test_a_chair_who_is_a_member_is_marked_where_their_organisation_is(world, login_as):
    meeting = planned_meeting(world)
    meeting.chair = world.owners_member
    db.session.commit()
    take_roll_call(meeting, world)
    page = login_as(world.liaison).get(f"/meetings/{meeting.id}/print").get_data(as_text=True)
    present = _attendance(page)["出席"]
    assert f"{world.owners_member.name}（主持）" in present
    assert present.count("（主持）") == 1
