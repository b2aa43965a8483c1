"""Every kind of item outcome, read from the PDF as issued (pdftotext): the item carries exactly
one 议定 line, the one its record gives, with the 表决 line where a vote closed and a passed
resolution printed in full with its responsible party and deadline."""
import re
import shutil
import subprocess

import pytest

from tests.helpers.minutes import TYPED, close_with, typed_into_the_minutes
from tests.meeting_factories import held_meeting
from tests.vote_factories import committee_vote, proposed
from tracker.extensions import db
from tracker.meetings import issuing
from tracker.meetings import operations as meetings
from tracker.meetings.models import ItemDisposal, Meeting

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"),
                                reason="needs poppler-utils' pdftotext")

RESOLUTION = "由物业公司更换水泵。"  # tests.vote_factories.proposed
NOTE = "报价尚未送达。"


def _closed(world, voting_for):
    vote = committee_vote(world, extra_members=4)
    close_with(vote, world, voting_for=voting_for)
    return db.session.get(Meeting, vote.resolution.meeting_id), vote


def _disposed(world, disposal):
    meeting = held_meeting(world)
    meetings.dispose_item(meeting, meeting.agenda[0], world.liaison, disposal, NOTE)
    db.session.commit()
    return meeting, None


SETUPS = {
    "passed": lambda world: _closed(world, 3),
    "failed": lambda world: _closed(world, 2),
    "voting": lambda world: (db.session.get(Meeting, committee_vote(world).resolution.meeting_id),
                             None),
    "proposed": lambda world: (db.session.get(Meeting, proposed(world).meeting_id), None),
    "deferred": lambda world: _disposed(world, ItemDisposal.deferred),
    "no_decision": lambda world: _disposed(world, ItemDisposal.no_decision),
    "undecided": lambda world: (held_meeting(world), None),
}
DECIDED = {
    "passed": f"议定：{RESOLUTION}",
    "failed": f"议定：决议“{RESOLUTION}”未获通过。",
    "voting": f"议定：提出决议“{RESOLUTION}”，表决进行中，结果另行公布。",
    "proposed": f"议定：提出决议“{RESOLUTION}”，待表决。",
    "deferred": "议定：暂缓，转下次会议审议。",
    "no_decision": "议定：本议题无需作出决议。",
    "undecided": "议定：本次会议未作决定，转下次会议审议。",
}


@pytest.mark.parametrize("kind", list(SETUPS))
def test_the_pdf_prints_exactly_the_items_outcome(world, kind):
    meeting, vote = SETUPS[kind](world)
    typed_into_the_minutes(meeting, world)
    text = subprocess.run(["pdftotext", "-", "-"], input=issuing.render_minutes_pdf(meeting),
                          capture_output=True, check=True).stdout.decode()
    flat = re.sub(r"\s+", "", text)
    assert flat.count("议定：") == 1 and DECIDED[kind] in flat
    assert f"补充说明：{TYPED}" in flat  # the typed text is a note, never the decision
    if vote is not None:
        assert f"表决：{vote.result['explanation_zh']}".replace(" ", "") in flat
    else:
        assert "表决：" not in flat
    if kind == "passed":
        assert "责任方：物业公司" in flat and "完成时限：15个工作日" in flat
    else:
        assert "责任方：" not in flat and "完成时限：" not in flat
    if kind in ("deferred", "no_decision"):
        heading = "暂缓理由" if kind == "deferred" else "说明"
        assert f"{heading}：{NOTE}" in flat
