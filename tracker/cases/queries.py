"""Scoped reads of cases. Every list starts from :func:`visible_cases`."""
import functools
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import abort, current_app
from sqlalchemy import (Integer, Select, String, and_, bindparam, or_, select, type_coerce,
                        union_all)
from sqlalchemy.orm import joinedload

from tracker.audit.models import AuditEvent
from tracker.auth.models import User
from tracker.auth.scope import (
    VISIBLE_TO_PARAM_USER,
    can_see_compound,
    in_visible_compounds,
    keep_place_roles,
    keep_visible_compound_ids,
    kept_visible_compound_ids,
    place_roles_of,
    scope_parts,
    visible_compound_ids,
    visible_to_param_user,
)
from tracker.cases.models import Case, CaseCategory, CaseSource, CaseState
from tracker.core.cache import peek_shared, share
from tracker.core.sql_dates import local_day, zone_parameters
from tracker.extensions import db
from tracker.places.models import Community, Compound


def visible_cases(user: User) -> Select:
    query = select(Case)
    if user.is_admin:
        return query
    if kept_visible_compound_ids(user) is not None:  # read with the list's compound menu
        return query.where(in_visible_compounds(Case.compound_id, user))
    # A street's or district's hundreds of compounds are not read first (compound_choices):
    # the statement asks for them itself, through the subquery kept for the person.
    return query.where(Case.compound_id.in_(visible_compound_ids(user)))


# A district has hundreds of compounds: a list that long is no use as a menu (and costs more to
# send than the cases), so beyond this the list is narrowed by street and community instead.
COMPOUND_CHOICES_MAX = 60


_CHOICES = select(Compound.id, Compound.name).order_by(Compound.name, Compound.id)
_CHOICE = _CHOICES.where(Compound.id == bindparam("compound_id"))
# A drill-down link's compound, by itself, if the person sees it.
_CHOICE_IN_SIGHT = _CHOICE.where(Compound.id.in_(VISIBLE_TO_PARAM_USER))


@functools.lru_cache(maxsize=16)
def _menu(parts: tuple[bool, bool, bool] | None, most: int) -> Select:
    """The first ``most`` + 1 of the compounds (in the ``parts`` of the person's scope, or every
    one): one more than a menu offers tells that there are too many. Built once per parts and
    limit (a test lowers it)."""
    choices = _CHOICES if parts is None else _CHOICES.where(
        Compound.id.in_(visible_to_param_user(parts)))
    return choices.limit(most + 1)


# A person whose menu was found too long to offer is not asked for it again for this long (by
# any worker). Only that verdict is shared, never their compounds: the list still asks for the
# person's scope in its own statement, so nothing can show that is out of it; if their scope
# shrinks below the limit meanwhile, the menu comes back within this time.
MENU_RECHECK_SECONDS = 300


def compound_choices(user: User, chosen: str | None) -> tuple[list[tuple[str, str]], bool]:
    """(id, name) of the compounds the person may filter the list by, and whether that is all
    of them. When there are too many to offer, only the one already ``chosen`` (a drill-down
    link) is returned, if the person sees it. When they are few, caches the person's compound
    ids for the rest of the request (:func:`tracker.auth.scope.visible_compound_id_list`); a
    street's or district's hundreds are not read at all: the list asks for them in its own
    statement, and whether they are too many is remembered a while (``MENU_RECHECK_SECONDS``)
    so the first 61 are not read on every page to find out (docs/scaling.md)."""
    parts = None if user.is_admin else scope_parts(user)
    # created_at tells apart people who got the same id in turn (a database restored).
    too_many = (f"compound menu too long/{user.id}/{user.created_at.isoformat()}/{parts}/"
                f"{COMPOUND_CHOICES_MAX}")
    if not peek_shared(too_many):
        rows = db.session.execute(_menu(parts, COMPOUND_CHOICES_MAX),
                                  {"user_id": user.id}).all()
        if len(rows) <= COMPOUND_CHOICES_MAX:
            if not user.is_admin:
                keep_visible_compound_ids(user, [id_ for id_, _name in rows])
            return [(str(id_), name) for id_, name in rows], True
        share(too_many, True, MENU_RECHECK_SECONDS)
    chosen_id = int(chosen) if chosen and chosen.isdigit() and len(chosen) < 10 else None
    if chosen_id is None:
        return [], False
    rows = db.session.execute(_CHOICE if user.is_admin else _CHOICE_IN_SIGHT,
                              {"compound_id": chosen_id, "user_id": user.id}).all()
    return [(str(id_), name) for id_, name in rows], False


# Every action on a case reads the case with its compound and community, and what the person
# is in that compound (which decides whether they see it, and what they may do): one
# statement, built once (building one per request cost more than running it). The case page
# reads what it shows without the ORM (tracker.cases.shown).
_CASE = (select(Case, *place_roles_of(Case.compound_id))
         .options(joinedload(Case.compound).joinedload(Compound.community))
         .where(Case.id == bindparam("case_id")))


def get_visible_case(user: User, case_id: int) -> Case:
    """The case if the person may see it; otherwise 404, so its existence is not revealed."""
    row = db.session.execute(_CASE, {"case_id": case_id, "user_id": user.id}).unique().first()
    if row is None:
        abort(404)
    case, *roles = row
    keep_place_roles(user, case.compound_id, roles)
    if not can_see_compound(user, case.compound_id):  # answered from the roles just cached
        abort(404)
    return case


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass
class CasePage:
    cases: list
    page: int
    has_next: bool
    first: str | None = None  # anchors of the first and last rows, for the pager's links
    last: str | None = None


# Each order: (time column, newest first?), with the id breaking ties.
SORTS = {
    "newest": (Case.raised_at, True),
    "oldest": (Case.raised_at, False),
    "updated": (Case.updated_at, True),
}


def anchor(at: datetime, case_id: int) -> str:
    """Where a page starts or ends in its order: "<microseconds since 1970>.<case id>"."""
    return f"{(at - _EPOCH) // timedelta(microseconds=1)}.{case_id}"


def read_anchor(text: str | None) -> tuple[datetime, int] | None:
    """The (time, id) of an :func:`anchor`; ``None`` for anything else (an edited URL is
    answered by page number instead)."""
    micros, _, case_id = (text or "").partition(".")
    if not (micros.lstrip("-").isdigit() and case_id.isdigit()) or len(text) > 40:
        return None
    try:
        return _EPOCH + timedelta(microseconds=int(micros)), int(case_id)
    except OverflowError:
        return None


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# Filters that features above cases add to the list (``overdue`` from follow-up):
# name → (label, function narrowing a Select of cases).
LIST_FLAGS: dict[str, tuple] = {}


def register_list_flag(name: str, label, narrow) -> None:
    LIST_FLAGS[name] = (label, narrow)


@dataclass
class CaseFilters:
    """The case list's filters; the list, its exports and the dashboard's links share them."""
    q: str = ""
    state: str = ""
    compound_id: int | None = None
    community_id: int | None = None
    street_id: int | None = None
    category: str = ""
    source: str = ""
    flag: str = ""


# What each filter adds, with its value as a parameter of the same name: the list's statements
# are then built once per combination of filters (:func:`_list_statement`), not per request.
_NARROWING = {
    "state": Case.state == bindparam("state"),
    "compound_id": Case.compound_id == bindparam("compound_id"),
    "community_id": Case.compound_id.in_(
        select(Compound.id).where(Compound.community_id == bindparam("community_id"))),
    "street_id": Case.compound_id.in_(
        select(Compound.id).join(Community, Compound.community_id == Community.id)
        .where(Community.street_id == bindparam("street_id"))),
    "category": Case.category == bindparam("category"),
    "source": Case.source == bindparam("source"),
    "q": or_(Case.title.ilike(bindparam("pattern"), escape="\\"),
             Case.number.ilike(bindparam("pattern"), escape="\\"),
             Case.description.ilike(bindparam("pattern"), escape="\\")),
}


def _narrowing(filters: CaseFilters) -> tuple[tuple[str, ...], dict]:
    """The :data:`_NARROWING` clauses ``filters`` asks for, and their parameters."""
    values = {"state": CaseState(filters.state) if filters.state else None,
              "compound_id": filters.compound_id, "community_id": filters.community_id,
              "street_id": filters.street_id,
              "category": CaseCategory(filters.category) if filters.category else None,
              "source": CaseSource(filters.source) if filters.source else None,
              "q": filters.q.strip() if filters.q else None}
    names = tuple(name for name, value in values.items() if value)
    params = {name: values[name] for name in names if name != "q"}
    if "q" in names:
        params["pattern"] = _like_pattern(values["q"])
    return names, params


def narrowed_cases(user: User, filters: CaseFilters) -> Select:
    """The person's cases that match ``filters``, unordered (a query to page or to export)."""
    query = visible_cases(user)
    if filters.flag in LIST_FLAGS:
        query = LIST_FLAGS[filters.flag][1](query)
    names, params = _narrowing(filters)
    for name in names:
        query = query.where(_NARROWING[name])
    return query.params(params)


def filtered_cases(user: User, filters: CaseFilters | None = None, *, sort: str = "newest",
                   page: int = 1, per_page: int = 20, after: str | None = None,
                   before: str | None = None) -> CasePage:
    """One page of the person's cases, as rows of the columns the list shows (not whole cases:
    building fifty ORM objects cost more than the query). Fetches one row more than shown to
    know whether a next page exists, so no request counts the whole table.

    The pager's links carry an anchor, the (time, id) of the last row shown (``after``) or the
    first (``before``): the next page is then read from there by the index, however deep, and a
    case raised meanwhile does not push a row of page 1 onto page 2. A bare ``page`` number (an
    edited or old link) is counted from the start."""
    filters = filters or CaseFilters()
    sort = sort if sort in SORTS else "newest"
    # An edited URL may ask for any page; past the last one the list is empty, but the offset
    # has to stay a number the database can take.
    page = min(max(1, page), 1_000_000)
    backwards = False
    side = None
    params = zone_parameters(current_app.config["DISPLAY_TIMEZONE"])
    if (at := read_anchor(after)) or (at := read_anchor(before)):
        backwards = read_anchor(after) is None
        side = "backwards" if backwards else "onwards"
        params["anchor_time"], params["anchor_id"] = at
    elif page > 1:
        side = "offset"
        params["offset"] = (page - 1) * per_page
    if filters.flag in LIST_FLAGS:
        # A flag narrows by a function of its own (it may read the time): built each time.
        statement = _list_query(narrowed_cases(user, filters), sort, side, per_page)
    else:
        names, narrowing = _narrowing(filters)
        params.update(narrowing)
        if user.is_admin:
            where = "everywhere"
        elif (compound_ids := kept_visible_compound_ids(user)) is not None:
            if 1 < len(compound_ids) <= EACH_COMPOUND_MAX and side != "offset":
                where = ("each", len(compound_ids))
                params.update((f"compound_{n}", id_) for n, id_ in enumerate(compound_ids))
            else:
                where, params["visible_compound_ids"] = "among", compound_ids
        else:  # too many to have read: the statement asks for the person's compounds itself
            where, params["user_id"] = scope_parts(user), user.id
        statement = _list_statement(where, names, sort, side, per_page)
    rows = db.session.execute(statement, params).all()
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:  # read towards the start: put back in the list's order; the page we came
        rows.reverse()  # from is still after these
        more = True
    return CasePage(cases=rows, page=page, has_next=more,
                    first=anchor(_sort_time(rows[0]), rows[0].id) if rows else None,
                    last=anchor(_sort_time(rows[-1]), rows[-1].id) if rows else None)


def _sort_time(row) -> datetime:
    # The list's time column, read as its own "sort_time" unless it is raised_at (_shown_time).
    return row.sort_time if "sort_time" in row._fields else row.raised_at


# A person with this many compounds or fewer (a community's liaison, a party member) has the
# page's ids chosen compound by compound (see _each_compound).
EACH_COMPOUND_MAX = 8


@functools.lru_cache(maxsize=512)
def _list_statement(where: str | tuple, names: tuple[str, ...], sort: str, side: str | None,
                    per_page: int) -> Select:
    """The list's statement for one combination of filters, order and paging, built once: the
    values (the person's compounds, the filters, the anchor) are its parameters. ``where``:
    "everywhere", "among" the compound ids given, ("each", n) of n compounds given one by one
    (``compound_0`` …), or the parts of the person's scope
    (:func:`tracker.auth.scope.scope_parts`) to ask for in the statement."""
    query = select(Case)
    if isinstance(where, tuple) and where[0] == "each":
        for name in names:
            query = query.where(_NARROWING[name])
        return _each_compound(query, where[1], sort, side, per_page)
    if where == "among":
        query = query.where(Case.compound_id.in_(
            bindparam("visible_compound_ids", expanding=True)))
    elif isinstance(where, tuple):
        query = query.where(Case.compound_id.in_(visible_to_param_user(where)))
    for name in names:
        query = query.where(_NARROWING[name])
    return _list_query(query, sort, side, per_page)


def _list_query(query: Select, sort: str, side: str | None, per_page: int) -> Select:
    """``query`` of cases as a page of the list's columns in ``sort`` order, read from an
    anchor (``side``: "onwards" or "backwards", parameters ``anchor_time`` and ``anchor_id``),
    from an ``offset``, or from the start.

    The page's ids are chosen first, from the cases' indexes alone where one covers the
    filters and the order (compound, state, time, id); only those rows are then read with their
    columns, instead of every matching row being read to sort them."""
    column = SORTS[sort][0]
    ids = _page_ids(query.with_only_columns(Case.id), sort, side, per_page)
    return (select(*LIST_COLUMNS, *_shown_time(column))
            .join(Compound, Compound.id == Case.compound_id)
            .where(Case.id.in_(ids)).order_by(*_order(column, Case.id, sort, side)))


def _each_compound(query: Select, compounds: int, sort: str, side: str | None,
                   per_page: int) -> Select:
    """As :func:`_list_query`, for cases in the compounds given as ``compound_0`` … The page's
    ids are chosen in each compound (a short walk down its own index) and the few chosen merged:
    with ``compound_id IN (…)`` the database read every matching case of all of them to sort,
    which grew with the size of the database (docs/scaling.md)."""
    column = SORTS[sort][0]
    time = column.label("sort_time")
    chosen = [_page_ids(query.with_only_columns(Case.id, time)
                        .where(Case.compound_id == bindparam(f"compound_{n}")),
                        sort, side, per_page).subquery() for n in range(compounds)]
    merged = union_all(*(select(each.c.id, each.c.sort_time) for each in chosen)).subquery()
    ids = (select(merged.c.id).order_by(*_order(merged.c.sort_time, merged.c.id, sort, side))
           .limit(per_page + 1))
    return (select(*LIST_COLUMNS, *_shown_time(column))
            .join(Compound, Compound.id == Case.compound_id)
            .where(Case.id.in_(ids)).order_by(*_order(column, Case.id, sort, side)))


def _shown_time(column) -> tuple:
    """The order's time column for the page's anchors, unless the rows have it already: read
    twice, raised_at was converted to an aware datetime twice in each of fifty rows."""
    return () if column is Case.raised_at else (column.label("sort_time"),)


def _order(time, case_id, sort: str, side: str | None) -> tuple:
    """The list's order (reversed when reading ``backwards`` from an anchor)."""
    descending = SORTS[sort][1] != (side == "backwards")
    return (time.desc(), case_id.desc()) if descending else (time.asc(), case_id.asc())


def _page_ids(ids: Select, sort: str, side: str | None, per_page: int) -> Select:
    """``ids`` narrowed to one page (and one row more): after or before the anchor
    (parameters ``anchor_time``, ``anchor_id``), from an ``offset``, or from the start."""
    column, newest_first = SORTS[sort]
    if side in ("onwards", "backwards"):
        # rows on the far side of the anchor in this order
        later = newest_first == (side == "backwards")
        time, case_id = bindparam("anchor_time", type_=column.type), bindparam("anchor_id")
        ids = ids.where(or_(column > time, and_(column == time, Case.id > case_id))
                        if later else
                        or_(column < time, and_(column == time, Case.id < case_id)))
    elif side == "offset":
        ids = ids.offset(bindparam("offset", type_=Integer))
    return ids.order_by(*_order(column, Case.id, sort, side)).limit(per_page + 1)


# The category and state as their stored values (strings): the list looks each up once per page
# (tracker.cases.list_rows), where converting fifty of each to enum members was a call apiece.
LIST_COLUMNS = (Case.id, Case.number, Case.title,
                type_coerce(Case.category, String).label("category"),
                type_coerce(Case.state, String).label("state"), Case.raised_at,
                local_day(Case.raised_at).label("raised_on"), Compound.name.label("compound_name"))


_TIMELINE = (select(AuditEvent).options(joinedload(AuditEvent.actor))
             .where(AuditEvent.subject_type == "case",
                    AuditEvent.subject_id == bindparam("case_id"))
             .order_by(AuditEvent.id))


def timeline(case: Case) -> list[AuditEvent]:
    return list(db.session.scalars(_TIMELINE, {"case_id": case.id}))


# What the case page shows of each event, as plain rows (the actor by name): a long timeline
# as entities with their actors cost the page more than drawing it. The name is looked up per
# event: joined, PostgreSQL hashed the whole users table for a case's handful of events.
_ACTOR_NAME = select(User.name).where(User.id == AuditEvent.actor_id).scalar_subquery()
_TIMELINE_SHOWN = (
    select(AuditEvent.created_at, _ACTOR_NAME.label("actor"), AuditEvent.action,
           AuditEvent.from_state, AuditEvent.to_state, AuditEvent.note, AuditEvent.data)
    .where(AuditEvent.subject_type == "case", AuditEvent.subject_id == bindparam("case_id"))
    .order_by(AuditEvent.id))


def timeline_shown(case: Case) -> list:
    """The case's events for its page: ``created_at``, ``actor`` (a name, or None for the
    system), ``action``, ``from_state``, ``to_state``, ``note``, ``data``."""
    return db.session.execute(_TIMELINE_SHOWN, {"case_id": case.id}).all()
