"""The permission matrix over every ``oversight.*`` route × the roles.

Officials (their street or district), liaisons (their community) and admins oversee; a
compound's own parties do not (403). A street or community outside the person's area is 404.
"""
import re
from urllib.parse import urlsplit

import pytest

from tests.factories import make_case

ROLES = ("anonymous", "liaison", "liaison_out", "owners_member", "property_rep",
         "residents_member", "official", "official_out", "district_official", "admin")
TO_LOGIN = (302, r"/login")


def expect(*answers, **other_roles):
    return {**dict(zip(ROLES, answers)), **other_roles}


EVERYONE_WHO_OVERSEES = expect(TO_LOGIN, 200, 200, 403, 403, 403, 200, 200, 200, 200)

# (endpoint, url(world), expected)
SCENARIOS = {
    "dashboard": ("oversight.dashboard", lambda w: "/oversight/", EVERYONE_WHO_OVERSEES),
    # liaison_out works in a neighbouring community of the same street: the street is in reach.
    "dashboard of a street": ("oversight.dashboard", lambda w: f"/oversight/?street={w.street.id}",
                              expect(TO_LOGIN, 200, 200, 403, 403, 403, 200, 404, 200, 200)),
    "dashboard of a community": (
        "oversight.dashboard", lambda w: f"/oversight/?community={w.community.id}",
        expect(TO_LOGIN, 200, 404, 403, 403, 403, 200, 404, 200, 200,
               property_rep_out=403, nobody=403)),
    "table as XLSX": ("oversight.table_export", lambda w: "/oversight/table.xlsx",
                      EVERYONE_WHO_OVERSEES),
    "table of a street as CSV": (
        "oversight.table_export", lambda w: f"/oversight/table.csv?street={w.street.id}",
        expect(TO_LOGIN, 200, 200, 403, 403, 403, 200, 404, 200, 200)),
    "cases as CSV": ("oversight.case_export", lambda w: "/oversight/cases.csv",
                     EVERYONE_WHO_OVERSEES),
    "cases as XLSX": ("oversight.case_export", lambda w: "/oversight/cases.xlsx?state=raised",
                      EVERYONE_WHO_OVERSEES),
    "unknown format": ("oversight.case_export", lambda w: "/oversight/cases.pdf",
                       expect(TO_LOGIN, 404, 404, 403, 403, 403, 404, 404, 404, 404,
                              property_rep_out=403, nobody=403)),
}


def test_every_oversight_route_is_in_the_matrix(app):
    routes = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("oversight.")}
    assert routes == {s[0] for s in SCENARIOS.values()}
    methods = {m for r in app.url_map.iter_rules() if r.endpoint.startswith("oversight.")
               for m in r.methods - {"HEAD", "OPTIONS"}}
    assert methods == {"GET"}  # nothing here changes data


@pytest.mark.parametrize(("scenario", "role"), [
    pytest.param(name, role, id=f"{name}-{role}") for name in SCENARIOS for role in ROLES])
def test_status(client, login_as, world, scenario, role):
    _endpoint, url, expected = SCENARIOS[scenario]
    make_case(world.compound, world.liaison)
    if role != "anonymous":
        login_as(getattr(world, role))
    response = client.get(url(world))
    status, location = expected[role] if isinstance(expected[role], tuple) \
        else (expected[role], None)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    if location:
        assert re.match(location, urlsplit(response.location).path)
