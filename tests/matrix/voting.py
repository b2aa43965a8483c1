"""The route matrix's rows for the ``voting.*`` routes (tests/test_route_matrix.py).

Only the eligible members vote (here: the owners' committee member); the liaison proposes, opens,
enters paper ballots and closes; officials and parties in scope read; out of scope → 404.
"""
from functools import cached_property

from tests.factories import PASSWORD
from tests.matrix import Scenario
from tests.meeting_factories import held_meeting
from tests.vote_factories import assembly_vote, committee_vote, proposed
from tracker.extensions import db
from tracker.voting import operations

ROLES = ("anonymous", "liaison", "liaison_out", "owners_member", "property_rep", "official",
         "official_out", "admin")
TO_LOGIN = (302, r"/login")
TO_VOTE = (302, r"/votes/\d+")
TO_OPEN = (302, r"/votes/resolutions/\d+/open")


class Targets:
    def __init__(self, world):
        self.world = world

    @cached_property
    def meeting(self):
        return held_meeting(self.world)

    @cached_property
    def resolution(self):
        return proposed(self.world)

    @cached_property
    def vote(self):
        return committee_vote(self.world, extra_members=0)

    @cached_property
    def closed(self):
        """A vote of its own, passed and closed (the other rows' vote stays open)."""
        vote = committee_vote(self.world, extra_members=0)
        operations.cast_ballot(vote, self.world.owners_member, "for")
        operations.close_vote(vote, self.world.liaison)
        db.session.commit()
        return vote

    @cached_property
    def assembly(self):
        return assembly_vote(self.world)[0]



def expect(*answers):
    return dict(zip(ROLES, answers))


RUN = expect(TO_LOGIN, TO_VOTE, 404, 403, 403, 403, 404, 403)
READ = expect(TO_LOGIN, 200, 404, 200, 200, 200, 404, 200)

SCENARIOS = {
    "propose form": Scenario(
        "voting.propose", "GET",
        lambda t: f"/votes/propose/{t.meeting.id}/{t.meeting.agenda[0].case_id}",
        expect(TO_LOGIN, 200, 404, 403, 403, 403, 404, 403)),
    "propose": Scenario(
        "voting.propose", "POST",
        lambda t: f"/votes/propose/{t.meeting.id}/{t.meeting.agenda[0].case_id}",
        expect(TO_LOGIN, TO_OPEN, 404, 403, 403, 403, 404, 403),
        data=lambda t: {"text": "更换水泵", "responsible_party": "0", "deadline_tier": "general",
                        "body": "owners_committee", "matter": "",
                        "version": str(t.meeting.agenda[0].case.version)}),
    "open form": Scenario("voting.open_vote", "GET",
                          lambda t: f"/votes/resolutions/{t.resolution.id}/open",
                          expect(TO_LOGIN, 200, 404, 403, 403, 403, 404, 403)),
    "open": Scenario("voting.open_vote", "POST",
                     lambda t: f"/votes/resolutions/{t.resolution.id}/open", RUN,
                     data=lambda t: {"at_meeting": "1"}),
    "vote page": Scenario("voting.vote_detail", "GET", lambda t: f"/votes/{t.vote.id}", READ),
    "cast": Scenario("voting.cast", "POST", lambda t: f"/votes/{t.vote.id}/ballot",
                     expect(TO_LOGIN, 403, 404, TO_VOTE, 403, 403, 404, 403),
                     data=lambda t: {"choice": "for"}),
    # Only owners with an account linked to a unit vote online; none of these roles owns one.
    "owner votes online": Scenario(
        "voting.owner_cast", "POST", lambda t: f"/votes/{t.assembly.id}/my-units",
        expect(TO_LOGIN, 403, 404, 403, 403, 403, 404, 403),
        data=lambda t: {"owner-choice": "for"}),
    "paper ballot": Scenario(
        "voting.paper_ballot", "POST", lambda t: f"/votes/{t.vote.id}/paper", RUN,
        data=lambda t: {"paper-voter": str(t.world.owners_member.id), "paper-choice": "for",
                        "paper-password": PASSWORD}),
    "unit ballots page": Scenario("voting.unit_ballots", "GET",
                                  lambda t: f"/votes/{t.assembly.id}/units",
                                  expect(TO_LOGIN, 200, 404, 403, 403, 403, 404, 403)),
    "enter unit ballots": Scenario(
        "voting.unit_ballots", "POST", lambda t: f"/votes/{t.assembly.id}/units", RUN,
        data=lambda t: {f"unit-{u['unit_id']}": "for" for u in t.assembly.eligible["units"]}),
    "close": Scenario("voting.close", "POST", lambda t: f"/votes/{t.vote.id}/close", RUN,
                      data=lambda t: {"confirm": "y"}),
    "history": Scenario("voting.history", "GET", lambda t: f"/votes/{t.vote.id}/history", READ),
    "public notice": Scenario("voting.notice", "GET", lambda t: f"/votes/{t.closed.id}/notice",
                              READ),
}
