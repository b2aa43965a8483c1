"""The route matrix's rows for cases, the start page, logging in and the account (DESIGN §1, §3);
tests/test_route_matrix.py runs them with every role.

Expected answers: a status code, or ``(302, path)`` for a redirect to ``path`` (a regular
expression; ``{case}``/``{closed}`` stand for the ids of the test cases). Out of scope → 404 (the
case's existence is not revealed); in scope without the right → 403; anonymous → the login page.
"""
import io
from dataclasses import dataclass

from tests.factories import PASSWORD, image_bytes, make_case, set_state
from tests.matrix import Scenario, Unchanged
from tracker.cases.models import Case, CaseState
from tracker.core.images import clean_image

ROLES = ("anonymous", "liaison", "liaison_out", "owners_member", "property_rep", "official",
         "official_out", "admin")

TO_LOGIN = (302, r"/login(\?next=.*)?")
TO_START = (302, r"/")
TO_CASES = (302, r"/cases/")
TO_CASE = (302, r"/cases/{case}")
TO_CLOSED = (302, r"/cases/{closed}")
TO_NEW_CASE = (302, r"/cases/\d+")


@dataclass
class Targets:
    """What the requests point at: a raised case in 德富花园, raised by the owners' committee
    member and holding one photo, and a closed case in the same compound."""
    case: Case
    photo_id: int
    closed: Case



def expect(anonymous, liaison, liaison_out, owners_member, property_rep, official, official_out,
           admin, **other_roles) -> dict:
    """The answer per role; ``other_roles`` are the route matrix's further columns where its
    rules do not derive them (see ``derived`` in test_route_matrix.py)."""
    return {**dict(zip(ROLES, (anonymous, liaison, liaison_out, owners_member, property_rep,
                               official, official_out, admin))), **other_roles}


def details(t: Targets) -> dict:
    return {"title": "小区路灯不亮", "category": "facilities", "source": "walk_in",
            "description": "三栋门口路灯坏了一个月。", "compound": str(t.case.compound_id),
            "version": str(t.case.version)}


SCENARIOS: dict[str, Scenario] = {
    "start page": Scenario(
        "core.index", "GET", lambda t: "/",
        expect(TO_LOGIN, TO_CASES, TO_CASES, TO_CASES, TO_CASES, TO_CASES, TO_CASES, TO_CASES)),
    # The choice is kept in the session, not in the database.
    "choose language": Scenario(
        "core.set_language", "POST", lambda t: "/language/en",
        expect(*[Unchanged(TO_CASES)] * 8), data=lambda t: {"next": "/cases/"}),
    "health check": Scenario("core.healthz", "GET", lambda t: "/healthz", expect(*[200] * 8)),
    "login page": Scenario(
        "auth.login", "GET", lambda t: "/login",
        expect(200, TO_START, TO_START, TO_START, TO_START, TO_START, TO_START, TO_START)),
    "login with a wrong password": Scenario(
        "auth.login", "POST", lambda t: "/login",
        expect(Unchanged(200), *[Unchanged(TO_START)] * 7),
        data=lambda t: {"login": "owners_member", "password": "wrong password"}),
    # Logging out ends that login for good: the database keeps that it ended (and audits it).
    "log out": Scenario("auth.logout", "POST", lambda t: "/logout",
                        expect(Unchanged(TO_LOGIN), *[TO_LOGIN] * 7),
                        data=lambda t: {}),
    "log out everywhere": Scenario(
        "auth.logout_everywhere", "POST", lambda t: "/logout/everywhere",
        expect(Unchanged(TO_LOGIN), *[TO_LOGIN] * 7), data=lambda t: {"everywhere": "y"}),
    "password page": Scenario(
        "auth.change_password", "GET", lambda t: "/account/password",
        expect(TO_LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    "change own password": Scenario(
        "auth.change_password", "POST", lambda t: "/account/password",
        expect(TO_LOGIN, TO_START, TO_START, TO_START, TO_START, TO_START, TO_START, TO_START),
        data=lambda t: {"current_password": PASSWORD, "new_password": "another secret 2",
                        "confirm": "another secret 2"}),
    "case list": Scenario(
        "cases.case_list", "GET", lambda t: "/cases/",
        expect(TO_LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    # liaison_out may raise in their own community's compound, so the form opens for them.
    "raise form": Scenario(
        "cases.raise_case", "GET", lambda t: "/cases/new",
        expect(TO_LOGIN, 200, 200, 200, 200, 403, 403, 403, nobody=403)),
    # …but 德富花园 is not one of their choices: the form comes back refusing it (as it does
    # for the property manager of another compound); nothing is saved.
    "raise a case in 德富花园": Scenario(
        "cases.raise_case", "POST", lambda t: "/cases/new",
        expect(TO_LOGIN, TO_NEW_CASE, Unchanged(200), TO_NEW_CASE, TO_NEW_CASE, 403, 403, 403,
               property_rep_out=Unchanged(200), nobody=403),
        data=details),
    "case page": Scenario(
        "cases.case_detail", "GET", lambda t: f"/cases/{t.case.id}",
        expect(TO_LOGIN, 200, 404, 200, 200, 200, 404, 200)),
    # The raiser (owners_member) and the compound's liaison may correct a raised case.
    "edit form": Scenario(
        "cases.edit_case", "GET", lambda t: f"/cases/{t.case.id}/edit",
        expect(TO_LOGIN, 200, 404, 200, 403, 403, 404, 403)),
    "save an edit": Scenario(
        "cases.edit_case", "POST", lambda t: f"/cases/{t.case.id}/edit",
        expect(TO_LOGIN, TO_CASE, 404, TO_CASE, 403, 403, 404, 403), data=details),
    "withdraw form": Scenario(
        "cases.case_action", "GET", lambda t: f"/cases/{t.case.id}/actions/withdraw",
        expect(TO_LOGIN, 200, 404, 403, 403, 403, 404, 403)),
    "withdraw": Scenario(
        "cases.case_action", "POST", lambda t: f"/cases/{t.case.id}/actions/withdraw",
        expect(TO_LOGIN, TO_CASE, 404, 403, 403, 403, 404, 403),
        data=lambda t: {"reason": "居民已自行解决", "version": str(t.case.version)}),
    # Officials may reopen a closed case (DESIGN §3), as may the liaison.
    "reopen form": Scenario(
        "cases.case_action", "GET", lambda t: f"/cases/{t.closed.id}/actions/reopen",
        expect(TO_LOGIN, 200, 404, 403, 403, 200, 404, 403)),
    "reopen": Scenario(
        "cases.case_action", "POST", lambda t: f"/cases/{t.closed.id}/actions/reopen",
        expect(TO_LOGIN, TO_CLOSED, 404, 403, 403, TO_CLOSED, 404, 403),
        data=lambda t: {"reason": "居民回访不满意", "version": str(t.closed.version)}),
    "withdraw a closed case": Scenario(
        "cases.case_action", "POST", lambda t: f"/cases/{t.closed.id}/actions/withdraw",
        expect(TO_LOGIN, 403, 404, 403, 403, 403, 404, 403),
        data=lambda t: {"reason": "x", "version": str(t.closed.version)}),
    "an action that does not exist": Scenario(
        "cases.case_action", "GET", lambda t: f"/cases/{t.case.id}/actions/delete",
        expect(TO_LOGIN, 404, 404, 404, 404, 404, 404, 404)),
    # Every party member of the compound may add photos; officials only look.
    "add photos": Scenario(
        "cases.add_photos", "POST", lambda t: f"/cases/{t.case.id}/photos",
        expect(TO_LOGIN, TO_CASE, 404, TO_CASE, TO_CASE, 403, 404, 403),
        data=lambda t: {"photos": (io.BytesIO(image_bytes()), "more.jpg"),
                        "version": str(t.case.version)}),
    "photo": Scenario(
        "cases.photo", "GET", lambda t: f"/cases/{t.case.id}/photos/{t.photo_id}",
        expect(TO_LOGIN, 200, 404, 200, 200, 200, 404, 200)),
}


def make_targets(world) -> Targets:
    photo = ("pump.jpg", clean_image(image_bytes(), 10**6))
    case = make_case(world.compound, world.owners_member, photos=[photo])
    closed = set_state(make_case(world.compound, world.liaison, title="垃圾清运不及时"),
                       CaseState.closed)
    return Targets(case=case, photo_id=case.photos[0].id, closed=closed)
