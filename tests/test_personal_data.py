"""Residents' phone numbers: in full only for the case's liaison and its raiser; masked in the
page, the API and the audit log for everyone else; absent from exports and logs."""
import logging

import pytest
from sqlalchemy import select

from tests.factories import make_case
from tracker.audit.models import AuditEvent
from tracker.cases import operations
from tracker.cases.privacy import mask_phone

PHONE = "13812341234"
MASKED = "138****1234"


@pytest.mark.parametrize(("phone", "masked"), [
    ("13812341234", "138****1234"), ("+8613812341234", "+86*******1234"),
    ("02788881234", "027****1234"), ("88881234", "****1234"), ("1234", "****"), ("", "")])
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@pytest.fixture
def case(world):
    # Filed by a property-company manager on behalf of a resident who phoned them.
    return make_case(world.compound, world.property_rep, resident_name="刘小华",
                     resident_phone=PHONE)


@pytest.mark.parametrize(("role", "shown"), [
    ("liaison", PHONE), ("property_rep", PHONE), ("owners_member", MASKED),
    ("residents_member", MASKED), ("official", MASKED), ("district_official", MASKED)])
def test_case_page_shows_the_phone_only_to_who_calls_back(world, case, login_as, role, shown):
    page = login_as(getattr(world, role)).get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"刘小华（{shown}）" in page
    if shown == MASKED:
        assert PHONE not in page


@pytest.mark.parametrize(("role", "shown"), [
    ("liaison", PHONE), ("property_rep", PHONE), ("owners_member", MASKED),
    ("official", MASKED), ("district_official", MASKED)])
def test_api_answers_the_phone_as_the_page_does(world, case, client, bearer, role, shown):
    response = client.get(f"/api/v1/cases/{case.id}", headers=bearer(getattr(world, role)))
    assert response.json["resident_phone"] == shown
    listing = client.get("/api/v1/cases", headers=bearer(getattr(world, role)))
    assert PHONE not in listing.get_data(as_text=True)


def test_audit_log_records_a_changed_phone_masked(world, case, db):
    operations.edit_case(case, world.liaison, expected_version=case.version,
                         resident_phone="13900005678")
    db.session.commit()
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "edit")).all()
    assert event.data["changed"]["resident_phone"] == [MASKED, "139****5678"]


def test_exports_do_not_carry_the_phone(world, case, login_as):
    client = login_as(world.liaison)
    for url in ("/oversight/cases.csv", "/oversight/cases.xlsx", "/oversight/table.csv",
                "/minutes-register/export.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert PHONE.encode() not in response.data and MASKED.encode() not in response.data


def test_raising_and_editing_write_no_phone_to_the_log(world, login_as, caplog):
    from tests.helpers.cases import newest_case, raise_form
    caplog.set_level(logging.DEBUG)
    client = login_as(world.liaison)
    client.post("/cases/new", data=raise_form(world.compound, resident_name="刘小华",
                                              resident_phone=PHONE))
    case = newest_case()
    client.get(f"/cases/{case.id}")
    client.get(f"/api/v1/cases/{case.id}")
    assert PHONE not in caplog.text and "1234" not in caplog.text
