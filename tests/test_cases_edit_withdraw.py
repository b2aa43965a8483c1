"""Correcting a raised case, withdrawing it, reopening a closed one — through the pages."""
import io

import pytest
from sqlalchemy import select

from tests.conftest import field_errors, input_value, page_text, shown
from tests.factories import image_bytes, make_case, row_counts, set_state
from tracker.audit.models import AuditEvent
from tracker.cases.models import CaseCategory, CaseState
from tracker.core.labels import label
from tracker.extensions import db

CHANGED = "This case was changed by someone else in the meantime. " \
          "Please look at its current state and try again."


def state_label(state: CaseState) -> str:
    return shown(label(state))  # the label in the page's language


def edit_form(case, **changes):
    values = {"title": case.title, "category": case.category.value,
              "source": case.source.value, "description": case.description,
              "resident_name": case.resident_name, "resident_phone": case.resident_phone,
              "version": str(case.version)}
    values.update(changes)
    return values


@pytest.fixture
def case(world):
    return make_case(world.compound, world.owners_member)


def test_edit_form_shows_the_current_details(world, case, login_as):
    response = login_as(world.liaison).get(f"/cases/{case.id}/edit")

    page = page_text(response)
    assert input_value(page, "title") == case.title
    assert input_value(page, "description") == case.description
    assert input_value(page, "version") == str(case.version)
    assert '<option selected value="water_supply">' in page


def test_edit_saves_and_records_what_changed(world, case, login_as):
    client = login_as(world.liaison)

    response = client.post(f"/cases/{case.id}/edit", data=edit_form(
        case, title="水泵老化，整栋楼停水", category="facilities"), follow_redirects=True)

    page = page_text(response)
    assert shown("The case has been updated.") in page
    assert "水泵老化，整栋楼停水" in page
    db.session.refresh(case)
    assert (case.title, case.category) == ("水泵老化，整栋楼停水", CaseCategory.facilities)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "edit"))
    assert event.actor_id == world.liaison.id
    assert event.data == {"changed": {"title": ["水泵老化，间歇性停水", "水泵老化，整栋楼停水"],
                                      "category": ["water_supply", "facilities"]}}


def test_saving_without_changes_writes_nothing(world, case, login_as):
    before = row_counts()

    response = login_as(world.owners_member).post(
        f"/cases/{case.id}/edit", data=edit_form(case), follow_redirects=True)

    assert shown("Nothing was changed.") in page_text(response)
    assert row_counts() == before
    db.session.refresh(case)
    assert case.version == 1


@pytest.mark.parametrize("state", [s for s in CaseState if s != CaseState.raised],
                         ids=lambda s: s.value)
def test_only_a_raised_case_can_be_edited(world, case, login_as, state):
    set_state(case, state)
    client = login_as(world.liaison)

    assert client.get(f"/cases/{case.id}/edit").status_code == 403
    response = client.post(f"/cases/{case.id}/edit", data=edit_form(case, title="改过的标题"))

    assert response.status_code == 403
    db.session.refresh(case)
    assert case.title == "水泵老化，间歇性停水"
    assert f'href="/cases/{case.id}/edit"' not in page_text(client.get(f"/cases/{case.id}"))


def test_edit_link_shown_only_to_those_who_may_edit(world, case, login_as, client):
    link = f'href="/cases/{case.id}/edit"'
    for who, shown_link in [("owners_member", True), ("liaison", True), ("property_rep", False),
                            ("official", False), ("admin", False)]:
        login_as(getattr(world, who))
        assert (link in page_text(client.get(f"/cases/{case.id}"))) is shown_link, who


def test_stale_edit_keeps_the_typing_and_can_be_saved_again(world, case, login_as, app):
    # Someone else saves first, after this person opened the form.
    seen = case.version
    other = app.test_client()
    login_as(world.owners_member)
    with other.session_transaction() as session:
        session["_user_id"] = world.liaison.get_id()
    assert other.post(f"/cases/{case.id}/edit",
                      data=edit_form(case, description="物业已联系维修。")).status_code == 302

    response = login_as(world.owners_member).post(
        f"/cases/{case.id}/edit", data=edit_form(case, title="我的新标题", version=str(seen)))

    page = page_text(response)
    assert response.status_code == 409
    assert shown(CHANGED) in page
    assert input_value(page, "title") == "我的新标题"
    db.session.refresh(case)
    assert case.title == "水泵老化，间歇性停水"
    # The page says "save again": the form now carries the version it was compared with.
    resubmit = dict(edit_form(case, title="我的新标题"), version=input_value(page, "version"))
    again = login_as(world.owners_member).post(f"/cases/{case.id}/edit", data=resubmit)
    assert again.status_code == 302
    db.session.refresh(case)
    assert case.title == "我的新标题"


def withdraw(client, case, reason="居民已自行解决", version=None):
    return client.post(f"/cases/{case.id}/actions/withdraw", data={
        "reason": reason, "version": str(case.version if version is None else version)})


@pytest.mark.parametrize("state", [CaseState.raised, CaseState.meeting], ids=lambda s: s.value)
def test_withdraw_with_a_reason(world, case, login_as, state):
    set_state(case, state)
    client = login_as(world.liaison)
    assert f'href="/cases/{case.id}/actions/withdraw"' in page_text(client.get(f"/cases/{case.id}"))

    response = withdraw(client, case)

    assert response.status_code == 302
    page = page_text(client.get(f"/cases/{case.id}"))
    assert f'<span class="badge state-withdrawn">{state_label(CaseState.withdrawn)}</span>' in page
    assert "居民已自行解决" in page  # the reason is on the timeline
    assert f"{state_label(state)} → {state_label(CaseState.withdrawn)}" in page
    # Nothing more to do with it: no withdraw, edit or photo form.
    assert f'/cases/{case.id}/actions/withdraw"' not in page
    assert f'/cases/{case.id}/edit"' not in page
    assert f'action="/cases/{case.id}/photos"' not in page
    assert withdraw(client, case).status_code == 403


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_withdraw_needs_a_reason(world, case, login_as, reason):
    before = row_counts()

    response = withdraw(login_as(world.liaison), case, reason=reason)

    assert response.status_code == 200
    assert field_errors(page_text(response)) == {"reason": [shown("Please give a reason.")]}
    assert row_counts() == before
    db.session.refresh(case)
    assert case.state == CaseState.raised


def test_withdraw_with_a_stale_version(world, case, login_as):
    seen = case.version
    set_state(case, CaseState.meeting)  # someone put it on an agenda meanwhile
    before = row_counts()

    response = withdraw(login_as(world.liaison), case, reason="重复立案", version=seen)

    page = page_text(response)
    assert response.status_code == 409
    assert shown(CHANGED) in page
    assert input_value(page, "reason") == "重复立案"
    assert row_counts() == before
    db.session.refresh(case)
    assert case.state == CaseState.meeting


def test_official_reopens_a_closed_case(world, case, login_as):
    set_state(case, CaseState.closed)
    client = login_as(world.official)
    assert f'href="/cases/{case.id}/actions/reopen"' in page_text(client.get(f"/cases/{case.id}"))

    response = client.post(f"/cases/{case.id}/actions/reopen", data={
        "reason": "回访时居民仍然停水", "version": str(case.version)}, follow_redirects=True)

    page = page_text(response)
    assert f'<span class="badge state-follow_up">{state_label(CaseState.follow_up)}</span>' in page
    assert "回访时居民仍然停水" in page
    assert world.official.name in page


def test_add_photos_to_a_case(world, case, login_as):
    client = login_as(world.property_rep)

    response = client.post(f"/cases/{case.id}/photos", data={"photos": [
        (io.BytesIO(image_bytes()), "a.jpg"), (io.BytesIO(image_bytes("PNG")), "b.png")]},
        follow_redirects=True)

    page = page_text(response)
    assert shown("The photos have been added.") in page
    assert page.count(f'<img src="/cases/{case.id}/photos/') == 2
    assert shown("added photos") in page


def test_withdrawn_label_in_english(world, case, login_as):
    client = login_as(world.liaison)
    client.post("/language/en", data={"next": "/cases/"})

    withdraw(client, case)

    page = page_text(client.get(f"/cases/{case.id}"))
    assert '<span class="badge state-withdrawn">Withdrawn</span>' in page
    assert "Raised → Withdrawn" in page
