"""The demo's issued minutes, read as an official would read the PDF: the text the print view
shows (the same renderer the signers read) is the PDF's, line for line; one 议定 line an item;
dates without leading zeros; attendance grouped by organisation with the chair marked; every
issue number names its issuing body."""
import re
import shutil
import subprocess

import pytest
from sqlalchemy import select

from tests.helpers.minutes import text_lines
from tracker.auth.models import User
from tracker.extensions import db
from tracker.meetings.models import Meeting, MinutesDocument

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"),
                                reason="needs poppler-utils' pdftotext")


@pytest.fixture
def demo(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def _flat(pdf: bytes) -> str:
    """The PDF's text without white space and without the page folios (—1—) that a page break
    puts in the middle of a paragraph."""
    return re.sub(r"—\d+—", "", re.sub(r"\s+", "", _pdf_text(pdf)))


def test_every_issued_demo_minutes_pdf_says_what_its_print_view_says(demo, login_as):
    documents = list(db.session.scalars(select(MinutesDocument)))
    assert documents
    for document in documents:
        meeting = db.session.get(Meeting, document.meeting_id)
        client = login_as(meeting.convener)
        page = client.get(f"/meetings/{meeting.id}/print").get_data(as_text=True)
        shown = text_lines(re.search(r'<article class="official-document">(.*?)</article>',
                                      page, re.S).group(1))
        flat = _flat(document.pdf)
        position = 0
        for line in shown:
            found = flat.find(line, position)
            assert found >= 0, f"{meeting.issue_number}: not in the PDF after {position}: {line}"
            position = found + len(line)
        decisions = [line for line in shown if line.startswith("议定：")]
        assert len(decisions) == len(meeting.agenda)
        assert len([line for line in shown if line.startswith("表决：")]) >= 1


def test_the_demo_pdfs_follow_the_official_document_details(demo):
    for document in db.session.scalars(select(MinutesDocument)):
        meeting = db.session.get(Meeting, document.meeting_id)
        text = _pdf_text(document.pdf)
        flat = re.sub(r"\s+", "", text)
        assert not re.search(r"年0\d月|月0\d日", flat), "月、日不编虚位 (GB/T 9704-2012)"
        assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日印发", flat)
        assert meeting.issue_number in flat
        present = re.search(r"出席：(.*?)(列席|请假|单位)", flat).group(1)
        assert "（主持）" in present
        # Grouped: each organisation named once under 出席, the community's side first.
        units = [part.split("\u3000")[0] for part in present.split("；")]
        assert present.startswith(meeting.community.name) or "居民委员会" in units[0]
        assert len(present.split("；")) == len({u for u in present.split("；")})


def test_every_demo_meeting_has_an_issue_number_of_its_own(demo):
    numbers = [m.issue_number for m in db.session.scalars(select(Meeting))]
    assert len(numbers) == len(set(numbers))
    assert all("联席会议纪要〔" in number for number in numbers)
    assert db.session.scalar(select(User).where(User.username == "hushaoyi")) is not None


def test_the_demo_minutes_awaiting_signature_are_signed_as_they_will_be_issued(demo, login_as):
    from tracker.meetings import issuing
    from tracker.meetings.models import MeetingState
    [meeting] = db.session.scalars(select(Meeting).where(Meeting.state == MeetingState.held))
    assert meeting.required_signers
    signer = meeting.required_signers[0].user
    page = login_as(signer).get(f"/meetings/{meeting.id}/sign").get_data(as_text=True)
    seen = text_lines(re.search(r'<article class="official-document">(.*?)</article>', page,
                                re.S).group(1))
    issued = text_lines(str(issuing.document_html(issuing.minutes_context(meeting,
                                                                          for_pdf=True))))
    assert seen == issued
    flat = _flat(issuing.render_minutes_pdf(meeting))
    position = 0
    for line in seen:
        found = flat.find(line, position)
        assert found >= 0, f"not in the PDF after {position}: {line}"
        position = found + len(line)
    assert [line for line in seen if line.startswith("议定：")] == \
        ["议定：由物管会向停放车辆收取停车费，聘请门卫登记外来车辆，停车费用于聘请清洁员和门房。"]
