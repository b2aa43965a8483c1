"""Every party at the table signs: the signers form refuses a choice that would leave a party
present at the meeting without its own member's signature, and the minutes never issue without
one, whatever the stored signers say — on the page, through the API, or called directly."""
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import field_errors, page_text, shown
from tests.factories import PASSWORD
from tests.meeting_factories import held_meeting, sign
from tracker.audit.models import AuditEvent
from tracker.extensions import db
from tracker.meetings import operations
from tracker.meetings.minutes import content_sha256
from tracker.meetings.models import AttendanceStatus, MeetingState, MinutesDocument
from tracker.meetings.queries import all_signed, valid_signatures
from tracker.places.models import PartyKind

NOT_A_MEMBER = ("Only a member of %(party)s can sign for it: choose one of its members from the "
                "list.")
PRESENT = "%(party)s was present at the meeting: choose who signs the minutes for it."


def _parties(world):
    return {kind: world.compound.party_of(kind) for kind in (
        PartyKind.residents_committee, PartyKind.owners_committee, PartyKind.property_company)}


def _signers(meeting) -> dict[int, int]:
    db.session.expire_all()
    return {r.party_id: r.user_id for r in meeting.required_signers}


def _selected(page: str, party) -> str | None:
    """The value the party's select shows chosen."""
    select_ = re.search(rf'<select[^>]*name="signer-{party.id}".*?</select>', page, re.S).group()
    found = re.search(r'<option value="(\d*)" selected', select_)
    return found.group(1) if found else None


def _post_signers(client, meeting, chosen: dict) -> tuple[int, str]:
    response = client.post(f"/meetings/{meeting.id}/signers",
                           data={f"signer-{party.id}": value for party, value in chosen.items()})
    return response.status_code, page_text(response)


def _signed_by(meeting, *users):
    """Each of ``users`` signs on the signing page's terms (the last may lock and issue)."""
    for user in users:
        operations.sign_and_issue(meeting, user, password=PASSWORD, client_address="127.0.0.1",
                                  drawing_png=None, expected_sha256=content_sha256(meeting))
    db.session.commit()


def _issued(meeting) -> bool:
    db.session.expire_all()
    return meeting.state is MeetingState.signed or db.session.scalar(
        select(func.count(MinutesDocument.id)).where(MinutesDocument.meeting_id == meeting.id)) > 0


@pytest.mark.parametrize("value", ["owners_member", "999999", "abc"])
def test_a_signer_who_is_not_the_partys_member_is_refused_and_nothing_saved(world, login_as,
                                                                             value):
    """An owners' committee member as the property company's signer, or an id never offered:
    refused next to that select, every select keeps what was chosen, nothing saved — and so
    the two other signatures do not issue the minutes without the property company."""
    meeting = held_meeting(world)
    parties = _parties(world)
    before = _signers(meeting)
    events = db.session.scalar(select(func.count(AuditEvent.id)))
    chosen = str(world.owners_member.id) if value == "owners_member" else value
    status, page = _post_signers(login_as(world.liaison), meeting, {
        parties[PartyKind.residents_committee]: str(world.residents_member.id),
        parties[PartyKind.owners_committee]: str(world.owners_member.id),
        parties[PartyKind.property_company]: chosen})

    assert status == 400
    property_company = parties[PartyKind.property_company]
    assert field_errors(page) == {f"signer-{property_company.id}": [
        shown(NOT_A_MEMBER, party=property_company.name)]}
    assert _selected(page, parties[PartyKind.residents_committee]) == \
        str(world.residents_member.id)
    assert _selected(page, parties[PartyKind.owners_committee]) == str(world.owners_member.id)
    assert _signers(meeting) == before
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events
    _signed_by(meeting, world.residents_member, world.owners_member)
    assert not _issued(meeting)


def test_nobody_for_a_party_present_is_refused(world, login_as):
    meeting = held_meeting(world)
    parties = _parties(world)
    before = _signers(meeting)
    client = login_as(world.liaison)
    property_company = parties[PartyKind.property_company]
    # The page does not offer "nobody" for a party at the table…
    page = page_text(client.get(f"/meetings/{meeting.id}/signers"))
    assert shown("— nobody (this party does not sign) —") not in page
    # …and refuses it when sent.
    status, page = _post_signers(client, meeting, {
        parties[PartyKind.residents_committee]: str(world.residents_member.id),
        parties[PartyKind.owners_committee]: str(world.owners_member.id),
        property_company: ""})
    assert status == 400
    assert field_errors(page) == {f"signer-{property_company.id}": [
        shown(PRESENT, party=property_company.name)]}
    assert _signers(meeting) == before


def test_a_party_nobody_attended_may_sign_or_not(world, login_as):
    """The property company's only member sent apologies after all: nobody signs for it, and
    the two parties at the table issue the minutes."""
    meeting = held_meeting(world)
    parties = _parties(world)
    operations.record_attendance(meeting, world.liaison, {world.property_rep.id: (
        parties[PartyKind.property_company].id, AttendanceStatus.leave)})
    db.session.commit()
    client = login_as(world.liaison)
    assert shown("— nobody (this party does not sign) —") in page_text(
        client.get(f"/meetings/{meeting.id}/signers"))
    status, _page = _post_signers(client, meeting, {
        parties[PartyKind.residents_committee]: str(world.residents_member.id),
        parties[PartyKind.owners_committee]: str(world.owners_member.id),
        parties[PartyKind.property_company]: ""})
    assert status == 302
    assert parties[PartyKind.property_company].id not in _signers(meeting)
    _signed_by(meeting, world.residents_member, world.owners_member)
    assert _issued(meeting)


def _drop_property_signer(world, meeting):
    """Stored signers that leave the property company out, as data written before the rule."""
    [line] = [r for r in meeting.required_signers
              if r.party_id == world.compound.party_of(PartyKind.property_company).id]
    meeting.required_signers.remove(line)
    db.session.commit()


def _property_signer_from_another_party(world, meeting):
    [line] = [r for r in meeting.required_signers
              if r.party_id == world.compound.party_of(PartyKind.property_company).id]
    line.user_id = world.owners_member.id
    db.session.commit()


@pytest.mark.parametrize(("spoil", "message"), [
    (_drop_property_signer, "The minutes cannot be issued: nobody is chosen to sign for "
                            "%(parties)s, which attended the meeting."),
    (_property_signer_from_another_party, "The minutes cannot be issued: the person chosen to "
                                          "sign for %(parties)s is not a member of that party."),
], ids=["nobody chosen", "another party's member chosen"])
def test_minutes_never_issue_without_a_present_partys_own_signature(world, spoil, message):
    meeting = held_meeting(world)
    spoil(world, meeting)

    # Each chosen signer signs for their party, as the signing page would have them.
    _signed_by(meeting, *[line.user for line in meeting.required_signers])

    assert not _issued(meeting)
    assert not all_signed(meeting)
    with pytest.raises(operations.MeetingRefused) as refused:
        operations.lock_minutes(meeting, world.liaison)
    db.session.rollback()
    assert str(refused.value.message) == shown(
        message, parties=world.compound.party_of(PartyKind.property_company).name)
    assert not _issued(meeting)


def test_the_api_does_not_issue_without_a_present_partys_signature(world, client, bearer):
    meeting = held_meeting(world)
    _drop_property_signer(world, meeting)
    sign(meeting, world.residents_member)
    db.session.commit()

    response = client.post(f"/api/v1/meetings/{meeting.id}/signatures",
                           headers=bearer(world.owners_member),
                           json={"password": PASSWORD, "content_sha256": content_sha256(meeting)})

    assert response.status_code == 201  # the signature is kept: it is the liaison's turn
    assert len(valid_signatures(meeting)) == 2
    assert not _issued(meeting)
