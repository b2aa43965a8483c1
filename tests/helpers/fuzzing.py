"""Objects both fuzzers post to (tests/test_fuzz_forms.py through the pages,
tests/test_fuzz_api.py through the API), and how many of them each test makes afresh.

The hostile values themselves, the form reader and the write recorder are in tests/fuzz_support.py.
"""
import itertools
from datetime import timedelta
from decimal import Decimal

from tests.matrix.followup import follow_up_task
from tests.vote_factories import committee_vote, proposed
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.followup.models import FollowUpTask
from tracker.places.models import Unit
from tracker.voting import operations as voting_operations
from tracker.voting.models import DecidingBody

# After this many accepted examples the object is no longer replaced: later examples post to
# the object as the last one left it (a closed vote, a held meeting), which exercises refusals.
# Making a vote anew takes a third of a second; without the cap that would be most of the run.
FRESH_OBJECTS = 12

_serial = itertools.count(1)


def fresh_number() -> int:
    """A number no earlier call gave, for names that must not repeat in one test's world."""
    return next(_serial)


def new_units(world, count):
    """New units of 德富花园 with numbers no earlier call used."""
    building = f"{fresh_number()}栋"
    units = [Unit(compound=world.compound, building=building, number=str(101 + n),
                  owner_name=f"业主{n}", owner_ref=f"owner-{building}-{n}",
                  area=Decimal("100.00")) for n in range(count)]
    db.session.add_all(units)
    db.session.flush()
    # The register must add up to the compound's area for an owners' ballot.
    world.compound.total_area = db.session.scalar(
        db.select(db.func.sum(Unit.area)).where(Unit.compound_id == world.compound.id))
    db.session.commit()
    return units


def owners_assembly_vote(world):
    """An open owners' assembly vote, not at a meeting, on three new units, the first of them
    the owners' committee member's."""
    units = new_units(world, 3)
    units[0].owner_user_id = world.owners_member.id
    db.session.commit()
    resolution = proposed(world, body=DecidingBody.owners_assembly, matter="use_fund")
    vote = voting_operations.open_vote(resolution, world.liaison, at_meeting=False,
                                       closes_at=utcnow() + timedelta(days=7))
    db.session.commit()
    return vote


def small_committee_vote(world):
    """An open committee vote with no members beyond the world's own."""
    return committee_vote(world, extra_members=0)


def return_visit_urls(world):
    """A case whose follow-up tasks are all done: (its page, the URL its return visit is
    posted to)."""
    task, _photo = follow_up_task(world)
    for each in db.session.scalars(db.select(FollowUpTask).where(
            FollowUpTask.case_id == task.case_id)):
        each.progress = 100
        each.done_at = each.created_at
    db.session.commit()
    return f"/cases/{task.case.id}", f"/followup/cases/{task.case_id}/visit"
