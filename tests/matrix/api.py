"""The route matrix's rows for the API (tests/test_route_matrix.py): every ``/api/v1`` route,
asked with each role's token and, for the anonymous column, with none and with a revoked token.

A token acts with exactly its owner's permissions and scope, so the answers are the pages'
answers in the API's words: no or a revoked token → 401; out of scope → 404 (existence is not
revealed); in scope without the right → 403. Every API route (and the token pages, which are
reached with the session) has a row.
"""
import io
from functools import cached_property

from tests.factories import PASSWORD, World, image_bytes, make_case, set_state
from tests.matrix import Scenario, Unchanged
from tests.meeting_factories import (
    held_meeting,
    planned_meeting,
    signed_meeting,
    take_roll_call,
)
from tests.matrix.followup import follow_up_task
from tests.vote_factories import assembly_vote, committee_vote, proposed
from tracker.api import tokens
from tracker.cases.models import Case, CaseState
from tracker.extensions import db
from tracker.meetings.minutes import content_sha256

ROLES = ("anonymous", "revoked", "liaison", "liaison_out", "owners_member", "property_rep",
         "official", "official_out", "admin")


class Targets:
    """Objects in 德富花园, built only when a scenario needs them."""

    def __init__(self, world: World):
        self.world = world

    @cached_property
    def case(self) -> Case:
        return make_case(self.world.compound, self.world.owners_member)

    @cached_property
    def closed(self) -> Case:
        return set_state(make_case(self.world.compound, self.world.liaison, title="垃圾清运"),
                         CaseState.closed)

    @cached_property
    def planned(self):
        return planned_meeting(self.world)

    @cached_property
    def attended(self):
        meeting = planned_meeting(self.world)
        take_roll_call(meeting, self.world)
        return meeting

    @cached_property
    def held(self):
        return held_meeting(self.world)

    @cached_property
    def signed(self):
        return signed_meeting(self.world)

    @cached_property
    def resolution(self):
        return proposed(self.world)

    @cached_property
    def vote(self):
        return committee_vote(self.world, extra_members=0)

    @cached_property
    def assembly(self):
        return assembly_vote(self.world)[0]

    @cached_property
    def task(self):
        return follow_up_task(self.world)[0]

    @cached_property
    def done_task(self):
        """A task of its own, done (the other rows' task is still open)."""
        task = follow_up_task(self.world)[0]
        task.progress, task.done_at = 100, task.reports[0].created_at
        db.session.commit()
        return task

    @cached_property
    def liaison_token(self) -> int:
        record, _token = tokens.create_token(self.world.liaison, "热线")
        db.session.commit()
        return record.id



def expect(anonymous, revoked, liaison, liaison_out, owners_member, property_rep, official,
           official_out, admin, **other_roles) -> dict:
    """The answer per role; ``other_roles`` are the route matrix's further columns where its
    rules do not derive them (see ``derived`` in test_route_matrix.py)."""
    return {**dict(zip(ROLES, (anonymous, revoked, liaison, liaison_out, owners_member,
                               property_rep, official, official_out, admin))), **other_roles}


EVERYONE = expect(401, 401, *[200] * 7)
READ = expect(401, 401, 200, 404, 200, 200, 200, 404, 200)
RUN = expect(401, 401, 200, 404, 403, 403, 403, 404, 403)
RUN_CREATED = expect(401, 401, 201, 404, 403, 403, 403, 404, 403)
PUBLIC = expect(*[200] * 9)
TO_LOGIN = (302, "/login")

SCENARIOS: dict[str, Scenario] = {
    "places": Scenario("api_cases.places", "GET", lambda t: "/api/v1/places", EVERYONE),
    "case list": Scenario("api_cases.case_list", "GET", lambda t: "/api/v1/cases", EVERYONE),
    "raise a case in 德富花园": Scenario(
        "api_cases.raise_case", "POST", lambda t: "/api/v1/cases",
        expect(401, 401, 201, 404, 201, 201, 403, 404, 403),
        json=lambda t: {"compound_id": t.world.compound.id, "title": "路灯不亮",
                        "category": "facilities", "source": "hotline_12345",
                        "description": "三栋门口路灯坏了。", "resident_name": "刘小华",
                        "resident_phone": "13800001111"}),
    "case": Scenario("api_cases.case_detail", "GET", lambda t: f"/api/v1/cases/{t.case.id}",
                     READ),
    "withdraw": Scenario(
        "api_cases.case_action", "POST", lambda t: f"/api/v1/cases/{t.case.id}/actions", RUN,
        json=lambda t: {"action": "withdraw", "version": t.case.version, "reason": "重复"}),
    # Officials may reopen a closed case (DESIGN §3), as may the liaison.
    "reopen": Scenario(
        "api_cases.case_action", "POST", lambda t: f"/api/v1/cases/{t.closed.id}/actions",
        expect(401, 401, 200, 404, 403, 403, 200, 404, 403),
        json=lambda t: {"action": "reopen", "version": t.closed.version, "reason": "不满意"}),
    "put on the agenda": Scenario(
        "api_cases.case_action", "POST", lambda t: f"/api/v1/cases/{t.case.id}/actions", RUN,
        json=lambda t: {"action": "put_on_agenda", "version": t.case.version,
                        "meeting_id": t.planned.id}),
    "add photos": Scenario(
        "api_cases.add_photos", "POST", lambda t: f"/api/v1/cases/{t.case.id}/photos",
        expect(401, 401, 200, 404, 200, 200, 403, 404, 403),
        files=lambda t: {"photos": [(io.BytesIO(image_bytes()), "more.jpg")]}),
    "meeting list": Scenario("api_meetings.meeting_list", "GET", lambda t: "/api/v1/meetings",
                             EVERYONE),
    "plan a meeting": Scenario(
        "api_meetings.create_meeting", "POST", lambda t: "/api/v1/meetings",
        expect(401, 401, 201, 404, 403, 403, 403, 404, 403),
        json=lambda t: {"compound_ids": [t.world.compound.id], "title": "供水问题协商",
                        "starts_at": "2026-12-01T19:30:00+08:00", "place": "社区会议室"}),
    # Every party has someone present in the planned meeting's roll call.
    "mark held": Scenario(
        "api_meetings.mark_held", "POST", lambda t: f"/api/v1/meetings/{t.attended.id}/held",
        RUN),
    "cancel a meeting": Scenario(
        "api_meetings.cancel", "POST", lambda t: f"/api/v1/meetings/{t.planned.id}/cancel", RUN,
        json=lambda t: {"reason": "主要负责人出差"}),
    "meeting": Scenario("api_meetings.meeting_detail", "GET",
                        lambda t: f"/api/v1/meetings/{t.held.id}", READ),
    "roll call": Scenario(
        "api_meetings.attendance", "PUT", lambda t: f"/api/v1/meetings/{t.planned.id}/attendance",
        RUN, json=lambda t: {"entries": [{"user_id": t.world.owners_member.id,
                                          "status": "present"}]}),
    "minutes": Scenario("api_meetings.minutes", "GET",
                        lambda t: f"/api/v1/meetings/{t.held.id}/minutes", READ),
    "save minutes": Scenario(
        "api_meetings.save_minutes", "PUT", lambda t: f"/api/v1/meetings/{t.held.id}/minutes",
        RUN, json=lambda t: {"base_revision": 1, "other_business": "无",
                             "items": [{"case_id": t.held.agenda[0].case_id,
                                        "decision": "更换水泵"}]}),
    # The present representatives of each party sign; the liaison only runs the meeting.
    "sign": Scenario(
        "api_meetings.sign", "POST", lambda t: f"/api/v1/meetings/{t.held.id}/signatures",
        expect(401, 401, 403, 404, 201, 201, 403, 404, 403),
        json=lambda t: {"password": PASSWORD, "content_sha256": content_sha256(t.held)}),
    "signed PDF": Scenario("api_meetings.minutes_pdf", "GET",
                           lambda t: f"/api/v1/meetings/{t.signed.id}/minutes.pdf", READ),
    "propose a resolution": Scenario(
        "api_votes.propose", "POST", lambda t: f"/api/v1/meetings/{t.held.id}/resolutions",
        RUN_CREATED,
        json=lambda t: {"case_id": t.held.agenda[0].case_id, "text": "更换水泵",
                        "deadline_tier": "general", "body": "owners_committee",
                        "version": t.held.agenda[0].case.version}),
    "resolution": Scenario("api_votes.resolution_detail", "GET",
                           lambda t: f"/api/v1/resolutions/{t.resolution.id}", READ),
    "open the vote": Scenario(
        "api_votes.open_vote", "POST", lambda t: f"/api/v1/resolutions/{t.resolution.id}/vote",
        RUN_CREATED, json=lambda t: {"at_meeting": True}),
    "vote": Scenario("api_votes.vote_detail", "GET", lambda t: f"/api/v1/votes/{t.vote.id}",
                     READ),
    # Only the committee's voting members vote; the property company never does.
    "cast a ballot": Scenario(
        "api_votes.cast", "POST", lambda t: f"/api/v1/votes/{t.vote.id}/ballot",
        expect(401, 401, 403, 404, 200, 403, 403, 404, 403), json=lambda t: {"choice": "for"}),
    "enter owners' ballots": Scenario(
        "api_votes.unit_ballots", "PUT", lambda t: f"/api/v1/votes/{t.assembly.id}/unit-ballots",
        RUN, json=lambda t: {"ballots": [{"unit_id": u["unit_id"], "choice": "for"}
                                         for u in t.assembly.eligible["units"]]}),
    "close the vote": Scenario("api_votes.close", "POST",
                               lambda t: f"/api/v1/votes/{t.vote.id}/close", RUN,
                               json=lambda t: {}),
    "tasks of a case": Scenario("api_followup.case_tasks", "GET",
                                lambda t: f"/api/v1/cases/{t.task.case_id}/tasks", READ),
    "task": Scenario("api_followup.task_detail", "GET", lambda t: f"/api/v1/tasks/{t.task.id}",
                     READ),
    # The responsible party (the property company here) and the liaison report progress.
    "report progress": Scenario(
        "api_followup.report", "POST", lambda t: f"/api/v1/tasks/{t.task.id}/progress",
        expect(401, 401, 201, 404, 403, 201, 403, 404, 403, residents_member=403),
        json=lambda t: {"note": "已更换一台水泵", "progress": 80}),
    "return visit": Scenario(
        "api_followup.return_visit", "POST",
        lambda t: f"/api/v1/cases/{t.done_task.case_id}/return-visits", RUN_CREATED,
        json=lambda t: {"method": "phone", "satisfaction": "satisfied",
                        "version": t.done_task.case.version}),
    # Verifying only reads.
    "verify a PDF": Scenario("api_verify.verify", "POST", lambda t: "/api/v1/verify",
                             expect(*[Unchanged(200)] * 9),
                             files=lambda t: {"pdf": (io.BytesIO(b"%PDF-1.4 x"), "m.pdf")}),
    "OpenAPI document": Scenario("api-docs.openapi_json", "GET",
                                 lambda t: "/api/v1/openapi.json", PUBLIC),
    "API documentation": Scenario("api-docs.openapi_swagger_ui", "GET",
                                  lambda t: "/api/v1/docs", PUBLIC),
    # The token pages are pages: reached with the session; "revoked" is the liaison there.
    "create a token": Scenario(
        "api_tokens.create", "POST", lambda t: "/account/tokens/",
        expect(TO_LOGIN, *[200] * 8), files=lambda t: {"name": "热线"}),
    "revoke a token": Scenario(
        "api_tokens.revoke", "POST", lambda t: f"/account/tokens/{t.liaison_token}/revoke",
        expect(TO_LOGIN, (302, "/account/password"), (302, "/account/password"),
               *[404] * 6)),
}
