"""The permission matrix over every ``followup.*`` route × the eight roles."""
import io
import re
from urllib.parse import urlsplit

import pytest

from tests.factories import image_bytes
from tests.vote_factories import committee_vote
from tracker.extensions import db
from tracker.followup import operations
from tracker.places.models import PartyKind
from tracker.voting import operations as voting

ROLES = ("anonymous", "liaison", "liaison_out", "owners_member", "property_rep", "official",
         "official_out", "admin")
TO_LOGIN, TO_CASE = (302, r"/login"), (302, r"/cases/\d+")


def expect(*answers):
    return dict(zip(ROLES, answers))


def follow_up_task(world):
    vote = committee_vote(world, extra_members=0)
    voting.cast_ballot(vote, world.owners_member, "for")
    vote.resolution.responsible_party = world.compound.party_of(PartyKind.property_company)
    voting.close_vote(vote, world.liaison)
    [task] = operations.tasks_of(vote.resolution.case)
    report = operations.report_progress(task, world.property_rep, note="进行中", progress=50,
                                        photos=[("a.jpg", _clean())])
    db.session.commit()
    return task, report.photos[0]


def _clean():
    from tracker.core.images import clean_image
    return clean_image(image_bytes(), 10**6)


# (endpoint, method, url(task, photo), expected, data(task))
SCENARIOS = {
    "add a task": ("followup.add_task", "POST", lambda t, p: f"/followup/cases/{t.case_id}/tasks",
                   expect(TO_LOGIN, TO_CASE, 404, 403, 403, 403, 404, 403),
                   lambda t: {"description": "补充任务", "tier": "general",
                              "responsible_party": "0"}),
    "report progress": ("followup.report", "POST", lambda t, p: f"/followup/tasks/{t.id}/progress",
                        expect(TO_LOGIN, TO_CASE, 404, 403, TO_CASE, 403, 404, 403),
                        lambda t: {"note": "已完成", "progress": "80",
                                   "photos": (io.BytesIO(image_bytes()), "b.jpg")}),
    "progress photo": ("followup.photo", "GET",
                       lambda t, p: f"/followup/tasks/{t.id}/photos/{p.id}",
                       expect(TO_LOGIN, 200, 404, 200, 200, 200, 404, 200), None),
    # The task is not done yet: the liaison is refused (409) on the case page, not redirected.
    "return visit": ("followup.visit", "POST", lambda t, p: f"/followup/cases/{t.case_id}/visit",
                     expect(TO_LOGIN, 409, 404, 403, 403, 403, 404, 403),
                     lambda t: {"method": "phone", "satisfaction": "satisfied",
                                "version": str(t.case.version)}),
}


def test_every_followup_route_is_in_the_matrix(app):
    routes = {(r.endpoint, m) for r in app.url_map.iter_rules()
              if r.endpoint.startswith("followup.") for m in r.methods - {"HEAD", "OPTIONS"}}
    assert routes == {(s[0], s[1]) for s in SCENARIOS.values()}


@pytest.mark.parametrize(("scenario", "role"), [
    pytest.param(name, role, id=f"{name}-{role}") for name in SCENARIOS for role in ROLES])
def test_status(client, login_as, world, scenario, role):
    endpoint, method, url, expected, data = SCENARIOS[scenario]
    task, photo = follow_up_task(world)
    if role != "anonymous":
        login_as(getattr(world, role))
    response = client.open(url(task, photo), method=method,
                           data=data(task) if data else None,
                           content_type="multipart/form-data" if data else None)
    status, location = expected[role] if isinstance(expected[role], tuple) \
        else (expected[role], None)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    if location:
        assert re.match(location, urlsplit(response.location).path)
