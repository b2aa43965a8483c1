"""Cases through the API: raising on behalf of a resident, reading, the cursor-paged list,
validation problems, and a stale version that changes nothing."""
import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import image_bytes, make_case, row_counts, set_state
from tracker.audit.models import AuditEvent
from tracker.cases.models import Case, CaseState
from tracker.extensions import db

HOTLINE_CASE = {"compound_id": None, "title": "3栋停水", "category": "water_supply",
                "source": "hotline_12345", "description": "12345热线转来：3栋从昨晚起停水。",
                "resident_name": "刘小华", "resident_phone": "13800001111"}


def hotline_case(world, **changes):
    return {**HOTLINE_CASE, "compound_id": world.compound.id, **changes}


def test_a_liaison_raises_a_case_on_behalf_of_a_resident(client, world, bearer):
    response = client.post("/api/v1/cases", json=hotline_case(world),
                           headers=bearer(world.liaison))

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["number"].startswith("DFHY-")
    assert (body["state"], body["resident_name"], body["source"]) == \
        ("raised", "刘小华", "hotline_12345")
    assert response.headers["Location"].endswith(f"/api/v1/cases/{body['id']}")
    assert [e["action"] for e in body["timeline"]] == ["raise"]
    assert "withdraw" in body["actions"]
    case = db.session.get(Case, body["id"])
    assert case.raised_by == world.liaison


def test_reading_a_case_gives_its_timeline_and_state_label(client, world, bearer):
    case = make_case(world.compound, world.owners_member)

    body = client.get(f"/api/v1/cases/{case.id}", headers=bearer(world.official)).get_json()

    assert body["state"] == "raised" and body["state_label"]
    assert body["version"] == case.version and body["actions"] == []


def test_the_list_pages_with_a_cursor_newest_first_without_gaps(client, world, bearer):
    cases = [make_case(world.compound, world.liaison, title=f"议题{n}") for n in range(7)]
    # Two cases raised at the same instant: the id breaks the tie.
    cases[3].raised_at = cases[4].raised_at
    for n, case in enumerate(cases):
        if n != 3:
            case.raised_at = case.raised_at + timedelta(minutes=n)
    db.session.commit()
    headers = bearer(world.liaison)
    seen, cursor = [], None
    while True:
        query = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        body = client.get("/api/v1/cases", query_string=query, headers=headers).get_json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    expected = [c.id for c in sorted(cases, key=lambda c: (c.raised_at, c.id), reverse=True)]
    assert seen == expected


def test_the_list_has_the_case_list_filters_and_scope(client, world, bearer):
    raised = make_case(world.compound, world.liaison, title="路灯不亮")
    closed = set_state(make_case(world.compound, world.liaison, title="垃圾清运"),
                       CaseState.closed)
    make_case(world.neighbour_compound, world.liaison_out, title="别处的议题")
    headers = bearer(world.liaison)

    def ids(**query):
        response = client.get("/api/v1/cases", query_string=query, headers=headers)
        assert response.status_code == 200, response.get_json()
        return [item["id"] for item in response.get_json()["items"]]

    assert ids() == [closed.id, raised.id]  # nothing from 正街花园, out of scope
    assert ids(state="closed") == [closed.id]
    assert ids(q="路灯") == [raised.id]
    assert ids(compound_id=world.far_compound.id) == []
    assert ids(overdue="true") == []


@pytest.mark.parametrize("cursor", ["nonsense", "W10", "WyIyMDI2LTAxLTAxIiwgLTFd", "x" * 150])
def test_a_cursor_not_from_the_list_is_a_422(client, world, bearer, cursor):
    response = client.get("/api/v1/cases", query_string={"cursor": cursor},
                          headers=bearer(world.liaison))

    assert response.status_code == 422
    assert response.get_json()["errors"][0]["parameter"] == "cursor"


def test_invalid_input_is_a_problem_with_field_errors_in_chinese(client, world, bearer):
    response = client.post("/api/v1/cases", headers=bearer(world.liaison), json=hotline_case(
        world, title="   ", category="teleportation", resident_name="", surprise=1))

    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["title"] == "提交的数据未通过校验" and problem["status"] == 422
    pointers = {e["pointer"] for e in problem["errors"]}
    assert {"#/title", "#/category", "#/surprise"} <= pointers


@pytest.mark.parametrize("text", ["a\x00b", "\ud800"])
def test_text_the_database_cannot_store_is_a_422(client, world, bearer, text):
    # Sent as JSON escapes ("\u0000", "\ud800"), as a client would.
    response = client.post("/api/v1/cases", headers=bearer(world.liaison),
                           data=json.dumps(hotline_case(world, title=text)),
                           content_type="application/json")

    assert response.status_code == 422


def test_malformed_json_is_a_400_problem(client, world, bearer):
    response = client.post("/api/v1/cases", data="{not json", content_type="application/json",
                           headers=bearer(world.liaison))

    assert response.status_code == 400
    assert response.content_type == "application/problem+json"


def test_a_stale_version_is_a_409_and_changes_nothing(client, world, bearer):
    case = make_case(world.compound, world.liaison)
    stale = case.version
    case.title = "标题已被他人修改"
    db.session.commit()
    headers = bearer(world.liaison)
    before = row_counts()

    response = client.post(f"/api/v1/cases/{case.id}/actions", headers=headers,
                           json={"action": "withdraw", "version": stale, "reason": "重复"})

    assert response.status_code == 409
    assert response.get_json()["title"] == "与当前状态冲突"
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.raised
    assert row_counts() == before


def test_withdraw_and_reopen_through_the_api(client, world, bearer):
    case = make_case(world.compound, world.liaison)
    closed = set_state(make_case(world.compound, world.liaison), CaseState.closed)

    withdrawn = client.post(f"/api/v1/cases/{case.id}/actions", headers=bearer(world.liaison),
                            json={"action": "withdraw", "version": case.version,
                                  "reason": "居民已自行解决"})
    reopened = client.post(f"/api/v1/cases/{closed.id}/actions", headers=bearer(world.official),
                           json={"action": "reopen", "version": closed.version,
                                 "reason": "回访不满意"})

    assert withdrawn.status_code == 200 and withdrawn.get_json()["state"] == "withdrawn"
    assert reopened.status_code == 200 and reopened.get_json()["state"] == "follow_up"
    events = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.subject_type == "case").order_by(AuditEvent.id)).all()
    assert events[-2:] == ["withdraw", "reopen"]


def test_a_reason_is_needed_and_the_state_must_allow_the_step(client, world, bearer):
    case = make_case(world.compound, world.liaison)
    headers = bearer(world.liaison)

    no_reason = client.post(f"/api/v1/cases/{case.id}/actions", headers=headers,
                            json={"action": "withdraw", "version": case.version})
    not_closed = client.post(f"/api/v1/cases/{case.id}/actions", headers=headers,
                             json={"action": "reopen", "version": case.version, "reason": "x"})

    assert no_reason.status_code == 409
    assert not_closed.status_code == 409  # the liaison may reopen, but a closed case only


def test_photos_are_added_as_multipart_and_checked(client, world, bearer):
    case = make_case(world.compound, world.owners_member)
    headers = bearer(world.owners_member)

    good = client.post(f"/api/v1/cases/{case.id}/photos", headers=headers,
                       data={"photos": [(io.BytesIO(image_bytes()), "a.jpg")]},
                       content_type="multipart/form-data")
    bad = client.post(f"/api/v1/cases/{case.id}/photos", headers=headers,
                      data={"photos": [(io.BytesIO(b"not a photo"), "b.jpg")]},
                      content_type="multipart/form-data")

    assert good.status_code == 200, good.get_json()
    assert [p["content_type"] for p in good.get_json()["photos"]] == ["image/jpeg"]
    assert bad.status_code == 422
