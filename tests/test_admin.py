"""Administration pages: who may open them, creating and editing every entity (audited),
refusing duplicates and bad values without writing anything, importing units, removing
roles after a confirmation, and ending the sessions of deactivated accounts."""
import io
from decimal import Decimal

import pytest
from flask import url_for
from sqlalchemy import func, select

from tests.conftest import field_errors, form_errors, page_text, shown
from tests.helpers.logins import client_logged_in
from tests.helpers.places import add_unit, party
from tracker.audit.models import AuditEvent
from tracker.auth.models import LiaisonAssignment, Membership, OfficialScope, User
from tracker.extensions import db
from tracker.places.models import Community, Compound, District, Party, PartyKind, Street, Unit


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English, so that tests can look for the messages' source text."""
    with client.session_transaction() as session:
        session["locale"] = "en"


def url(app, endpoint, **params) -> str:
    with app.test_request_context():
        return url_for(endpoint, **params)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def audit(subject_type: str, subject_id: int | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.subject_type == subject_type)
    if subject_id is not None:
        query = query.where(AuditEvent.subject_id == subject_id)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def test_index_links_every_list(app, world, login_as):
    html = login_as(world.admin).get("/admin/").get_data(as_text=True)
    lists = [r.endpoint for r in app.url_map.iter_rules()
             if r.endpoint.startswith("admin.") and not r.arguments
             and r.methods >= {"GET"} and "POST" not in r.methods and r.endpoint != "admin.index"]
    assert len(lists) == 9
    for endpoint in lists:
        assert f'href="{url(app, endpoint)}"' in html, endpoint
    compounds = login_as(world.admin).get("/admin/compounds/").get_data(as_text=True)
    assert url(app, "admin.units", compound_id=world.compound.id) in compounds
    assert url(app, "admin.parties", compound_id=world.compound.id) in compounds


# -- creating and editing ------------------------------------------------------------------

def _management_party(world):
    return party(world.mc_compound, PartyKind.management_committee)


# entity → (audit subject, model, "new" endpoint and its params, form data, a field to edit)
CREATE = {
    "district": ("district", District, lambda w: ("admin.district_new", {}),
                 lambda w: {"name": "硚口区"}, ("name", "硚口区（新）")),
    "street": ("street", Street, lambda w: ("admin.street_new", {}),
               lambda w: {"district_id": w.district.id, "name": "汉兴街"}, ("name", "汉兴街道")),
    "community": ("community", Community, lambda w: ("admin.community_new", {}),
                  lambda w: {"street_id": w.street.id, "name": "新湖社区"}, ("name", "新湖")),
    "compound": ("compound", Compound, lambda w: ("admin.compound_new", {}),
                 lambda w: {"community_id": w.community.id, "name": "邮电三公司小区",
                            "code": "yd3", "governance_mode": "management_committee",
                            "households": "96", "total_area": "7321.5",
                            "address": "江汉区北湖街"}, ("households", "97")),
    "unit": ("unit", Unit, lambda w: ("admin.unit_new", {"compound_id": w.compound.id}),
             lambda w: {"building": "2栋", "number": "301", "owner_name": "吕娟",
                        "area": "92.4"}, ("area", "93.50")),
    "party": ("party", Party,
              lambda w: ("admin.party_new", {"compound_id": w.compound.id}),
              lambda w: {"kind": "management_committee", "name": "德富花园物管会"},
              ("name", "德富花园物业管理委员会")),
    "user": ("user", User, lambda w: ("admin.user_new", {}),
             lambda w: {"username": "hongzhaozhen", "name": "洪昭珍", "phone": "13900000013",
                        "active": "y", "password": "long enough 1",
                        "confirm": "long enough 1"}, ("name", "洪昭珍（组长）")),
    "membership": ("membership", Membership, lambda w: ("admin.membership_new", {}),
                   lambda w: {"user_id": w.nobody.id, "party_id": _management_party(w).id,
                              "role": "owner_representative", "votes": "y"},
                   ("role", "member")),
    "liaison": ("liaison_assignment", LiaisonAssignment, lambda w: ("admin.liaison_new", {}),
                lambda w: {"user_id": w.nobody.id, "community_id": "",
                           "compound_id": w.far_compound.id}, ("user_id", None)),
    "official_scope": ("official_scope", OfficialScope,
                       lambda w: ("admin.official_scope_new", {}),
                       lambda w: {"user_id": w.nobody.id, "street_id": "",
                                  "district_id": w.district.id}, ("user_id", None)),
}


@pytest.mark.parametrize("entity", sorted(CREATE))
def test_create_and_edit_are_saved_and_audited(app, world, login_as, entity):
    subject, model, new, data, (field, new_value) = CREATE[entity]
    client = login_as(world.admin)
    endpoint, params = new(world)
    before = {r.id for r in db.session.scalars(select(model))}

    response = client.post(url(app, endpoint, **params), data=data(world))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    (record,) = [r for r in db.session.scalars(select(model)) if r.id not in before]
    (created,) = audit(subject, record.id)
    assert (created.action, created.actor_id) == ("create", world.admin.id)
    assert "long enough" not in str(created.data) and "password_hash" not in created.data

    # Edit: the same values with one changed field; only the change is audited.
    if new_value is None:  # a person's area: give it to someone else
        new_value = world.residents_member.id
    changed = {**data(world), field: new_value}
    if entity == "user":
        changed.update(password="", confirm="")
    edit = url(app, f"admin.{entity}_edit", object_id=record.id)
    assert client.get(edit).status_code == 200
    response = client.post(edit, data=changed)
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    db.session.refresh(record)
    assert str(getattr(record, field).value if hasattr(getattr(record, field), "value")
               else getattr(record, field)) == str(new_value)
    edited = audit(subject, record.id)[-1]
    assert edited.action == "edit" and list(edited.data) == [field]


def test_values_are_normalised(app, world, login_as):
    login_as(world.admin).post("/admin/compounds/new", data=CREATE["compound"][3](world))
    compound = db.session.scalar(select(Compound).where(Compound.name == "邮电三公司小区"))
    assert compound.code == "YD3" and compound.total_area == Decimal("7321.50")
    assert compound.governance_mode.value == "management_committee"
    login_as(world.admin).post(f"/admin/compounds/{compound.id}/units/new", data={
        "building": " 1栋 ", "number": "101", "owner_name": "洪昭珍", "area": "60"})
    (unit,) = compound.units
    assert (unit.building, unit.owner_ref, unit.area) == ("1栋", "洪昭珍", Decimal("60.00"))


def test_saving_unchanged_values_writes_no_event(app, world, login_as):
    response = login_as(world.admin).post(f"/admin/districts/{world.district.id}/edit",
                                          data={"name": "江汉区"}, follow_redirects=True)
    assert "Nothing was changed." in response.get_data(as_text=True)
    assert audit("district") == []


def test_a_new_compound_goes_on_to_its_parties(app, world, login_as):
    response = login_as(world.admin).post("/admin/compounds/new",
                                          data=CREATE["compound"][3](world))
    compound = db.session.scalar(select(Compound).where(Compound.code == "YD3"))
    assert response.headers["Location"].endswith(f"/admin/compounds/{compound.id}/parties/")


# -- refusing duplicates and bad values ----------------------------------------------------

def _compound(w, **changes):
    return {"community_id": w.community.id, "name": "新小区", "code": "NEW",
            "governance_mode": "owners_committee", "households": "10", "total_area": "100",
            "address": "", **changes}


def _user(w, **changes):
    return {"username": "newbie", "name": "新人", "phone": "", "active": "y",
            "password": "long enough 1", "confirm": "long enough 1", **changes}


# (endpoint, params, form data, model that must not grow, text of the error, value kept)
REFUSED = {
    "district name": ("admin.district_new", {}, lambda w: {"name": "江汉区"}, District,
                      "already used", "江汉区"),
    "street name": ("admin.street_new", {},
                    lambda w: {"district_id": w.district.id, "name": "北湖街"}, Street,
                    "already has a street", "北湖街"),
    "community name": ("admin.community_new", {},
                       lambda w: {"street_id": w.street.id, "name": "横堤社区"}, Community,
                       "already has a community", "横堤社区"),
    "compound name": ("admin.compound_new", {}, lambda w: _compound(w, name="德富花园"),
                      Compound, "already has a compound", "德富花园"),
    "compound code": ("admin.compound_new", {}, lambda w: _compound(w, code="dfhy"), Compound,
                      "already uses this code", "DFHY"),
    "negative households": ("admin.compound_new", {}, lambda w: _compound(w, households="-1"),
                            Compound, "Between 0 and", 'value="-1"'),
    "negative area": ("admin.compound_new", {}, lambda w: _compound(w, total_area="-0.5"),
                      Compound, "may not be negative", 'value="-0.5"'),
    "area NaN": ("admin.compound_new", {}, lambda w: _compound(w, total_area="NaN"),
                 Compound, "Not a valid area", "新小区"),
    "no community": ("admin.compound_new", {}, lambda w: _compound(w, community_id=""),
                     Compound, "Please choose a community", "新小区"),
    "unit number": ("admin.unit_new", "compound", lambda w: {
        "building": "1栋", "number": "101", "owner_name": "某", "area": "50"}, Unit,
        "already has a unit", "1栋"),
    "unit area zero": ("admin.unit_new", "compound", lambda w: {
        "building": "9栋", "number": "101", "owner_name": "某", "area": "0"}, Unit,
        "positive number", "9栋"),
    "party kind": ("admin.party_new", "compound", lambda w: {
        "kind": "owners_committee", "name": "第二个业委会"}, Party,
        "already has a party of this kind", "第二个业委会"),
    "username": ("admin.user_new", {}, lambda w: _user(w, username="Liaison"), User,
                 "already taken", "Liaison"),
    "phone": ("admin.user_new", {}, lambda w: _user(w, phone="13900000003"), User,
              "already uses this phone", "13900000003"),
    "short password": ("admin.user_new", {}, lambda w: _user(w, password="short",
                                                             confirm="short"), User,
                       "at least 8 characters", "newbie"),
    "no password": ("admin.user_new", {}, lambda w: _user(w, password="", confirm=""), User,
                    "set a password", "newbie"),
    "membership twice": ("admin.membership_new", {}, lambda w: {
        "user_id": w.owners_member.id,
        "party_id": party(w.compound, PartyKind.owners_committee).id, "role": "member"},
        Membership, "already sits for this party", None),
    "company member votes": ("admin.membership_new", {}, lambda w: {
        "user_id": w.nobody.id, "party_id": party(w.compound, PartyKind.property_company).id,
        "role": "staff", "votes": "y"}, Membership, "Only members of", None),
    "liaison twice": ("admin.liaison_new", {}, lambda w: {
        "user_id": w.liaison.id, "community_id": w.community.id, "compound_id": ""},
        LiaisonAssignment, "already has this liaison area", None),
    "liaison both": ("admin.liaison_new", {}, lambda w: {
        "user_id": w.nobody.id, "community_id": w.community.id,
        "compound_id": w.compound.id}, LiaisonAssignment, "exactly one", None),
    "liaison neither": ("admin.liaison_new", {}, lambda w: {
        "user_id": w.nobody.id, "community_id": "", "compound_id": ""}, LiaisonAssignment,
        "exactly one", None),
    "scope twice": ("admin.official_scope_new", {}, lambda w: {
        "user_id": w.official.id, "street_id": w.street.id, "district_id": ""},
        OfficialScope, "already oversees this area", None),
    "scope both": ("admin.official_scope_new", {}, lambda w: {
        "user_id": w.nobody.id, "street_id": w.street.id, "district_id": w.district.id},
        OfficialScope, "exactly one", None),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_duplicates_and_bad_values_are_refused(app, world, login_as, case):
    endpoint, params, data, model, error, kept = REFUSED[case]
    if params == "compound":
        add_unit(world.compound)
        params = {"compound_id": world.compound.id}
    rows, events = count(model), count(AuditEvent)
    response = login_as(world.admin).post(url(app, endpoint, **params), data=data(world))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert any(error in message for message in form_errors(html)), form_errors(html)
    if kept:
        assert kept in html
    assert (count(model), count(AuditEvent)) == (rows, events)


def test_renaming_into_a_duplicate_is_refused(app, world, login_as):
    client = login_as(world.admin)
    response = client.post(f"/admin/streets/{world.other_street.id}/edit",
                           data={"district_id": world.district.id, "name": "北湖街"})
    assert "already has a street" in " ".join(form_errors(response.get_data(as_text=True)))
    response = client.post(f"/admin/users/{world.nobody.id}/edit",
                           data=_user(world, username="admin", password="", confirm=""))
    assert "already taken" in " ".join(form_errors(response.get_data(as_text=True)))
    db.session.expire_all()
    assert (world.other_street.name, world.nobody.username) == ("唐家墩街", "nobody")
    assert count(AuditEvent) == 0


def test_a_duplicate_saved_at_the_same_moment_is_a_conflict_not_a_500(app, world, login_as,
                                                                      monkeypatch):
    # As if another administrator saved 江汉区 between our check and our commit.
    monkeypatch.setattr("tracker.admin.place_forms.taken", lambda *args, **kwargs: False)
    response = login_as(world.admin).post("/admin/districts/new", data={"name": "江汉区"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved a conflicting record" in html and 'value="江汉区"' in html
    assert (count(District), count(AuditEvent)) == (1, 0)


def test_unknown_records_are_not_found(app, world, login_as):
    client = login_as(world.admin)
    assert client.get("/admin/districts/999/edit").status_code == 404
    assert client.get("/admin/compounds/999/units/").status_code == 404
    assert client.post("/admin/memberships/999/remove", data={}).status_code == 404


def test_an_administrator_cannot_lock_themselves_out(app, world, login_as):
    response = login_as(world.admin).post(f"/admin/users/{world.admin.id}/edit", data={
        "username": "admin", "name": "管理员", "password": "", "confirm": ""})
    errors = " ".join(form_errors(response.get_data(as_text=True)))
    assert "own administrator rights" in errors and "deactivate your own" in errors
    db.session.refresh(world.admin)
    assert world.admin.active and world.admin.is_admin


# -- importing units -----------------------------------------------------------------------

def _upload(client, app, compound, text: str, encoding="utf-8"):
    return client.post(url(app, "admin.units_import", compound_id=compound.id),
                       data={"csv_file": (io.BytesIO(text.encode(encoding)), "units.csv")},
                       content_type="multipart/form-data")


def test_csv_import_adds_units_and_audits_each(app, world, login_as):
    text = ("building,number,owner_name,area,developer_unsold,owner_ref\n"
            "1栋,101,刘小华,88.5,,0011\n1栋,102,刘小华,70,,0011\n2栋,201,开发商,99.9,是,\n")
    response = _upload(login_as(world.admin), app, world.compound, text, "gb18030")
    assert response.status_code == 302
    units = world.compound.units
    assert [(u.building, u.number) for u in units] == [("1栋", "101"), ("1栋", "102"),
                                                       ("2栋", "201")]
    assert units[2].developer_unsold
    events = audit("unit")
    assert sorted(e.subject_id for e in events) == sorted(u.id for u in units)
    assert {e.data["imported_from"] for e in events} == {"units.csv"}


def test_csv_import_with_a_bad_line_imports_nothing(app, world, login_as):
    text = ("building,number,owner_name,area\n"
            "1栋,101,刘小华,88.5\n1栋,102,,-3\n2栋,201,吕娟,99\n")
    response = _upload(login_as(world.admin), app, world.compound, text)
    assert response.status_code == 200
    errors = form_errors(response.get_data(as_text=True))
    assert len(errors) == 1 and errors[0].startswith("Line 3:")
    assert count(Unit) == 0 and count(AuditEvent) == 0


def test_csv_import_needs_a_file(app, world, login_as):
    response = login_as(world.admin).post(
        url(app, "admin.units_import", compound_id=world.compound.id), data={},
        content_type="multipart/form-data")
    assert "Please choose a CSV file." in form_errors(response.get_data(as_text=True))


# -- removing roles ------------------------------------------------------------------------

REMOVABLE = {
    "membership": ("membership", Membership, lambda w: w.owners_member.memberships[0]),
    "liaison": ("liaison_assignment", LiaisonAssignment,
                lambda w: w.liaison.liaison_assignments[0]),
    "official_scope": ("official_scope", OfficialScope,
                       lambda w: w.official.official_scopes[0]),
}


@pytest.mark.parametrize("entity", sorted(REMOVABLE))
def test_removal_asks_first_then_removes_and_audits(app, world, login_as, entity):
    subject, model, pick = REMOVABLE[entity]
    record = pick(world)
    record_id, user_id = record.id, record.user_id
    address = url(app, f"admin.{entity}_remove", object_id=record_id)
    client = login_as(world.admin)
    page = client.get(address)
    assert "Are you sure?" in page.get_data(as_text=True)
    assert db.session.get(model, record_id) is not None  # asking changes nothing

    assert client.post(address, data={}).status_code == 302
    db.session.expire_all()
    assert db.session.get(model, record_id) is None
    (event,) = audit(subject, record_id)
    assert event.action == "remove" and event.data["user_id"] == user_id


# -- sessions end when an account is deactivated or its password reset --------------------

@pytest.mark.parametrize("change", ["deactivate", "reset password"])
def test_deactivation_and_password_reset_end_sessions(app, world, login_as, change):
    theirs = client_logged_in(app, world.liaison)
    assert theirs.get("/cases/").status_code == 200
    form = {"username": "liaison", "name": "胡绍移", "phone": "13900000003",
            "active": "y", "password": "", "confirm": ""}
    if change == "deactivate":
        del form["active"]
    else:
        form.update(password="a new secret 1", confirm="a new secret 1")
    response = login_as(world.admin).post(f"/admin/users/{world.liaison.id}/edit", data=form)
    assert response.status_code == 302

    response = theirs.get("/cases/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    event = audit("user", world.liaison.id)[-1]
    assert event.data == ({"active": [True, False]} if change == "deactivate"
                          else {"password": "reset"})


def test_resetting_ones_own_password_keeps_one_logged_in(app, world, login_as):
    client = login_as(world.admin)
    response = client.post(f"/admin/users/{world.admin.id}/edit", data={
        "username": "admin", "name": "管理员", "is_admin": "y", "active": "y",
        "password": "a new secret 1", "confirm": "a new secret 1"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


# -- lists ---------------------------------------------------------------------------------

def test_lists_search_by_name_and_page_with_one_row_more(app, world, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "ADMIN_PER_PAGE", 4)
    client = login_as(world.admin)
    first = client.get("/admin/users/").get_data(as_text=True)
    assert "page=2" in first and "page=3" not in first
    third = client.get("/admin/users/?page=3").get_data(as_text=True)  # 10 users: 4 + 4 + 2
    assert "page=2" in third and "page=4" not in third
    found = client.get("/admin/users/?q=胡绍").get_data(as_text=True)
    assert "胡绍移" in found and "刘久利" not in found
    assert "Nothing found." in client.get("/admin/compounds/?q=%25").get_data(as_text=True)
    assert client.get("/admin/users/?page=abc").status_code == 200
    assert client.get("/admin/users/?page=99999999999999999999").status_code == 200


def test_a_unit_area_finer_than_the_register_is_refused_next_to_the_field(world, login_as):
    client = login_as(world.admin)
    response = client.post(f"/admin/compounds/{world.compound.id}/units/new", data={
        "building": "1栋", "number": "101", "owner_name": "王伟", "area": "0.004"})
    page = page_text(response)
    assert response.status_code != 302
    assert field_errors(page).get("area") == [
        shown("The area has at most two decimals, as in the register.")]
    assert world.compound.units == []


def test_a_second_owner_of_the_same_name_needs_a_reference(world, login_as):
    client = login_as(world.admin)
    url = f"/admin/compounds/{world.compound.id}/units/new"
    assert client.post(url, data={"building": "1栋", "number": "101", "owner_name": "王伟",
                                  "area": "80"}).status_code == 302
    response = client.post(url, data={"building": "1栋", "number": "102", "owner_name": "王伟",
                                      "area": "90"})
    assert field_errors(page_text(response)).get("owner_ref") == [shown(
        "Another unit here has an owner of this name: give this owner's reference, the same "
        "one if it is the same person.")]
    assert client.post(url, data={"building": "1栋", "number": "102", "owner_name": "王伟",
                                  "area": "90", "owner_ref": "0022"}).status_code == 302
    db.session.expire_all()
    assert sorted(u.owner_ref for u in world.compound.units) == ["0022", "王伟"]
