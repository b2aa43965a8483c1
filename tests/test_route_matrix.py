"""One permission matrix over every route of the app, pages and API.

The rows are the features' tables in ``tests/matrix/``: cases, the start page and the account
(``cases``), meetings and verification (``meetings``), ``voting``, ``followup``, ``oversight``,
``printing``, the API and its token pages (``api``), the administration (``admin``), the public
pages and the inbox (``other``); each says per row which route it asks, how, about what, and
what each role gets. :func:`test_every_route_is_in_the_matrix` enumerates ``app.url_map`` and
fails naming every rule × method (HEAD and OPTIONS aside) that no row covers, so a route added
without an entry breaks the suite.

The columns are the people of DESIGN §1, each in scope and out of scope of the objects the rows
point at (all in 德富花园, 横堤社区, 北湖街):

    anonymous          not logged in (API: no token, and a revoked token)
    nobody             logged in, no role anywhere
    liaison            liaison cadre of 横堤社区          liaison_out   … of 北湖正街社区
    residents_member   居委会 member of 德富花园
    owners_member      业委会 voting member of 德富花园   owners_member_out  … of 正街花园
    property_rep       物业 manager of 德富花园           property_rep_out   … of 邮电小区 (same
                                                                             community)
    official           北湖街 official                    official_out  … of 唐家墩街
    district_official  江汉区 official                    district_official_out  … of 武昌区
    admin              administrator

So every object is asked about from inside its compound, from another compound of the same
community, from another community of the same street, from another street and from another
district.

A feature table that predates a column leaves it out; ``derived`` fills it from the columns it
has, by the rules stated there, and a row states the answer itself wherever the rule does not
hold.

Each check is the real request through the test client. Expected answers are the features'
conventions: allowed → 200/201/redirect; anonymous → the login page (pages) or 401 (API); out
of scope → 404; in scope without the right → 403. On a route that may change data (POST/PUT)
every table is compared with its state before the request: a refused request must have changed
nothing (``Unchanged`` marks refusals answered with 2xx/3xx, and requests that only read), an
allowed one something, so that a row cannot pass on a guard's refusal flashed on a redirect.

Speed: the world is built once for the module and every feature's objects once per feature,
inside a transaction that is never committed; each check runs in a savepoint rolled back after
it. ``pytest -q`` ends with the size of the matrix (see ``pytest_terminal_summary`` in
conftest.py).
"""
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from types import FunctionType
from typing import Any, Callable
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from tests.factories import PASSWORD, make_user, make_world
from tests.matrix import (
    Unchanged,
    admin,
    api,
    cases,
    followup,
    meetings,
    oversight,
    other,
    printing,
    voting,
    workcalendar,
)
from tracker.api import tokens
from tracker.auth.models import MemberRole, Membership, OfficialScope
from tracker.extensions import db, limiter
from tracker.places.models import District, PartyKind

ROLES = ("anonymous", "nobody", "liaison", "liaison_out", "residents_member", "owners_member",
         "owners_member_out", "property_rep", "property_rep_out", "official", "official_out",
         "district_official", "district_official_out", "admin")
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Row:
    feature: str
    name: str
    endpoint: str
    method: str
    url: Callable[[Any], str]
    expected: dict[str, Any]
    data: Callable[[Any], dict] | None = None
    json: Callable[[Any], dict] | None = None
    token: bool = False  # the API: the role's bearer token instead of the session

    @property
    def id(self) -> str:
        return f"{self.feature}: {self.name}"


def derived(expected: dict[str, Any]) -> dict[str, Any]:
    """Fill the columns a feature table leaves out, from the ones it has:

    - a district official sees and does what the street official does in their street;
    - a residents' committee member of the compound gets what its property manager gets (a
      party member who is neither the raiser, a voter nor the responsible party);
    - the property manager of another compound of the same community gets what the liaison of
      another community gets where that is "not found", else what a party member gets; so does
      a voting owners' committee member of another compound;
    - a person without any role gets what that outsider gets;
    - an official of another district gets what the official of another street gets.
    """
    answers = dict(expected)
    others = answers.pop("others", None)  # "everyone not named": e.g. administration pages
    if others is not None:
        answers.update({role: others for role in ROLES if role not in answers})
    answers.setdefault("district_official", answers["official"])
    answers.setdefault("residents_member", answers["property_rep"])
    if "property_rep_out" not in answers:
        answers["property_rep_out"] = 404 if answers["liaison_out"] == 404 \
            else answers["property_rep"]
    answers.setdefault("owners_member_out", answers["property_rep_out"])
    answers.setdefault("nobody", answers["property_rep_out"])
    answers.setdefault("district_official_out", answers["official_out"])
    assert set(answers) >= set(ROLES), set(ROLES) - set(answers)
    return {role: answers[role] for role in ROLES}


# --- the features' tables, as rows -------------------------------------------------------------

def _rows() -> list[Row]:
    rows = []
    for feature, table in (("cases", cases), ("meetings", meetings), ("voting", voting),
                           ("printing", printing)):
        for name, s in table.SCENARIOS.items():
            rows.append(Row(feature, name, s.endpoint, s.method, s.url, derived(s.expected),
                            s.data))
    for name, (endpoint, url, expected) in oversight.SCENARIOS.items():
        rows.append(Row("oversight", name, endpoint, "GET", lambda t, url=url: url(t.world),
                        derived(expected)))
    for name, s in api.SCENARIOS.items():
        rows.append(Row("api", name, s.endpoint, s.method, s.url,
                        {**derived(s.expected), "revoked": s.expected["revoked"]}, s.files,
                        s.json, token=not s.endpoint.startswith("api_tokens")))
    for feature, table in (("followup", followup), ("admin", admin), ("other", other),
                           ("workcalendar", workcalendar)):
        for name, (endpoint, method, url, expected, data) in table.SCENARIOS.items():
            rows.append(Row(feature, name, endpoint, method, url, derived(expected), data))
    return rows


ROWS = _rows()
TARGETS = {"cases": cases.make_targets, "meetings": meetings.Targets, "voting": voting.Targets,
           "followup": followup.Targets, "oversight": oversight.Targets,
           "printing": printing.Targets, "api": api.Targets, "admin": admin.Targets,
           "other": other.Targets, "workcalendar": workcalendar.Targets}


def url_map_routes(app) -> set[tuple[str, str]]:
    """Every rule × method of the app (HEAD and OPTIONS are answered by Flask itself)."""
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}}


# --- running the checks --------------------------------------------------------------------

CHEAP_HASH = "pbkdf2:sha256:1"


def _add_outsiders(world) -> None:
    """The property manager of 邮电小区 (横堤社区, like 德富花园), a voting owners' committee member
    of 正街花园 (北湖正街社区), an official of another district; cheap password hashes."""
    u = world.users
    company = world.mc_compound.party_of(PartyKind.property_company)
    committee = world.neighbour_compound.party_of(PartyKind.owners_committee)
    u["property_rep_out"] = make_user("property_rep_out", "孙伟")
    u["owners_member_out"] = make_user("owners_member_out", "钱程")
    u["district_official_out"] = make_user("district_official_out", "周立")
    db.session.add_all([
        Membership(user=u["property_rep_out"], party=company, role=MemberRole.manager),
        Membership(user=u["owners_member_out"], party=committee, role=MemberRole.member,
                   votes=True),
        OfficialScope(user=u["district_official_out"], district=District(name="武昌区")),
    ])
    for person in world.users.values():
        person.password_hash = generate_password_hash(PASSWORD, method=CHEAP_HASH)
    db.session.commit()


@dataclass
class Matrix:
    """The world in a transaction of its own; a savepoint per feature and per check."""
    app: Any
    connection: Any
    world: Any
    feature: str | None = None
    feature_savepoint: Any = None
    targets: Any = None
    before: dict | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    def make_tokens(self) -> None:
        for role in ROLES[1:]:
            _record, self.tokens[role] = tokens.create_token(self.world.users[role], "matrix")
        record, self.tokens["revoked"] = tokens.create_token(self.world.liaison, "revoked")
        tokens.revoke_token(record, self.world.liaison)
        db.session.commit()

    def enter(self, feature: str) -> None:
        """Build ``feature``'s objects (once while its rows run)."""
        if feature == self.feature:
            return
        self.leave()
        self.feature_savepoint = self.connection.begin_nested()
        self.targets = TARGETS[feature](self.world)
        for row in ROWS:  # touch every object the rows point at, so it is built here
            if row.feature == feature:
                row.url(self.targets)
                for make in (row.data, row.json):
                    if make:
                        make(self.targets)
        db.session.commit()
        self.before = snapshot()
        self.feature = feature

    def leave(self) -> None:
        db.session.rollback()
        if self.feature_savepoint is not None and self.feature_savepoint.is_active:
            self.feature_savepoint.rollback()
        db.session.expire_all()
        self.feature = self.feature_savepoint = self.targets = self.before = None

    @contextmanager
    def check(self):
        db.session.rollback()
        savepoint = self.connection.begin_nested()
        try:
            yield
        finally:
            db.session.rollback()
            if savepoint.is_active:
                savepoint.rollback()
            _forget_request_attributes()
            db.session.expire_all()
            limiter.reset()


def _forget_request_attributes() -> None:
    """Drop what a view set on the objects beyond their columns (the API's ``annotate`` sets
    ``task.overdue``, shadowing the method). A real request's session ends with it; here the
    objects outlive the request."""
    for obj in list(db.session.identity_map.values()):
        for name in [n for n in vars(obj) if not n.startswith("_")
                     and isinstance(getattr(type(obj), n, None), FunctionType)]:
            del vars(obj)[name]


# Columns a refused request may still write: when a token was last used (user_for_token in
# tracker/api/tokens.py commits it on its own, whatever the request's outcome).
IGNORED_COLUMNS = {("api_tokens", "last_used_at")}


def snapshot() -> dict[str, list]:
    """Every table's rows, in primary-key order (the changeable columns only), read with the
    driver's cursor on the matrix's connection: a few milliseconds for the whole database."""
    cursor = db.session.connection().connection.driver_connection.cursor()
    tables = {}
    for name, sql in _snapshot_queries(db.session.get_bind().dialect).items():
        cursor.execute(sql)
        tables[name] = cursor.fetchall()
    cursor.close()
    return tables


@cache
def _snapshot_queries(dialect) -> dict[str, str]:
    queries = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.c if (table.name, c.name) not in IGNORED_COLUMNS]
        query = select(*columns).order_by(*table.primary_key.columns)
        queries[table.name] = str(query.compile(dialect=dialect))
    return queries


@pytest.fixture(scope="module")
def matrix(app):
    """The session joined to one connection's transaction, rolled back at the end."""
    from flask_sqlalchemy.session import Session

    class JoinedSession(Session):
        def get_bind(self, *args, **kwargs):
            return self.bind

    ctx = app.app_context()
    ctx.push()
    db.session.remove()
    connection = db.engine.connect()
    # On SQLite the first savepoint opens it (tracker/core/database.py), so that releasing the
    # savepoints below does not commit.
    transaction = connection.begin()
    joined = db._make_scoped_session({"class_": JoinedSession, "bind": connection,
                                      "join_transaction_mode": "create_savepoint"})
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(db, "session", joined)
            patch.setitem(app.config, "PRINT_JOBS_INLINE", True)
            # Passwords are checked (signing, changing one's own) by the dozen: hash them cheaply.
            patch.setitem(app.config, "PASSWORD_HASH_METHOD", CHEAP_HASH)
            try:
                world = make_world()
                _add_outsiders(world)
                state = Matrix(app, connection, world)
                state.make_tokens()
                yield state
                state.leave()
            finally:
                joined.remove()
    finally:
        transaction.rollback()
        connection.close()
        ctx.pop()
        limiter.reset()


def _request(matrix: Matrix, row: Row, role: str, token_of: str | None):
    client = matrix.app.test_client()
    kwargs: dict[str, Any] = {"method": row.method}
    if row.json:
        kwargs["json"] = row.json(matrix.targets)
    if row.data:
        kwargs["data"] = row.data(matrix.targets)
    if row.token:
        if token_of:
            kwargs["headers"] = {"Authorization": f"Bearer {matrix.tokens[token_of]}"}
    elif role != "anonymous":
        with client.session_transaction() as session:
            session["_user_id"] = matrix.world.users[role].get_id()
            session["_fresh"] = True
    return client.open(row.url(matrix.targets), **kwargs)


def _assert_answer(matrix: Matrix, row: Row, role: str, response, expected) -> None:
    must_not_change = isinstance(expected, Unchanged)
    if must_not_change:
        expected = expected.answer
    status, location = expected if isinstance(expected, tuple) else (expected, None)
    assert response.status_code == status, \
        f"{row.method} {row.url(matrix.targets)} as {role}: " \
        f"{response.status_code} {response.get_data(as_text=True)[:300]}"
    if location is not None:
        if "{" in location:
            location = location.format(case=matrix.targets.case.id,
                                       closed=matrix.targets.closed.id)
        parts = urlsplit(response.location)
        query, fragment = f"?{parts.query}" if parts.query else "", \
            f"#{parts.fragment}" if parts.fragment else ""
        assert any(re.fullmatch(location, parts.path + tail)
                   for tail in ("", query, fragment, query + fragment)), response.location
    elif status >= 400 and row.url(matrix.targets).startswith("/api/"):
        assert response.content_type == "application/problem+json"
    if row.method not in MUTATING:
        return
    refused = status in (400, 401, 403, 404) or \
        (role == "anonymous" and status == 302 and urlsplit(response.location).path == "/login")
    db.session.rollback()  # what the request left uncommitted ends with it
    after = snapshot()
    changed = sorted(t for t in after if after[t] != matrix.before[t])
    if refused or must_not_change:
        assert not changed, f"a refused {row.method} as {role} changed {changed}"
    else:  # an allowed change that is refused with a message on the page is no success
        assert changed, f"an allowed {row.method} as {role} changed nothing"


def without_rows(app) -> list[tuple[str, str]]:
    return sorted(url_map_routes(app) - {(row.endpoint, row.method) for row in ROWS})


def test_every_route_is_in_the_matrix(app):
    missing = without_rows(app)
    assert not missing, f"routes without a row in the permission matrix (tests/matrix/): {missing}"
    stale = sorted({(row.endpoint, row.method) for row in ROWS} - url_map_routes(app))
    assert not stale, f"rows for routes that no longer exist: {stale}"


def test_a_route_added_without_a_row_is_named(app):
    from tracker import create_app
    probe = create_app({**app.config, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    probe.add_url_rule("/cases/<int:case_id>/archive", "cases.archive", lambda case_id: "",
                       methods=["GET", "POST"])
    assert without_rows(probe) == [("cases.archive", "GET"), ("cases.archive", "POST")]


@pytest.mark.parametrize(("row", "role"), [
    pytest.param(row, role, id=f"{row.id}-{role}") for row in ROWS for role in ROLES])
def test_route(app, matrix, row, role):
    """One route × one role: the answer, and whether the database changed as it should."""
    matrix.enter(row.feature)
    with matrix.check():
        # The row must name the route it means: its URL has to reach that endpoint.
        url = row.url(matrix.targets)
        endpoint, _ = app.url_map.bind("localhost").match(urlsplit(url).path, method=row.method)
        assert endpoint == row.endpoint, url
        response = _request(matrix, row, role, role if role != "anonymous" else None)
        _assert_answer(matrix, row, role, response, row.expected[role])
    if row.token and role == "anonymous":
        with matrix.check():  # a revoked token is no token
            response = _request(matrix, row, role, "revoked")
            _assert_answer(matrix, row, "revoked", response, row.expected["revoked"])


SIZE: tuple[int, int, int, float] | None = None  # for the summary line (conftest.py)


@pytest.fixture(scope="module", autouse=True)
def matrix_size(app):
    """Rule × method pairs covered, rows, roles, and the share of the URL map covered."""
    global SIZE
    routes = url_map_routes(app)
    covered = {(row.endpoint, row.method) for row in ROWS} & routes
    SIZE = (len(covered), len(ROWS), len(ROLES), len(covered) / len(routes))
