"""What the case page shows of a case, read in one statement of plain columns.

The page used to read the case as an ORM object with its compound, community, raiser and
photos joined in: SQLAlchemy then built a row processor for each of the five objects on every
request, costing many times what reading the one row costs (docs/scaling.md). The page and
the questions it asks (:mod:`tracker.cases.policy`, :mod:`tracker.cases.workflow`, the
follow-up section) read only the case's own columns, which :class:`ShownCase` has under the
same names. Pages that change a case keep reading the ORM object
(:func:`tracker.cases.queries.get_visible_case`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from flask import abort
from sqlalchemy import bindparam, select

from tracker.auth.models import User
from tracker.auth.scope import can_see_compound, keep_place_roles, place_roles_of
from tracker.cases.models import Case, CaseCategory, CasePhoto, CaseSource, CaseState
from tracker.extensions import db
from tracker.places.models import Community, Compound


class ShownPhoto(NamedTuple):
    id: int
    filename: str


@dataclass(slots=True)
class ShownCase:
    id: int
    number: str
    title: str
    category: CaseCategory
    source: CaseSource
    description: str
    resident_name: str
    resident_phone: str
    state: CaseState
    compound_id: int
    raised_by_id: int
    raised_at: datetime
    version: int
    carried_over: bool
    compound_name: str
    community_name: str
    raiser_name: str
    photos: list[ShownPhoto] = field(default_factory=list)

    @classmethod
    def of(cls, case: Case) -> ShownCase:
        """The same from a case read as an ORM object (a page that changed it)."""
        return cls(*(getattr(case, name) for name in _CASE_COLUMNS),
                   compound_name=case.compound.name,
                   community_name=case.compound.community.name,
                   raiser_name=case.raised_by.name,
                   photos=[ShownPhoto(photo.id, photo.filename) for photo in case.photos])


_CASE_COLUMNS = ("id", "number", "title", "category", "source", "description",
                 "resident_name", "resident_phone", "state", "compound_id", "raised_by_id",
                 "raised_at", "version", "carried_over")
_NAMES = 3  # compound, community, raiser
_ROLES = 3  # what the person is in the compound (tracker.auth.scope.place_roles_of)

# One row per photo (one with no photo when there is none), photos oldest first.
_CASE_SHOWN = (
    select(*(getattr(Case, name) for name in _CASE_COLUMNS),
           Compound.name.label("compound_name"), Community.name.label("community_name"),
           User.name.label("raiser_name"), *place_roles_of(Case.compound_id),
           CasePhoto.id.label("photo_id"), CasePhoto.filename.label("photo_filename"))
    .join(Compound, Compound.id == Case.compound_id)
    .join(Community, Community.id == Compound.community_id)
    .join(User, User.id == Case.raised_by_id)
    .outerjoin(CasePhoto, CasePhoto.case_id == Case.id)
    .where(Case.id == bindparam("case_id"))
    .order_by(CasePhoto.id))


def shown_case(user: User, case_id: int) -> ShownCase:
    """The case as its page shows it, if the person may see it; otherwise 404, so its existence
    is not revealed (as :func:`tracker.cases.queries.get_visible_case`)."""
    rows = db.session.execute(_CASE_SHOWN, {"case_id": case_id, "user_id": user.id}).all()
    if not rows:
        abort(404)
    first = rows[0]
    columns = len(_CASE_COLUMNS) + _NAMES
    keep_place_roles(user, first.compound_id, first[columns:columns + _ROLES])
    if not can_see_compound(user, first.compound_id):  # answered from the roles just cached
        abort(404)
    return ShownCase(*first[:columns], photos=[
        ShownPhoto(row.photo_id, row.photo_filename) for row in rows
        if row.photo_id is not None])
