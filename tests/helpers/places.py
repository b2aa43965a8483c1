"""A compound's parties and units."""
from decimal import Decimal

from tracker.extensions import db
from tracker.places.models import Party, Unit


def party(compound, kind) -> Party:
    return next(p for p in compound.parties if p.kind == kind)


def add_unit(compound, building="1栋", number="101") -> Unit:
    unit = Unit(compound=compound, building=building, number=number, owner_name="刘小华",
                owner_ref="刘小华", area=Decimal("88.50"))
    db.session.add(unit)
    db.session.commit()
    return unit
