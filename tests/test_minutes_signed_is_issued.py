"""What the signers read is what is issued: the signing page shows the minutes as the PDF prints
them, vote lines and decisions included, line for line."""
import re
import shutil
import subprocess

import pytest

from tests.helpers.minutes import text_lines
from tests.meeting_factories import SIGNERS, sign
from tests.vote_factories import committee_vote
from tracker.auth.models import User
from tracker.extensions import db
from tracker.meetings import issuing, operations
from tracker.meetings.models import Meeting, MeetingState
from tracker.voting import operations as voting


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils' pdftotext")
def test_the_signing_page_shows_the_issued_text_line_for_line(world, login_as):
    vote = committee_vote(world, extra_members=4)
    for user_id in vote.eligible["members"][:3]:
        voting.cast_ballot(vote, db.session.get(User, user_id), "for")
    voting.close_vote(vote, world.liaison)
    db.session.commit()
    meeting = db.session.get(Meeting, vote.resolution.meeting_id)
    client = login_as(world.residents_member)
    client.post("/language/en", data={"next": "/"})  # an English reader signs Chinese minutes
    page = client.get(f"/meetings/{meeting.id}/sign").get_data(as_text=True)
    assert "Sign for" in page
    seen = text_lines(re.search(r'<article class="official-document">(.*?)</article>', page,
                                 re.S).group(1))
    assert any(line.startswith("表决：") for line in seen)
    assert any(line.startswith("议定：") for line in seen)
    for username in SIGNERS:
        sign(meeting, world.users[username])
    operations.lock_minutes(meeting, world.liaison)
    db.session.commit()
    assert meeting.state is MeetingState.signed
    document = issuing.document_html(issuing.minutes_context(meeting, for_pdf=True))
    issued = text_lines(str(document))
    assert issued == seen  # the same lines were signed as issued
    pdf = subprocess.run(["pdftotext", "-layout", "-", "-"], input=issuing.render_minutes_pdf(meeting),
                         capture_output=True, check=True).stdout.decode()
    flat = re.sub(r"\s+", "", pdf)
    position = 0
    for line in seen:  # every line, in order, in the PDF's text
        found = flat.find(line, position)
        assert found >= 0, f"not in the PDF after position {position}: {line}"
        position = found + len(line)
