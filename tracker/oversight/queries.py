"""Which part of a person's area the dashboard looks at. The figures themselves are read in
:mod:`tracker.oversight.figures`, the case export's rows in :mod:`tracker.oversight.exports`."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select

from tracker.extensions import db
from tracker.oversight.figures import Level, area_of, children
from tracker.places.models import Community, Street


@dataclass
class Focus:
    """The part of the person's area the page looks at, and what a table row stands for."""
    area: Select
    level: Level
    street: Street | None = None
    community: Community | None = None

    @property
    def args(self) -> dict:
        if self.community:
            return {"community": self.community.id}
        if self.street:
            return {"street": self.street.id}
        return {}


def focus_of(compound_ids: Select, *, street_id: int | None = None,
             community_id: int | None = None) -> Focus | None:
    """The street or community asked for within the area ``compound_ids``, or without one the
    whole area; None when the place asked for is outside the area."""
    area = area_of(compound_ids, street_id=street_id, community_id=community_id)
    if (street_id or community_id) and db.session.execute(area.limit(1)).first() is None:
        return None
    if community_id:
        community = db.session.get(Community, community_id)
        return Focus(area, Level.compound, community.street, community)
    if street_id:
        return Focus(area, Level.community, db.session.get(Street, street_id))
    # The widest level at which the area branches: a district official sees streets, a street
    # official communities, a community's liaison compounds.
    for level in (Level.street, Level.community):
        if len(children(area, level)) > 1:
            return Focus(area, level)
    return Focus(area, Level.compound)
