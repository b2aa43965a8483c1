"""Reads of places: a compound by the code printed in case numbers, the units it has."""
from sqlalchemy import select

from tracker.extensions import db
from tracker.places.models import Compound, Unit


def compound_by_code(code: str) -> Compound | None:
    return db.session.scalar(select(Compound).where(Compound.code == code))


def owner_names_of(compound: Compound) -> set[str]:
    """The names of the owners of ``compound``'s units."""
    return set(db.session.scalars(
        select(Unit.owner_name).where(Unit.compound_id == compound.id).distinct()))


def unit_numbers_of(compound: Compound) -> set[tuple[str, str]]:
    """The (building, number) of every unit of ``compound``."""
    return set(db.session.execute(
        select(Unit.building, Unit.number).where(Unit.compound_id == compound.id)).all())
