"""The route matrix's rows for the ``followup.*`` routes (tests/test_route_matrix.py)."""
import io

from tests.factories import image_bytes
from tests.vote_factories import committee_vote
from tracker.extensions import db
from tracker.followup import operations
from tracker.places.models import PartyKind
from tracker.voting import operations as voting

ROLES = ("anonymous", "liaison", "liaison_out", "owners_member", "property_rep", "official",
         "official_out", "admin")
TO_LOGIN, TO_CASE = (302, r"/login"), (302, r"/cases/\d+")


def expect(*answers, **other_roles):
    return {**dict(zip(ROLES, answers)), **other_roles}


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


class Targets:
    """A follow-up task of 德富花园's property company, with one progress photo, and a task of
    another case, done, so that its case can be visited and closed."""

    def __init__(self, world):
        self.task, self.photo = follow_up_task(world)
        self.done_task = follow_up_task(world)[0]
        self.done_task.progress = 100
        self.done_task.done_at = self.done_task.reports[0].created_at
        db.session.commit()


def _clean():
    from tracker.core.images import clean_image
    return clean_image(image_bytes(), 10**6)


# (endpoint, method, url(task, photo), expected, data(task))
# (endpoint, method, url(targets), expected, data(targets))
SCENARIOS = {
    "add a task": ("followup.add_task", "POST",
                   lambda t: f"/followup/cases/{t.task.case_id}/tasks",
                   expect(TO_LOGIN, TO_CASE, 404, 403, 403, 403, 404, 403),
                   lambda t: {"description": "补充任务", "tier": "general",
                              "responsible_party": "0"}),
    "report progress": ("followup.report", "POST",
                        lambda t: f"/followup/tasks/{t.task.id}/progress",
                        # the property company is responsible, not the residents' committee
                        expect(TO_LOGIN, TO_CASE, 404, 403, TO_CASE, 403, 404, 403,
                               residents_member=403),
                        lambda t: {"note": "已完成", "progress": "80",
                                   "photos": (io.BytesIO(image_bytes()), "b.jpg")}),
    "progress photo": ("followup.photo", "GET",
                       lambda t: f"/followup/tasks/{t.task.id}/photos/{t.photo.id}",
                       expect(TO_LOGIN, 200, 404, 200, 200, 200, 404, 200), None),
    "return visit": ("followup.visit", "POST",
                     lambda t: f"/followup/cases/{t.done_task.case_id}/visit",
                     expect(TO_LOGIN, TO_CASE, 404, 403, 403, 403, 404, 403),
                     lambda t: {"method": "phone", "satisfaction": "satisfied",
                                "version": str(t.done_task.case.version)}),
}
