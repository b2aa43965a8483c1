"""Sign-off: the required representative, with their password, over the exact content."""
import base64

import pytest

from tests.conftest import page_text, shown
from tests.factories import PASSWORD, image_bytes
from tests.meeting_factories import SIGNERS, held_meeting, sign
from tracker.auth.models import MemberRole, Membership
from tracker.meetings.minutes import content_sha256
from tracker.meetings.models import MeetingState, MinutesDocument
from tracker.meetings.operations import set_required_signer
from tracker.meetings.queries import valid_signatures
from tracker.places.models import PartyKind


def _sign_form(meeting, password=PASSWORD, drawing=""):
    return {"password": password, "drawing": drawing,
            "content_sha256": content_sha256(meeting)}


def test_required_representative_signs_with_password_and_drawing(world, login_as, db):
    meeting = held_meeting(world)
    drawing = "data:image/png;base64," + base64.b64encode(image_bytes("PNG")).decode()
    client = login_as(world.owners_member)
    response = client.post(f"/meetings/{meeting.id}/sign", data=_sign_form(meeting,
                                                                            drawing=drawing))
    assert response.status_code == 302
    [signature] = valid_signatures(meeting)
    assert signature.user_id == world.owners_member.id
    assert signature.content_sha256 == content_sha256(meeting)
    assert signature.client_address == "127.0.0.1"
    assert signature.drawing_png.startswith(b"\x89PNG")


def test_wrong_password_cannot_sign(world, login_as):
    meeting = held_meeting(world)
    response = login_as(world.owners_member).post(
        f"/meetings/{meeting.id}/sign", data=_sign_form(meeting, password="wrong password"))
    assert response.status_code == 400
    assert "password is wrong" in response.get_data(as_text=True) or \
        "密码" in response.get_data(as_text=True)
    assert valid_signatures(meeting) == []


def test_someone_not_required_cannot_sign(world, login_as):
    meeting = held_meeting(world)
    for user in (world.liaison, world.official, world.admin):
        assert login_as(user).post(f"/meetings/{meeting.id}/sign",
                                   data=_sign_form(meeting)).status_code in (403, 404)
    assert valid_signatures(meeting) == []


def test_signature_over_outdated_content_is_refused(world, login_as):
    meeting = held_meeting(world)
    form = _sign_form(meeting)
    form["content_sha256"] = "0" * 64
    response = login_as(world.owners_member).post(f"/meetings/{meeting.id}/sign", data=form)
    assert response.status_code == 400
    assert valid_signatures(meeting) == []


def test_bad_drawing_is_refused_without_a_500(world, login_as):
    meeting = held_meeting(world)
    response = login_as(world.owners_member).post(
        f"/meetings/{meeting.id}/sign",
        data=_sign_form(meeting, drawing="data:image/png;base64,bm90IGFuIGltYWdl"))
    assert response.status_code == 400
    assert valid_signatures(meeting) == []


NOT_PNG = ("The drawn signature must be a PNG picture, as the signing page draws it, not "
           "%(format)s; nothing was signed.")


def _on_the_page(client, _bearer, meeting, user, drawing):
    response = client.post(f"/meetings/{meeting.id}/sign",
                           data=_sign_form(meeting, drawing=drawing))
    return response.status_code, page_text(response)


def _through_the_api(client, bearer, meeting, user, drawing):
    response = client.post(f"/api/v1/meetings/{meeting.id}/signatures", headers=bearer(user),
                           json={"password": PASSWORD, "drawing_png": drawing,
                                 "content_sha256": content_sha256(meeting)})
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize(("submit", "refused"), [(_on_the_page, 400), (_through_the_api, 422)],
                         ids=["page", "api"])
def test_a_jpeg_under_a_png_prefix_is_refused(world, client, login_as, bearer, submit, refused):
    """The picture is what its bytes decode as: a JPEG sent as ``data:image/png`` is not taken
    (it would be stored, served and printed as a PNG)."""
    meeting = held_meeting(world)
    login_as(world.owners_member)
    drawing = "data:image/png;base64," + base64.b64encode(image_bytes("JPEG")).decode()

    status, text = submit(client, bearer, meeting, world.owners_member, drawing)

    assert status == refused
    assert shown(NOT_PNG, format="JPEG") in text
    assert valid_signatures(meeting) == []


def test_a_stored_drawing_is_served_as_what_its_bytes_are(world, login_as, db):
    meeting = held_meeting(world)
    png = sign(meeting, world.owners_member)
    png.drawing_png = image_bytes("PNG")
    jpeg = sign(meeting, world.property_rep)
    jpeg.drawing_png = image_bytes("JPEG")  # stored before only PNGs were taken
    db.session.commit()
    client = login_as(world.liaison)
    for signature, expected in ((png, "image/png"), (jpeg, "image/jpeg")):
        response = client.get(f"/meetings/{meeting.id}/signatures/{signature.id}.png")
        assert response.status_code == 200
        assert response.mimetype == expected
        assert response.data == signature.drawing_png


def test_last_signature_locks_minutes_and_issues_pdf(world, login_as, db):
    meeting = held_meeting(world)
    for username in SIGNERS[:-1]:
        sign(meeting, world.users[username])
    db.session.commit()
    response = login_as(world.property_rep).post(f"/meetings/{meeting.id}/sign",
                                                 data=_sign_form(meeting))
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.state == MeetingState.signed
    document = db.session.scalar(db.select(MinutesDocument))
    assert document.pdf.startswith(b"%PDF")
    # Locked: no more edits.
    assert login_as(world.liaison).get(f"/meetings/{meeting.id}/minutes").status_code == 403


def test_one_person_representing_two_parties_signs_once_for_each(world, login_as, db):
    """A residents' committee chair who also chairs the 物管会 is the required signer of both."""
    meeting = held_meeting(world)
    residents = world.compound.party_of(PartyKind.residents_committee)
    owners = world.compound.party_of(PartyKind.owners_committee)
    db.session.add(Membership(user=world.owners_member, party=residents, role=MemberRole.chair))
    set_required_signer(meeting, world.liaison, residents, world.owners_member)
    sign(meeting, world.property_rep)
    db.session.commit()
    client = login_as(world.owners_member)
    offered = []
    for _ in range(2):
        page = page_text(client.get(f"/meetings/{meeting.id}/sign"))
        offered += [p.name for p in (residents, owners)
                    if shown("Sign for %(party)s", party=p.name) in page]
        response = client.post(f"/meetings/{meeting.id}/sign", data=_sign_form(meeting))
        assert response.status_code == 302
    assert sorted(offered) == sorted([residents.name, owners.name])
    db.session.refresh(meeting)
    assert meeting.state == MeetingState.signed
    assert {s.user_id for s in valid_signatures(meeting)} == {world.owners_member.id,
                                                              world.property_rep.id}
