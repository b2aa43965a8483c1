"""A meeting's times in order: marked held only from its start time on (a meeting that began
early is re-timed first, on the record), signed only once held."""
import html
from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from sqlalchemy import select

from tests.conftest import shown
from tests.meeting_factories import planned_meeting, take_roll_call
from tracker.audit.models import AuditEvent
from tracker.extensions import db
from tracker.meetings import operations
from tracker.meetings.models import MeetingState

# planned_meeting starts at 11:30 UTC, 19:30 in Beijing, on 20 November 2026.
STARTS = datetime(2026, 11, 20, 11, 30, tzinfo=timezone.utc)


def test_a_meeting_is_not_marked_held_before_its_start_time(world, login_as):
    meeting = planned_meeting(world)
    take_roll_call(meeting, world)
    with time_machine.travel(STARTS - timedelta(minutes=40), tick=False):
        client = login_as(world.liaison)
        page = html.unescape(client.get(f"/meetings/{meeting.id}").get_data(as_text=True))
        assert shown("The meeting can be marked held from its start time on; if it began "
                     "earlier, change its time first.") in page
        page = html.unescape(client.post(f"/meetings/{meeting.id}/held",
                                         follow_redirects=True).get_data(as_text=True))
    db.session.refresh(meeting)
    assert meeting.state is MeetingState.planned and meeting.held_at is None
    assert "2026-11-20 19:30" in page  # the refusal says when it may be marked held


def test_a_meeting_that_began_early_is_retimed_on_the_record_then_held(world, login_as):
    meeting = planned_meeting(world)
    take_roll_call(meeting, world)
    with time_machine.travel(STARTS - timedelta(minutes=40), tick=False):
        client = login_as(world.liaison)
        form = client.get(f"/meetings/{meeting.id}/time").get_data(as_text=True)
        assert 'value="2026-11-20T19:30"' in form  # the planned time, to be corrected
        reply = client.post(f"/meetings/{meeting.id}/time",
                            data={"starts_at": "2026-11-20T18:45"})
        assert reply.status_code == 302
        assert client.post(f"/meetings/{meeting.id}/held").status_code == 302
    db.session.refresh(meeting)
    assert meeting.starts_at == datetime(2026, 11, 20, 10, 45, tzinfo=timezone.utc)
    assert meeting.state is MeetingState.held and meeting.held_at >= meeting.starts_at
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.subject_type == "meeting", AuditEvent.subject_id == meeting.id,
        AuditEvent.action == "retimed"))
    assert event.actor_id == world.liaison.id
    assert event.data["from"].startswith("2026-11-20T11:30")
    assert event.data["to"].startswith("2026-11-20T10:45")


@pytest.mark.parametrize("typed", ["2026-11-31T18:45", "0001-01-01T00:00", "9999-12-31T23:59"])
def test_a_wrong_time_is_refused_next_to_the_field_and_kept(world, login_as, typed):
    meeting = planned_meeting(world)
    reply = login_as(world.liaison).post(f"/meetings/{meeting.id}/time",
                                         data={"starts_at": typed})
    page = html.unescape(reply.get_data(as_text=True))
    assert reply.status_code == 200
    assert shown("Please give a valid date and time.") in page
    db.session.refresh(meeting)
    assert meeting.starts_at == STARTS


def test_a_held_meeting_keeps_its_time(world, login_as):
    meeting = planned_meeting(world)
    take_roll_call(meeting, world)
    operations.mark_held(meeting, world.liaison)
    db.session.commit()
    reply = login_as(world.liaison).post(f"/meetings/{meeting.id}/time",
                                         data={"starts_at": "2026-11-20T18:00"})
    assert reply.status_code == 409
    db.session.refresh(meeting)
    assert meeting.starts_at == STARTS


def test_minutes_are_not_signed_before_the_meeting_is_held(world):
    meeting = planned_meeting(world)
    try:
        operations.sign_minutes(meeting, world.owners_member, password="x", client_address="",
                                drawing_png=None, expected_sha256="")
    except operations.MeetingRefused as refused:
        assert refused.message == shown(
            "The meeting has not been held yet: its minutes cannot be signed before it is "
            "marked held.")
    else:
        raise AssertionError("a planned meeting's minutes were signed")


def test_only_who_manages_the_meeting_changes_its_time(world, login_as):
    meeting = planned_meeting(world)
    assert login_as(world.owners_member).post(
        f"/meetings/{meeting.id}/time", data={"starts_at": "2026-11-20T18:00"}).status_code == 403
    db.session.refresh(meeting)
    assert meeting.starts_at == STARTS
