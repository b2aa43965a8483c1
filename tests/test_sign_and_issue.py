"""The last required signature locks the minutes and issues one signed PDF, whether it is given on
the signing page or through the API: both go through the same operation."""
import hashlib
import json

import pytest
from sqlalchemy import func, select

from tests.conftest import page_text, shown
from tests.factories import PASSWORD
from tests.meeting_factories import SIGNERS, held_meeting, sign
from tracker.extensions import db
from tracker.meetings import issuing, operations
from tracker.meetings.minutes import content_sha256
from tracker.meetings.models import MeetingState, MinutesDocument, Signature
from tracker.meetings.queries import valid_signatures
from tracker.meetings.verification import verify_minutes_pdf

PDF_FAILED = ("The minutes PDF could not be produced, so the last signature was not saved. "
              "Please tell your administrator.")


def _on_the_page(client, _bearer, meeting, user):
    """Sign on the page: the status and the page shown after it (with its flashed message)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    response = client.post(f"/meetings/{meeting.id}/sign", follow_redirects=True, data={
        "password": PASSWORD, "drawing": "", "content_sha256": content_sha256(meeting)})
    return response.status_code, page_text(response)


def _through_the_api(client, bearer, meeting, user):
    """Sign through the API: the status and the answer's JSON as text."""
    response = client.post(f"/api/v1/meetings/{meeting.id}/signatures", headers=bearer(user),
                           json={"password": PASSWORD, "content_sha256": content_sha256(meeting)})
    return response.status_code, json.dumps(response.get_json(), ensure_ascii=False)


WAYS = {"page": (_on_the_page, 200), "api": (_through_the_api, 201)}


def _documents(meeting) -> list[MinutesDocument]:
    return list(db.session.scalars(select(MinutesDocument).where(
        MinutesDocument.meeting_id == meeting.id)))


@pytest.mark.parametrize("way", WAYS)
def test_last_signature_locks_and_issues_one_pdf_that_verifies(world, client, bearer, way):
    meeting = held_meeting(world)
    for username in SIGNERS[:-1]:
        sign(meeting, world.users[username])
    db.session.commit()
    signed_sha = content_sha256(meeting)
    submit, ok = WAYS[way]

    status, text = submit(client, bearer, meeting, world.users[SIGNERS[-1]])

    assert status == ok, text[:500]
    if way == "page":
        assert shown("Signed. All signatures are in: the minutes are locked and the PDF has "
                     "been issued.") in text
    db.session.expire_all()
    assert meeting.state == MeetingState.signed
    [document] = _documents(meeting)
    assert document.content_sha256 == signed_sha
    assert document.pdf_sha256 == hashlib.sha256(document.pdf).hexdigest()
    assert document.size == len(document.pdf)
    assert verify_minutes_pdf(document.pdf).valid
    assert len(valid_signatures(meeting)) == len(SIGNERS)


@pytest.mark.parametrize("way", WAYS)
def test_a_signature_before_the_last_issues_nothing(world, client, bearer, way):
    meeting = held_meeting(world)
    submit, ok = WAYS[way]

    status, text = submit(client, bearer, meeting, world.users[SIGNERS[0]])

    assert status == ok, text[:500]
    if way == "page":
        assert shown("Signed.") in text
        assert shown("Signed. All signatures are in: the minutes are locked and the PDF has "
                     "been issued.") not in text
    db.session.expire_all()
    assert meeting.state == MeetingState.held
    assert _documents(meeting) == []


@pytest.mark.parametrize("way", WAYS)
def test_a_pdf_that_cannot_be_produced_keeps_the_last_signature_out(world, client, bearer,
                                                                    monkeypatch, way):
    """The lock, the signature and the document are one change: without the PDF, none of them."""
    meeting = held_meeting(world)
    for username in SIGNERS[:-1]:
        sign(meeting, world.users[username])
    db.session.commit()

    def broken(_meeting):
        raise RuntimeError("the renderer is gone")

    monkeypatch.setattr(issuing, "issue_minutes_pdf", broken)
    submit, _ok = WAYS[way]

    status, text = submit(client, bearer, meeting, world.users[SIGNERS[-1]])

    assert status == {"page": 400, "api": 409}[way]
    assert shown(PDF_FAILED) in text
    db.session.expire_all()
    assert meeting.state == MeetingState.held
    assert _documents(meeting) == []
    assert db.session.scalar(select(func.count(Signature.id)).where(
        Signature.meeting_id == meeting.id)) == len(SIGNERS) - 1


def test_the_operation_says_whether_it_locked(world):
    meeting = held_meeting(world)
    outcomes = [operations.sign_and_issue(meeting, world.users[username], password=PASSWORD,
                                          client_address="127.0.0.1", drawing_png=None,
                                          expected_sha256=content_sha256(meeting))
                for username in SIGNERS]
    db.session.commit()
    assert outcomes == [False, False, True]
    assert meeting.state == MeetingState.signed
    assert len(_documents(meeting)) == 1
