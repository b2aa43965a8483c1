"""What the administration pages read: searchable pages of places, accounts and roles, the
choices their forms offer, and whether a unique key is already taken."""
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from tracker.auth.models import LiaisonAssignment, Membership, OfficialScope, User
from tracker.extensions import db
from tracker.places.models import Community, Compound, District, Party, Street, Unit


@dataclass
class Search:
    """What a list page was asked for: the text to look for, the page, and its length."""
    q: str = ""
    page: int = 1
    per_page: int = 50


@dataclass
class Page:
    items: list
    page: int
    has_next: bool
    q: str


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_page(query: Select, search: Search, *columns) -> Page:
    """One page of ``query``, narrowed to rows where any of ``columns`` contains ``search.q``.
    Fetches one row more than shown to know whether a next page exists, so no request counts
    the whole table."""
    if search.q:
        query = query.where(or_(*(c.ilike(_like(search.q), escape="\\") for c in columns)))
    per_page = search.per_page
    rows = list(db.session.scalars(query.limit(per_page + 1)
                                   .offset((search.page - 1) * per_page)))
    return Page(items=rows[:per_page], page=search.page, has_next=len(rows) > per_page,
                q=search.q)


def taken(model, *criteria, record=None) -> bool:
    """Whether another row than ``record`` already matches ``criteria`` (a unique key)."""
    query = select(model.id).where(*criteria)
    if record is not None and record.id is not None:
        query = query.where(model.id != record.id)
    return db.session.execute(query.limit(1)).first() is not None


# -- places --------------------------------------------------------------------------------

def districts_page(search: Search) -> Page:
    return search_page(select(District).order_by(District.name), search, District.name)


def streets_page(search: Search) -> Page:
    query = (select(Street).join(Street.district).options(contains_eager(Street.district))
             .order_by(District.name, Street.name))
    return search_page(query, search, Street.name)


def communities_page(search: Search) -> Page:
    query = (select(Community).join(Community.street)
             .options(contains_eager(Community.street))
             .order_by(Street.name, Community.name))
    return search_page(query, search, Community.name)


def compounds_page(search: Search) -> Page:
    query = (select(Compound).join(Compound.community)
             .options(contains_eager(Compound.community))
             .order_by(Community.name, Compound.name))
    return search_page(query, search, Compound.name, Compound.code)


def units_page(compound: Compound, search: Search) -> Page:
    query = (select(Unit).where(Unit.compound_id == compound.id)
             .order_by(Unit.building, Unit.number))
    return search_page(query, search, Unit.building, Unit.number, Unit.owner_name)


def unit_ids_of(compound: Compound) -> set[int]:
    return set(db.session.scalars(select(Unit.id).where(Unit.compound_id == compound.id)))


def units_added(compound: Compound, before: set[int]) -> list[Unit]:
    """The compound's units other than those of ``before`` (the ids it had earlier)."""
    return list(db.session.scalars(select(Unit).where(Unit.compound_id == compound.id,
                                                      Unit.id.not_in(before))))


def parties_of(compound: Compound) -> list[Party]:
    """At most one party per kind, so a compound has a handful: no paging or search."""
    return list(db.session.scalars(select(Party).where(Party.compound_id == compound.id)
                                   .order_by(Party.kind)))


# -- accounts and roles --------------------------------------------------------------------

def users_page(search: Search) -> Page:
    return search_page(select(User).order_by(User.name, User.username), search,
                       User.name, User.username, User.phone)


def memberships_page(search: Search) -> Page:
    query = (select(Membership).join(Membership.user).join(Membership.party)
             .join(Party.compound)
             .options(contains_eager(Membership.user),
                      contains_eager(Membership.party).contains_eager(Party.compound))
             .order_by(Compound.name, Party.kind, User.name))
    return search_page(query, search, User.name, User.username, Party.name, Compound.name)


def liaisons_page(search: Search) -> Page:
    query = (select(LiaisonAssignment).join(LiaisonAssignment.user)
             .outerjoin(LiaisonAssignment.community).outerjoin(LiaisonAssignment.compound)
             .options(contains_eager(LiaisonAssignment.user),
                      contains_eager(LiaisonAssignment.community),
                      contains_eager(LiaisonAssignment.compound))
             .order_by(User.name, LiaisonAssignment.id))
    return search_page(query, search, User.name, User.username, Community.name, Compound.name)


def official_scopes_page(search: Search) -> Page:
    query = (select(OfficialScope).join(OfficialScope.user)
             .outerjoin(OfficialScope.street).outerjoin(OfficialScope.district)
             .options(contains_eager(OfficialScope.user), contains_eager(OfficialScope.street),
                      contains_eager(OfficialScope.district))
             .order_by(User.name, OfficialScope.id))
    return search_page(query, search, User.name, User.username, Street.name, District.name)


# -- what the forms offer ------------------------------------------------------------------

def districts_by_name() -> list[District]:
    return list(db.session.scalars(select(District).order_by(District.name)))


def streets_by_district() -> list[Street]:
    return list(db.session.scalars(select(Street).join(Street.district)
                                   .order_by(District.name, Street.name)))


def streets_by_name() -> list[Street]:
    return list(db.session.scalars(
        select(Street).options(joinedload(Street.district)).order_by(Street.name)))


def communities_by_street() -> list[Community]:
    return list(db.session.scalars(select(Community).join(Community.street)
                                   .order_by(Street.name, Community.name)))


def communities_by_name() -> list[Community]:
    return list(db.session.scalars(select(Community).order_by(Community.name)))


def compounds_by_name() -> list[Compound]:
    return list(db.session.scalars(
        select(Compound).options(joinedload(Compound.community)).order_by(Compound.name)))


def parties_by_compound() -> list[Party]:
    return list(db.session.scalars(select(Party).options(joinedload(Party.compound))
                                   .join(Party.compound).order_by(Compound.name, Party.kind)))


def users_by_name() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.name, User.username)))
