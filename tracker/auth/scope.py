"""Where a person may look and act (DESIGN §1), as SQL subqueries of compound ids.

Lists are built from these subqueries (``Case.compound_id.in_(visible_compound_ids(user))``) so
nothing out of scope is ever loaded and then filtered.
"""
import itertools
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, exists, false, or_, select, true

from tracker.auth.models import LiaisonAssignment, Membership, OfficialScope, User
from tracker.core.cache import request_cached
from tracker.extensions import db
from tracker.places.models import Community, Compound, Party, Street


# The subqueries with the person as a parameter, for statements built once and run with
# ``{"user_id": …}``.
_USER = bindparam("user_id")


def _party_query(user_id) -> Select:
    return (select(Party.compound_id)
            .join(Membership, Membership.party_id == Party.id)
            .where(Membership.user_id == user_id))


def _liaison_query(user_id) -> Select:
    communities = select(LiaisonAssignment.community_id).where(
        LiaisonAssignment.user_id == user_id, LiaisonAssignment.community_id.is_not(None))
    compounds = select(LiaisonAssignment.compound_id).where(
        LiaisonAssignment.user_id == user_id, LiaisonAssignment.compound_id.is_not(None))
    return select(Compound.id).where(or_(Compound.community_id.in_(communities),
                                         Compound.id.in_(compounds)))


def _official_query(user_id) -> Select:
    streets = select(OfficialScope.street_id).where(
        OfficialScope.user_id == user_id, OfficialScope.street_id.is_not(None))
    districts = select(OfficialScope.district_id).where(
        OfficialScope.user_id == user_id, OfficialScope.district_id.is_not(None))
    return (select(Compound.id)
            .join(Community, Compound.community_id == Community.id)
            .join(Street, Community.street_id == Street.id)
            .where(or_(Street.id.in_(streets), Street.district_id.in_(districts))))


def _visible_query(user_id) -> Select:
    return _party_query(user_id).union(_liaison_query(user_id), _official_query(user_id))


# The person's visible compounds with the person as the parameter ``user_id``: for statements
# built once and run with ``{"user_id": …}`` (a drill-down link's compound; hot statements
# take only the parts the person has, see visible_to_param_user).
VISIBLE_TO_PARAM_USER = _visible_query(_USER)


def scope_parts(user: User) -> tuple[bool, bool, bool]:
    """Which parts of a person's scope (party, liaison, official) can hold anything for them,
    from the roles read with the person: for :func:`visible_to_param_user`."""
    held = roles(user)
    # Every party member may raise (Roles.may_raise: a member of some party, or a liaison with
    # some compound), so where may_raise is false the party part holds nothing.
    return held.may_raise, held.liaison, held.official


def _visible_parts(parts: tuple[bool, bool, bool]) -> Select:
    queries = [query for held, query in zip(parts, (_party_query(_USER), _liaison_query(_USER),
                                                    _official_query(_USER))) if held]
    if not queries:
        return select(Compound.id).where(false())
    return queries[0].union(*queries[1:]) if len(queries) > 1 else queries[0]


# Every combination of parts, built once: the statements that embed one are module constants.
_VISIBLE_BY_PARTS = {parts: _visible_parts(parts)
                     for parts in itertools.product((False, True), repeat=3)}


def visible_to_param_user(parts: tuple[bool, bool, bool]) -> Select:
    """``VISIBLE_TO_PARAM_USER`` with only the ``parts`` (:func:`scope_parts`) the person has:
    on PostgreSQL a district official's case list plans and runs much faster without the party
    and liaison parts, which hold nothing for them anyway."""
    return _VISIBLE_BY_PARTS[tuple(bool(part) for part in parts)]


def party_compound_ids(user: User) -> Select:
    return _party_query(user.id)


def liaison_compound_ids(user: User) -> Select:
    return _liaison_query(user.id)


def official_compound_ids(user: User) -> Select:
    return _official_query(user.id)


_EVERY_COMPOUND = select(Compound.id).where(true())


def visible_compound_ids(user: User) -> Select:
    """Every compound the person may see: their parties', their liaison area, their oversight."""
    if user.is_admin:
        return _EVERY_COMPOUND
    return _visible_query(user.id)


def visible_compound_id_list(user: User) -> list[int] | None:
    """The ids of :func:`visible_compound_ids` (``None`` for an administrator: every compound),
    read once per request. Lists of a few compounds filter on this list rather than on the
    subquery, which the database would otherwise run inside every statement of the page. (A
    street's or district's case list embeds :func:`visible_to_param_user` instead: reading
    hundreds of ids would cost more.)"""
    if user.is_admin:
        return None
    return _visible_ids(user.id)


@request_cached
def _visible_ids(user_id: int) -> list[int]:
    return list(db.session.scalars(VISIBLE_TO_PARAM_USER, {"user_id": user_id}))


def kept_visible_compound_ids(user: User) -> list[int] | None:
    """The person's compound ids if this request has read them already, else ``None``."""
    return _visible_ids.peek(user.id)


def keep_visible_compound_ids(user: User, compound_ids: list[int]) -> list[int]:
    """Hand in, for this request, the person's compound ids read with something else (the case
    list reads them with their names)."""
    _visible_ids.prime(compound_ids, user.id)
    return compound_ids


def in_visible_compounds(column, user: User):
    """``column IN`` the person's visible compounds, as one expanding parameter (``in_()`` of a
    list would wrap each of a district's hundreds of ids in its own parameter object on every
    request). Always true for an administrator."""
    compound_ids = visible_compound_id_list(user)
    if compound_ids is None:
        return true()
    return column.in_(bindparam("visible_compound_ids", compound_ids, expanding=True,
                                unique=True))


def place_roles_of(compound_id) -> tuple:
    """What the person (the parameter ``user_id``) is in the compound ``compound_id`` (a
    parameter, or a column of another statement's row): a party member, its liaison, an
    official over it, as three EXISTS columns. A case is read with them in one statement, which
    then hands the answers to :func:`keep_place_roles`."""
    return tuple(exists().where(query.subquery().c[0] == compound_id) for query in
                 (_party_query(_USER), _liaison_query(_USER), _official_query(_USER)))


def seen_by_param_user(compound_id):
    """Whether the person (the parameter ``user_id``) may see the compound ``compound_id``
    (a column of another statement's row): any of :func:`place_roles_of`."""
    return or_(*place_roles_of(compound_id))


# The same for compound X: a case or meeting page asks from several places; one statement,
# built once, answers all three.
_PLACE_ROLES = select(*place_roles_of(bindparam("compound_id")))


def keep_place_roles(user: User, compound_id: int, roles: tuple) -> None:
    """What a statement built with :func:`place_roles_of` said, kept for the request as if
    :func:`is_liaison` and the others had asked."""
    party, liaison, official = (bool(role) for role in roles)
    for kind, answer in (("party", party), ("liaison", liaison), ("official", official),
                         ("visible", party or liaison or official)):
        _answer.prime(answer, kind, user.id, compound_id)


_LIAISON_IDS = _liaison_query(_USER).subquery()
_LIAISON_AMONG = select(_LIAISON_IDS.c[0]).where(
    _LIAISON_IDS.c[0].in_(bindparam("compound_ids", expanding=True)))


def is_liaison_of_all(user: User, compound_ids: list[int]) -> bool:
    """Whether the person is the liaison of every one of these compounds (a meeting's), in one
    statement however many there are; each answer is kept for the request's later questions."""
    if not compound_ids:
        return False
    theirs = set(db.session.scalars(_LIAISON_AMONG, {"user_id": user.id,
                                                     "compound_ids": list(compound_ids)}))
    for compound_id in compound_ids:
        _answer.prime(compound_id in theirs, "liaison", user.id, compound_id)
    return theirs >= set(compound_ids)


def is_party_member(user: User, compound_id: int) -> bool:
    return _answer("party", user.id, compound_id)


def is_liaison(user: User, compound_id: int) -> bool:
    return _answer("liaison", user.id, compound_id)


def is_official(user: User, compound_id: int) -> bool:
    return _answer("official", user.id, compound_id)


def can_see_compound(user: User, compound_id: int) -> bool:
    return user.is_admin or _answer("visible", user.id, compound_id)


@request_cached
def _answer(kind: str, user_id: int, compound_id: int) -> bool:
    party, liaison, official = _place_roles(user_id, compound_id)
    return {"party": party, "liaison": liaison, "official": official,
            "visible": party or liaison or official}[kind]


@request_cached
def _place_roles(user_id: int, compound_id: int) -> tuple[bool, bool, bool]:
    return tuple(bool(role) for role in db.session.execute(
        _PLACE_ROLES, {"user_id": user_id, "compound_id": compound_id}).one())


@dataclass(frozen=True)
class Roles:
    """What kinds of place a person works in, asked by the menu and most pages."""
    liaison: bool
    official: bool
    may_raise: bool  # a member of some party, or a liaison with some compound
    district_official: bool  # keeps the district's working calendar with the administrators


def roles(user: User) -> Roles:
    """The person's :class:`Roles`, read once per request."""
    return _roles(user.id)


# Asked on every page (the menu): one statement, built once.
_ROLE_FACTS = select(
    exists().where(LiaisonAssignment.user_id == _USER),
    exists().where(OfficialScope.user_id == _USER),
    # A party always belongs to a compound; a liaison raises only where a compound is.
    or_(exists().where(Membership.user_id == _USER),
        exists().where(LiaisonAssignment.user_id == _USER,
                       or_(LiaisonAssignment.compound_id.is_not(None),
                           exists().where(Compound.community_id
                                          == LiaisonAssignment.community_id)))),
    exists().where(OfficialScope.user_id == _USER, OfficialScope.district_id.is_not(None)),
)


@request_cached
def _roles(user_id: int) -> Roles:
    return Roles(*(bool(fact) for fact in db.session.execute(
        _ROLE_FACTS, {"user_id": user_id}).one()))


def is_any_liaison(user: User) -> bool:
    return roles(user).liaison


def is_any_official(user: User) -> bool:
    return roles(user).official


def is_district_official(user: User) -> bool:
    return roles(user).district_official


def raisable_compounds(user: User) -> list[Compound]:
    """Compounds where the person may raise a case: their parties' and their liaison area."""
    ids = party_compound_ids(user).union(liaison_compound_ids(user)).subquery()
    return list(db.session.scalars(
        select(Compound).where(Compound.id.in_(select(ids.c[0]))).order_by(Compound.name)))


def visible_compounds(user: User) -> list[Compound]:
    return list(db.session.scalars(select(Compound).where(
        Compound.id.in_(visible_compound_ids(user))).order_by(Compound.name)))
