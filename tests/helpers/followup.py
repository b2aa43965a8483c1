"""Follow-up tasks made by a passed vote."""
from tests.vote_factories import committee_vote
from tracker.extensions import db
from tracker.followup import operations
from tracker.places.models import PartyKind
from tracker.voting import operations as voting


def follow_up_task(world):
    """The one task of a case whose committee vote passed with the property company
    responsible."""
    vote = committee_vote(world, extra_members=0)
    voting.cast_ballot(vote, world.owners_member, "for")
    vote.resolution.responsible_party = world.compound.party_of(PartyKind.property_company)
    voting.close_vote(vote, world.liaison)
    [task] = operations.tasks_of(vote.resolution.case)
    db.session.commit()
    return task
