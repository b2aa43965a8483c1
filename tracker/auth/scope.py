"""Where a person may look and act (DESIGN §1), as SQL subqueries of compound ids.

Lists are built from these subqueries (``Case.compound_id.in_(visible_compound_ids(user))``) so
nothing out of scope is ever loaded and then filtered.
"""
from sqlalchemy import Select, or_, select, true

from tracker.auth.models import LiaisonAssignment, Membership, OfficialScope, User
from tracker.extensions import db
from tracker.places.models import Community, Compound, Party, Street


def party_compound_ids(user: User) -> Select:
    return (select(Party.compound_id)
            .join(Membership, Membership.party_id == Party.id)
            .where(Membership.user_id == user.id))


def liaison_compound_ids(user: User) -> Select:
    communities = select(LiaisonAssignment.community_id).where(
        LiaisonAssignment.user_id == user.id, LiaisonAssignment.community_id.is_not(None))
    compounds = select(LiaisonAssignment.compound_id).where(
        LiaisonAssignment.user_id == user.id, LiaisonAssignment.compound_id.is_not(None))
    return select(Compound.id).where(or_(Compound.community_id.in_(communities),
                                         Compound.id.in_(compounds)))


def official_compound_ids(user: User) -> Select:
    streets = select(OfficialScope.street_id).where(
        OfficialScope.user_id == user.id, OfficialScope.street_id.is_not(None))
    districts = select(OfficialScope.district_id).where(
        OfficialScope.user_id == user.id, OfficialScope.district_id.is_not(None))
    return (select(Compound.id)
            .join(Community, Compound.community_id == Community.id)
            .join(Street, Community.street_id == Street.id)
            .where(or_(Street.id.in_(streets), Street.district_id.in_(districts))))


def visible_compound_ids(user: User) -> Select:
    """Every compound the person may see: their parties', their liaison area, their oversight."""
    if user.is_admin:
        return select(Compound.id).where(true())
    return party_compound_ids(user).union(liaison_compound_ids(user), official_compound_ids(user))


def _contains(query: Select, compound_id: int) -> bool:
    subquery = query.subquery()
    return db.session.execute(
        select(subquery.c[0]).where(subquery.c[0] == compound_id).limit(1)).first() is not None


def is_party_member(user: User, compound_id: int) -> bool:
    return _contains(party_compound_ids(user), compound_id)


def is_liaison(user: User, compound_id: int) -> bool:
    return _contains(liaison_compound_ids(user), compound_id)


def is_official(user: User, compound_id: int) -> bool:
    return _contains(official_compound_ids(user), compound_id)


def can_see_compound(user: User, compound_id: int) -> bool:
    return user.is_admin or _contains(visible_compound_ids(user), compound_id)


def is_any_liaison(user: User) -> bool:
    return db.session.execute(select(LiaisonAssignment.id).where(
        LiaisonAssignment.user_id == user.id).limit(1)).first() is not None


def is_any_official(user: User) -> bool:
    return db.session.execute(select(OfficialScope.id).where(
        OfficialScope.user_id == user.id).limit(1)).first() is not None


def raisable_compounds(user: User) -> list[Compound]:
    """Compounds where the person may raise a case: their parties' and their liaison area."""
    ids = party_compound_ids(user).union(liaison_compound_ids(user)).subquery()
    return list(db.session.scalars(
        select(Compound).where(Compound.id.in_(select(ids.c[0]))).order_by(Compound.name)))


def visible_compounds(user: User) -> list[Compound]:
    return list(db.session.scalars(select(Compound).where(
        Compound.id.in_(visible_compound_ids(user))).order_by(Compound.name)))
