"""The route matrix's rows for the administration pages (tests/test_route_matrix.py): each
opens for administrators only."""
from tests.helpers.places import add_unit, party
from tests.helpers.rulebooks import add_local_rulebook
from tests.matrix import TO_LOGIN, Unchanged
from tracker.places.models import PartyKind


class Targets:
    """An id of a real object for every kind of admin page (test_route_matrix.py)."""

    def __init__(self, world):
        self.district, self.street = world.district.id, world.street.id
        self.community, self.compound = world.community.id, world.compound.id
        self.unit = add_unit(world.compound).id
        self.party = party(world.compound, PartyKind.owners_committee).id
        self.user = world.nobody.id
        self.membership = world.owners_member.memberships[0].id
        self.liaison = world.liaison.liaison_assignments[0].id
        self.official_scope = world.official.official_scopes[0].id
        self.rulebook = add_local_rulebook(world.admin).key


def admin_only(answer) -> dict:
    """Anonymous → the login page, the administrator → ``answer``, everyone else → 403."""
    return {"anonymous": TO_LOGIN, "admin": answer, "others": 403}


# endpoint → URL; each is asked with GET, and with POST (an empty form) where it takes one.
ADMIN_PAGES = {
    "admin.index": "/admin/",
    "admin.districts": "/admin/districts/",
    "admin.district_new": "/admin/districts/new",
    "admin.district_edit": "/admin/districts/{t.district}/edit",
    "admin.streets": "/admin/streets/",
    "admin.street_new": "/admin/streets/new",
    "admin.street_edit": "/admin/streets/{t.street}/edit",
    "admin.communities": "/admin/communities/",
    "admin.community_new": "/admin/communities/new",
    "admin.community_edit": "/admin/communities/{t.community}/edit",
    "admin.compounds": "/admin/compounds/",
    "admin.compound_new": "/admin/compounds/new",
    "admin.compound_edit": "/admin/compounds/{t.compound}/edit",
    "admin.parties": "/admin/compounds/{t.compound}/parties/",
    "admin.party_new": "/admin/compounds/{t.compound}/parties/new",
    "admin.party_edit": "/admin/parties/{t.party}/edit",
    "admin.units": "/admin/compounds/{t.compound}/units/",
    "admin.unit_new": "/admin/compounds/{t.compound}/units/new",
    "admin.unit_edit": "/admin/units/{t.unit}/edit",
    "admin.units_import": "/admin/compounds/{t.compound}/units/import",
    "admin.users": "/admin/users/",
    "admin.user_new": "/admin/users/new",
    "admin.user_edit": "/admin/users/{t.user}/edit",
    "admin.memberships": "/admin/memberships/",
    "admin.membership_new": "/admin/memberships/new",
    "admin.membership_edit": "/admin/memberships/{t.membership}/edit",
    "admin.membership_remove": "/admin/memberships/{t.membership}/remove",
    "admin.liaisons": "/admin/liaisons/",
    "admin.liaison_new": "/admin/liaisons/new",
    "admin.liaison_edit": "/admin/liaisons/{t.liaison}/edit",
    "admin.liaison_remove": "/admin/liaisons/{t.liaison}/remove",
    "admin.official_scopes": "/admin/official-scopes/",
    "admin.official_scope_new": "/admin/official-scopes/new",
    "admin.official_scope_edit": "/admin/official-scopes/{t.official_scope}/edit",
    "admin.official_scope_remove": "/admin/official-scopes/{t.official_scope}/remove",
    "admin.rulebooks": "/admin/rulebooks/",
    "admin.rulebook_new": "/admin/rulebooks/new",
    "admin.rulebook_edit": "/admin/rulebooks/{t.rulebook}/edit",
}


def _admin_rows() -> dict:
    """(endpoint, method, url(targets), expected, data) per row: every page opens for the
    administrator only; an empty form is refused (shown again, nothing saved) except a removal,
    which needs no more than the confirmation."""
    rows = {}
    for endpoint, address in ADMIN_PAGES.items():
        def make_url(t, address=address):
            return address.format(t=t)
        rows[f"{endpoint} page"] = (endpoint, "GET", make_url, admin_only(200), None)
        if endpoint.endswith(("_new", "_edit", "_import")):
            rows[f"{endpoint} with an empty form"] = (
                endpoint, "POST", make_url, admin_only(Unchanged(200)), lambda t: {})
        elif endpoint.endswith("_remove"):
            rows[f"{endpoint} confirmed"] = (endpoint, "POST", make_url,
                                             admin_only((302, r"/admin/[\w-]+/")), lambda t: {})
    return rows


SCENARIOS = _admin_rows()
