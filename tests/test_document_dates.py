"""Dates and numbers in issued documents as GB/T 9704-2012 writes them: 2026年12月6日 without
leading zeros, the issue number with its issuing body."""
import html
from datetime import datetime, timezone

from tests.meeting_factories import planned_meeting
from tracker.core.templating import document_date
from tracker.extensions import db


def test_a_date_is_written_without_leading_zeros_on_the_beijing_calendar(app):
    with app.app_context():
        late = datetime(2026, 12, 5, 17, 30, tzinfo=timezone.utc)  # 01:30 on the 6th in Beijing
        assert document_date(late) == "2026年12月6日"
        assert document_date(late, with_time=True) == "2026年12月6日 01:30"
        assert document_date(None) == ""


def test_the_minutes_give_the_meeting_time_as_a_document_does(world, login_as):
    meeting = planned_meeting(world)
    meeting.starts_at = datetime(2026, 11, 5, 11, 30, tzinfo=timezone.utc)
    db.session.commit()
    page = html.unescape(login_as(world.liaison).get(f"/meetings/{meeting.id}/print")
                         .get_data(as_text=True))
    assert "2026年11月5日 19:30" in page and "2026年11月05日" not in page


def test_the_minutes_number_names_its_issuing_body(world, login_as):
    # Every community issues its own 第1期: in a street's register the body tells them apart.
    meeting = planned_meeting(world)
    page = login_as(world.liaison).get(f"/meetings/{meeting.id}/print").get_data(as_text=True)
    assert f'<div class="docno">{world.community.name}联席会议纪要{meeting.number}</div>' in page
