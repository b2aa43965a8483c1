"""An agenda item nobody votes on still has one recorded outcome: deferred to the next meeting,
no decision needed, or — when nothing was recorded — carried over as the minutes issue. The
minutes' 议定 line, the meeting page and the case timeline all say it from that record; what the
recorder typed is a note beneath, never the decision."""
import re
import shutil
import subprocess

import pytest

from tests.conftest import field_errors, page_text, shown
from tests.meeting_factories import SIGNERS, held_meeting, sign
from tests.helpers.minutes import TYPED, close_with, print_view, typed_into_the_minutes
from tests.vote_factories import committee_vote
from tracker.audit.models import AuditEvent
from tracker.cases.models import CaseState
from tracker.cases.queries import timeline
from tracker.extensions import db
from tracker.meetings import issuing
from tracker.meetings import operations as meetings
from tracker.meetings.models import ItemDisposal, Meeting
from tracker.meetings.queries import valid_signatures
from tracker.voting import operations as voting
from tracker.voting.models import DeadlineTier, DecidingBody

REASON = "物业公司报价尚未送达。"


def _decisions(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("议定：")]


def _dispose(client, meeting, disposal: str, note: str = REASON):
    item = meeting.agenda[0]
    return client.post(f"/meetings/{meeting.id}/agenda/{item.id}/outcome",
                       data={"disposal": disposal, "note": note})


def _issue(meeting, world):
    for username in SIGNERS:
        sign(meeting, world.users[username])
    meetings.lock_minutes(meeting, world.liaison)
    db.session.commit()


def test_an_item_with_nothing_recorded_says_it_goes_to_the_next_meeting(world, login_as):
    meeting = held_meeting(world)
    typed_into_the_minutes(meeting, world)
    lines = print_view(login_as, world, meeting)
    assert _decisions(lines) == ["议定：本次会议未作决定，转下次会议审议。"]
    # The typed decision is a note; the typed party and deadline decide nothing.
    assert f"补充说明：{TYPED}" in lines
    assert not any(line.startswith(("责任方：", "完成时限：")) for line in lines)

    _issue(meeting, world)
    case = meeting.agenda[0].case
    assert case.state is CaseState.raised and case.carried_over
    [carried] = [e for e in timeline(case) if e.action == "carry_over"]
    assert carried.note == f"{meeting.number}：本次会议未作决定，转下次会议审议。"


def test_a_deferred_item_prints_the_deferral_and_comes_back_for_the_next_meeting(
        world, login_as):
    meeting = held_meeting(world)
    client = login_as(world.liaison)
    assert _dispose(client, meeting, "deferred").status_code == 302
    item = meeting.agenda[0]
    assert item.disposal is ItemDisposal.deferred and item.disposal_note == REASON

    lines = print_view(login_as, world, meeting)
    assert _decisions(lines) == ["议定：暂缓，转下次会议审议。"]
    assert f"暂缓理由：{REASON}" in lines
    page = page_text(client.get(f"/meetings/{meeting.id}"))
    assert shown("deferred to the next meeting") in page

    _issue(meeting, world)
    case = item.case
    assert case.state is CaseState.raised and case.carried_over
    [carried] = [e for e in timeline(case) if e.action == "carry_over"]
    assert carried.note == f"{meeting.number}：暂缓，转下次会议审议。暂缓理由：{REASON}"


def test_an_item_needing_no_decision_ends_its_case_when_the_minutes_issue(world, login_as):
    meeting = held_meeting(world)
    client = login_as(world.liaison)
    assert _dispose(client, meeting, "no_decision", "已于会前修复，居民确认。").status_code == 302
    lines = print_view(login_as, world, meeting)
    assert _decisions(lines) == ["议定：本议题无需作出决议。"]
    assert "说明：已于会前修复，居民确认。" in lines

    case = meeting.agenda[0].case
    assert case.state is CaseState.meeting  # nothing moves before the minutes are signed
    _issue(meeting, world)
    assert case.state is CaseState.withdrawn and not case.carried_over
    [ended] = [e for e in timeline(case) if e.action == "conclude_without_decision"]
    assert ended.note == f"{meeting.number}：本议题无需作出决议。说明：已于会前修复，居民确认。"


def test_no_decision_needs_a_reason_next_to_the_field_and_keeps_the_choice(world, login_as):
    meeting = held_meeting(world)
    response = _dispose(login_as(world.liaison), meeting, "no_decision", note="  ")
    page = page_text(response)
    assert response.status_code == 400
    assert field_errors(page)["note"] == [shown("Please say why no decision is needed.")]
    assert re.search(r'value="no_decision"[^>]*checked|checked[^>]*value="no_decision"', page)
    assert meeting.agenda[0].disposal is None


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils' pdftotext")
def test_the_pdf_prints_the_same_deferral(world, login_as):
    meeting = held_meeting(world)
    _dispose(login_as(world.liaison), meeting, "deferred")
    text = subprocess.run(["pdftotext", "-", "-"], input=issuing.render_minutes_pdf(meeting),
                          capture_output=True, check=True).stdout.decode()
    flat = re.sub(r"\s+", "", text)
    assert "议定：暂缓，转下次会议审议。" in flat and f"暂缓理由：{REASON}" in flat


def test_deferring_after_a_passed_vote_is_refused_and_the_outcome_stays_passed(world, login_as):
    vote = committee_vote(world, extra_members=4)
    close_with(vote, world, voting_for=3)
    meeting = db.session.get(Meeting, vote.resolution.meeting_id)
    response = _dispose(login_as(world.liaison), meeting, "deferred")
    page = page_text(response)
    assert response.status_code == 409
    assert shown("A resolution was proposed on this item: its vote decides it, so it cannot "
                 "also be deferred or marked as needing no decision.") in page
    assert REASON in page  # what was typed stays
    db.session.expire_all()
    assert meeting.agenda[0].disposal is None
    lines = print_view(login_as, world, meeting)
    assert _decisions(lines) == ["议定：由物业公司更换水泵。"]


def test_a_resolution_is_refused_on_a_deferred_item_until_the_deferral_is_withdrawn(
        world, login_as):
    from tracker.cases.workflow import TransitionRefused
    meeting = held_meeting(world)
    client = login_as(world.liaison)
    _dispose(client, meeting, "deferred")
    case = meeting.agenda[0].case

    def propose():
        return voting.propose_resolution(
            meeting, case, world.liaison, text="由物业公司更换水泵。", responsible_party=None,
            responsible_text="物业公司", tier=DeadlineTier.complex,
            body=DecidingBody.owners_committee, matter=None, expected_version=case.version)

    with pytest.raises(TransitionRefused):
        propose()
    db.session.rollback()

    item = meeting.agenda[0]
    assert client.post(f"/meetings/{meeting.id}/agenda/{item.id}/outcome/withdraw"
                       ).status_code == 302
    db.session.expire_all()
    assert meeting.agenda[0].disposal is None
    actions = [e.action for e in db.session.query(AuditEvent).filter_by(
        subject_type="meeting", subject_id=meeting.id)]
    assert "item_disposed" in actions and "item_disposal_withdrawn" in actions
    propose()
    db.session.commit()
    assert case.state is CaseState.resolution


def test_recording_an_outcome_asks_for_the_signatures_again(world, login_as):
    meeting = held_meeting(world)
    sign(meeting, world.residents_member)
    db.session.commit()
    assert valid_signatures(meeting)
    _dispose(login_as(world.liaison), meeting, "deferred")
    db.session.expire_all()
    assert valid_signatures(meeting) == []


def test_only_the_meetings_liaison_records_an_outcome(world, login_as):
    meeting = held_meeting(world)
    response = _dispose(login_as(world.owners_member), meeting, "deferred")
    assert response.status_code == 403
    assert meeting.agenda[0].disposal is None
