"""The only code of places that changes records: adding a compound's units from the property
register. Flushes, never commits."""
from tracker.extensions import db
from tracker.places.importing import read_units
from tracker.places.models import Compound, Unit
from tracker.places.queries import owner_names_of, unit_numbers_of


def import_units(compound: Compound, raw: bytes) -> int:
    """Add the units of the CSV ``raw`` to ``compound``; return how many.

    :raise tracker.places.importing.UnitImportError: with (line number, message) for every bad
        line; nothing is added.
    """
    rows = read_units(raw, unit_numbers_of(compound), owner_names_of(compound))
    # Made only once every line is checked: a Unit joins ``compound.units`` as soon as it is
    # created, so making them while reading would leave the good lines of a refused file behind
    # in the session.
    units = [Unit(compound=compound, **values) for values in rows]
    db.session.add_all(units)
    db.session.flush()
    return len(units)
