"""The route matrix's rows for the ``oversight.*`` routes (tests/test_route_matrix.py).

Officials (their street or district), liaisons (their community) and admins oversee; a
compound's own parties do not (403). A street or community outside the person's area is 404.
"""
from tests.factories import make_case

ROLES = ("anonymous", "liaison", "liaison_out", "owners_member", "property_rep",
         "residents_member", "official", "official_out", "district_official", "admin")
TO_LOGIN = (302, r"/login")


def expect(*answers, **other_roles):
    return {**dict(zip(ROLES, answers)), **other_roles}


EVERYONE_WHO_OVERSEES = expect(TO_LOGIN, 200, 200, 403, 403, 403, 200, 200, 200, 200)

class Targets:
    """One case in 德富花园, so that the figures are not empty."""

    def __init__(self, world):
        make_case(world.compound, world.liaison)
        self.world = world


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
