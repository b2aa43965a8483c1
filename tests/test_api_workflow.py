"""The whole workflow driven through the API, as a machine would: plan a meeting, agenda, roll
call, held, resolution and vote, minutes (with a conflicting save), signatures and the PDF,
follow-up, the return visit."""
import io

from sqlalchemy import func, select

from tests.factories import PASSWORD, make_case
from tracker.extensions import db
from tracker.meetings.models import MinutesRevision
from tracker.places.models import PartyKind


def test_a_case_from_raised_to_closed_through_the_api(client, world, bearer):
    liaison = bearer(world.liaison)
    owner, company, residents = (bearer(world.owners_member), bearer(world.property_rep),
                                 bearer(world.residents_member))
    case = make_case(world.compound, world.liaison)

    def call(method, url, headers=liaison, expect=200, **kwargs):
        response = client.open(f"/api/v1{url}", method=method, headers=headers, **kwargs)
        assert response.status_code == expect, response.get_data(as_text=True)[:500]
        return response.get_json() if response.is_json else response

    meeting = call("POST", "/meetings", expect=201, json={
        "compound_ids": [world.compound.id], "title": "供水问题协商",
        "starts_at": "2026-12-01T19:30:00+08:00", "place": "社区会议室"})
    assert meeting["number"] == "〔2026〕第1期"
    version = call("GET", f"/cases/{case.id}")["version"]
    assert call("POST", f"/cases/{case.id}/actions", json={
        "action": "put_on_agenda", "meeting_id": meeting["id"], "version": version,
    })["state"] == "meeting"
    call("POST", f"/meetings/{meeting['id']}/held", expect=409)  # nobody is present yet
    people = [world.owners_member, world.property_rep, world.residents_member]
    roll = call("PUT", f"/meetings/{meeting['id']}/attendance", json={
        "entries": [{"user_id": u.id, "status": "present"} for u in people]})
    assert roll["quorum"]["reached"]
    assert call("POST", f"/meetings/{meeting['id']}/held")["state"] == "held"

    version = call("GET", f"/cases/{case.id}")["version"]
    resolution = call("POST", f"/meetings/{meeting['id']}/resolutions", expect=201, json={
        "case_id": case.id, "version": version, "text": "由物业公司更换水泵。",
        "responsible_party_id": world.compound.party_of(PartyKind.property_company).id,
        "deadline_tier": "complex", "body": "owners_committee"})
    vote = call("POST", f"/resolutions/{resolution['id']}/vote", expect=201,
                json={"at_meeting": True})
    call("POST", f"/votes/{vote['id']}/ballot", headers=company, expect=403,
         json={"choice": "for"})
    assert call("POST", f"/votes/{vote['id']}/ballot", headers=owner,
                json={"choice": "for"})["my_ballot"] == "for"
    closed = call("POST", f"/votes/{vote['id']}/close", json={})
    assert closed["state"] == "closed" and closed["tally"]["passed"]
    call("POST", f"/votes/{vote['id']}/close", json={}, expect=409)  # closed already
    assert call("GET", f"/cases/{case.id}")["state"] == "follow_up"

    minutes = call("GET", f"/meetings/{meeting['id']}/minutes")
    assert minutes["revision"] == 0 and [i["case_id"] for i in minutes["items"]] == [case.id]
    item = {"case_id": case.id, "background": "水泵老化。", "decision": "更换水泵",
            "views": {"property_company": "同意先行垫资。"}}
    saved = call("PUT", f"/meetings/{meeting['id']}/minutes",
                 json={"base_revision": 0, "items": [item]})
    assert saved["revision"] == 1 and saved["items"][0]["views"] == item["views"]
    conflict = call("PUT", f"/meetings/{meeting['id']}/minutes", expect=409,
                    json={"base_revision": 0, "items": [item], "other_business": "无"})
    assert conflict["current_revision"] == 1
    assert db.session.scalar(select(func.count(MinutesRevision.id))) == 1

    sha = call("GET", f"/meetings/{meeting['id']}")["content_sha256"]
    call("POST", f"/meetings/{meeting['id']}/signatures", headers=owner, expect=409,
         json={"password": "wrong password", "content_sha256": sha})
    for headers in (owner, company, residents):
        signed = call("POST", f"/meetings/{meeting['id']}/signatures", headers=headers,
                      expect=201, json={"password": PASSWORD, "content_sha256": sha})
    assert signed["state"] == "signed" and signed["document"]["pdf_sha256"]
    pdf = call("GET", f"/meetings/{meeting['id']}/minutes.pdf", headers=residents)
    assert pdf.content_type == "application/pdf"
    verdict = client.post("/api/v1/verify", data={"pdf": (io.BytesIO(pdf.data), "m.pdf")})
    assert verdict.get_json()["valid"] and verdict.get_json()["meeting_number"] == "〔2026〕第1期"

    [task] = call("GET", f"/cases/{case.id}/tasks")
    assert task["can_report"] is True
    call("POST", f"/cases/{case.id}/return-visits", expect=409, json={
        "method": "phone", "satisfaction": "satisfied", "version": 0})
    done = call("POST", f"/tasks/{task['id']}/progress", headers=company, expect=201,
                json={"note": "新水泵已安装调试。", "progress": 100})
    assert done["done_at"] is not None
    version = call("GET", f"/cases/{case.id}")["version"]
    final = call("POST", f"/cases/{case.id}/return-visits", expect=201, json={
        "method": "phone", "satisfaction": "satisfied", "comment": "供水正常了",
        "version": version})
    assert final["state"] == "closed"
    assert [e["action"] for e in final["timeline"]] == [
        "raise", "put_on_agenda", "propose_resolution", "close_vote_passed", "task_created",
        "progress", "close_after_visit"]
