"""The database itself refuses a second identical liaison or oversight area (not only the form)."""
import pytest
from sqlalchemy.exc import IntegrityError

from tracker.auth.models import LiaisonAssignment, OfficialScope


@pytest.mark.parametrize("make", [
    lambda w: LiaisonAssignment(user=w.liaison, community=w.community),
    lambda w: OfficialScope(user=w.official, street=w.street),
    lambda w: OfficialScope(user=w.district_official, district=w.district),
])
def test_duplicate_area_is_refused_by_the_database(world, db, make):
    db.session.add(make(world))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_same_person_may_have_two_different_areas(world, db):
    db.session.add(LiaisonAssignment(user=world.liaison, compound=world.far_compound))
    db.session.flush()
