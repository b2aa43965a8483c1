"""The minutes' 议定 line is written from the item's resolution and vote, never typed beside it:
a vote that passed prints its resolution in full, one that failed says so, an open one says the
result follows; what the recorder typed is a note that cannot stand in for the decision."""
import re
import shutil
import subprocess

import pytest

from tests.helpers.minutes import TYPED, close_with, print_view, typed_into_the_minutes
from tests.vote_factories import committee_vote, proposed
from tracker.extensions import db
from tracker.meetings import issuing
from tracker.meetings.models import Meeting

RESOLUTION = "由物业公司更换水泵。"  # tests.vote_factories.proposed


def test_a_passed_vote_prints_its_resolution_in_full_and_the_typed_text_as_a_note(
        world, login_as):
    vote = committee_vote(world, extra_members=4)
    meeting = db.session.get(Meeting, vote.resolution.meeting_id)
    typed_into_the_minutes(meeting, world)
    close_with(vote, world, voting_for=3)
    lines = print_view(login_as, world, meeting)
    assert f"表决：{vote.result['explanation_zh']}" in lines
    assert f"议定：{RESOLUTION}" in lines
    assert "责任方：物业公司" in lines and "完成时限：15个工作日" in lines
    assert f"补充说明：{TYPED}" in lines
    assert f"议定：{TYPED}" not in lines and "责任方：业委会" not in lines
    assert [line for line in lines if line.startswith("议定：")] == [f"议定：{RESOLUTION}"]


def test_a_failed_vote_says_the_resolution_did_not_pass(world, login_as):
    vote = committee_vote(world, extra_members=4)
    meeting = db.session.get(Meeting, vote.resolution.meeting_id)
    close_with(vote, world, voting_for=2)
    lines = print_view(login_as, world, meeting)
    assert f"表决：{vote.result['explanation_zh']}" in lines
    assert [line for line in lines if line.startswith("议定：")] == \
        [f"议定：决议“{RESOLUTION}”未获通过。"]
    assert not any(line.startswith(("责任方：", "完成时限：")) for line in lines)


@pytest.mark.parametrize(("opened", "said"), [(True, "表决进行中，结果另行公布"), (False, "待表决")])
def test_a_resolution_not_yet_decided_says_where_it_stands(world, login_as, opened, said):
    if opened:
        resolution = committee_vote(world).resolution
    else:
        resolution = proposed(world)
    meeting = db.session.get(Meeting, resolution.meeting_id)
    lines = print_view(login_as, world, meeting)
    assert [line for line in lines if line.startswith("议定：")] == \
        [f"议定：提出决议“{RESOLUTION}”，{said}。"]
    assert not any(line.startswith("表决：") for line in lines)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils' pdftotext")
def test_the_pdf_carries_the_same_decision_as_theprint_view(world):
    vote = committee_vote(world, extra_members=4)
    meeting = db.session.get(Meeting, vote.resolution.meeting_id)
    typed_into_the_minutes(meeting, world)
    close_with(vote, world, voting_for=3)
    text = subprocess.run(["pdftotext", "-", "-"], input=issuing.render_minutes_pdf(meeting),
                          capture_output=True, check=True).stdout.decode()
    flat = re.sub(r"\s+", "", text)
    assert f"议定：{RESOLUTION}" in flat and f"补充说明：{TYPED}" in flat
    assert f"议定：{TYPED}" not in flat


def test_a_vote_closing_after_a_signature_asks_for_that_signature_again(world):
    # The signature vouched for minutes saying the vote was open; they now state its result.
    from tests.meeting_factories import sign
    from tracker.meetings.queries import valid_signatures
    vote = committee_vote(world, extra_members=4)
    meeting = db.session.get(Meeting, vote.resolution.meeting_id)
    sign(meeting, world.residents_member)
    db.session.commit()
    assert [s.user_id for s in valid_signatures(meeting)] == [world.residents_member.id]
    close_with(vote, world, voting_for=3)
    assert valid_signatures(meeting) == []


def test_a_case_decided_by_its_vote_is_not_carried_over_as_well(world):
    # "Deferred to the next meeting" and "passed" never stand side by side: once passed, the
    # case is in follow-up and carrying it over is refused.
    from tracker.cases.workflow import Action, TransitionRefused, transition
    vote = committee_vote(world, extra_members=4)
    close_with(vote, world, voting_for=3)
    case = vote.resolution.case
    with pytest.raises(TransitionRefused):
        transition(case, Action.carry_over, world.liaison, expected_version=None, reason="x",
                   context={"meeting": db.session.get(Meeting, vote.resolution.meeting_id),
                            "closing": True})
