"""tracker.core.reading.read_rows: the lean way reads what the ordinary way reads, only for
statements built once, and fails as the ordinary way fails."""
from datetime import timezone

import pytest
from sqlalchemy import bindparam, event, exc, select, text

from tests.factories import make_case
from tests.test_faults import database_fails, driver_error, friendly_errors  # noqa: F401
from tracker.audit.models import AuditEvent
from tracker.cases.models import Case, CaseCategory, CaseState
from tracker.core import reading
from tracker.core.database import first_row_binary
from tracker.core.reading import read_rows
from tracker.core.time import utcnow
from tracker.places.models import Compound

# A statement built once, as the pages' are: a time, an enum, a nullable column, a label.
CASES = (select(Case.id, Case.number, Case.raised_at, Case.state, Case.category,
                Case.resident_name, Compound.name.label("compound_name"))
         .join(Compound, Compound.id == Case.compound_id)
         .where(Case.compound_id == bindparam("compound_id"),
                Case.raised_at >= bindparam("since"))
         .order_by(Case.id))


def _ordinary(db, statement, params):
    return db.session.connection().execute(statement, params).all()


def test_the_lean_way_reads_what_the_ordinary_way_reads(world, db):
    first = make_case(world.compound, world.liaison, resident_name="王阿姨")
    make_case(world.compound, world.liaison, title="电梯异响", category=CaseCategory.parking)
    make_case(world.far_compound, world.liaison)
    params = {"compound_id": world.compound.id,
              "since": first.raised_at.astimezone(timezone.utc)}
    expected = _ordinary(db, CASES, params)
    assert len(expected) == 2

    read_rows(CASES, params)  # first sight: the ordinary way
    rows = read_rows(CASES, params)
    assert CASES in reading._prepared  # second: compiled, read by the driver's cursor
    assert [tuple(row) for row in rows] == [tuple(row) for row in expected]
    assert rows[0].state is CaseState.raised and rows[1].category is CaseCategory.parking
    assert rows[0].raised_at.tzinfo is not None
    assert rows[0].resident_name == "王阿姨" and rows[1].resident_name in (None, "")
    assert rows[0].compound_name == world.compound.name
    assert rows[0]._fields == ("id", "number", "raised_at", "state", "category",
                               "resident_name", "compound_name")


def test_parameters_are_converted_as_sqlalchemy_converts_them(world, db):
    case = make_case(world.compound, world.liaison)
    by_state = select(Case.id).where(Case.state == bindparam("state"))
    read_rows(by_state, {"state": CaseState.raised})
    assert read_rows(by_state, {"state": CaseState.raised}) == [(case.id,)]
    assert read_rows(by_state, {"state": CaseState.closed}) == []


def test_a_statement_built_for_one_request_is_not_compiled_for_the_lean_way(world, db):
    make_case(world.compound, world.liaison)
    for _ in range(3):
        built = select(Case.id).where(Case.compound_id == world.compound.id)
        assert len(read_rows(built)) == 1
        assert built not in reading._prepared


def test_a_list_parameter_goes_the_ordinary_way(world, db):
    cases = [make_case(world.compound, world.liaison).id for _ in range(2)]
    among = select(Case.id).where(Case.id.in_(bindparam("ids", expanding=True))) \
        .order_by(Case.id)
    for _ in range(2):
        assert [id_ for id_, in read_rows(among, {"ids": cases})] == cases
    assert reading._prepared[among][1] is None


# Statement listeners (the tests' statement counts, profilers) and execute listeners.
@pytest.mark.parametrize("listened", ["before_cursor_execute", "before_execute"])
def test_listeners_see_every_statement(world, db, listened):
    make_case(world.compound, world.liaison)
    timeline = select(AuditEvent.action).where(AuditEvent.subject_id == bindparam("case_id"))
    read_rows(timeline, {"case_id": 1})
    seen = []

    def count(*_args):
        seen.append(listened)

    event.listen(db.engine, listened, count)
    try:
        read_rows(timeline, {"case_id": 1})
        read_rows(timeline, {"case_id": 1})
    finally:
        event.remove(db.engine, listened, count)
    assert len(seen) == 2


def _failing_select(db):
    """Make the driver fail on the next SELECT of cases, as ``database_fails`` does."""
    dialect = db.engine.dialect
    real = dialect.do_execute

    def do_execute(cursor, statement, parameters, context=None):
        if statement.lstrip().upper().startswith("SELECT CASES.ID"):
            dialect.do_execute = real
            raise driver_error()
        return real(cursor, statement, parameters, context)
    dialect.do_execute = do_execute
    return real


def test_a_driver_error_is_reported_as_sqlalchemy_reports_it(world, db):
    by_state = select(Case.id).where(Case.state == bindparam("state"))
    read_rows(by_state, {"state": CaseState.raised})
    real = _failing_select(db)
    try:
        with pytest.raises(exc.OperationalError):
            read_rows(by_state, {"state": CaseState.raised})
    finally:
        db.engine.dialect.do_execute = real
    db.session.rollback()
    assert read_rows(by_state, {"state": CaseState.raised}) == []


def test_the_case_list_says_the_database_is_unavailable(world, db, client, login_as,
                                                        friendly_errors):  # noqa: F811
    make_case(world.compound, world.liaison)
    login_as(world.liaison)
    for _ in range(2):  # its statement is then read the lean way
        assert client.get("/cases/").status_code == 200
    real = _failing_select(db)
    try:
        response = client.get("/cases/")
    finally:
        db.engine.dialect.do_execute = real
    assert response.status_code == 503
    assert "Database unavailable" in response.get_data(as_text=True) or \
        "数据库" in response.get_data(as_text=True)
    assert client.get("/cases/").status_code == 200


def test_a_lost_connection_is_reported_as_sqlalchemy_reports_it(world, db):
    by_state = select(Case.id).where(Case.state == bindparam("state"))
    read_rows(by_state, {"state": CaseState.raised})
    dialect = db.engine.dialect
    real = dialect.do_execute
    dbapi = dialect.loaded_dbapi
    # What each driver says when the connection is gone: SQLAlchemy then closes it, and closing
    # the cursor afterwards must not replace the error with one of its own.
    lost = (dbapi.ProgrammingError("Cannot operate on a closed database.")
            if dialect.name == "sqlite" else
            dbapi.OperationalError("server closed the connection unexpectedly"))

    def do_execute(cursor, statement, parameters, context=None):
        dialect.do_execute = real
        raise lost
    dialect.do_execute = do_execute
    try:
        with pytest.raises(exc.DBAPIError) as raised:
            read_rows(by_state, {"state": CaseState.raised})
    finally:
        dialect.do_execute = real
    assert raised.value.orig is lost
    db.session.rollback()
    assert read_rows(by_state, {"state": CaseState.raised}) == []


def test_a_value_its_type_refuses_is_reported_as_sqlalchemy_reports_it(world, db):
    since = select(Case.id).where(Case.raised_at >= bindparam("since"))
    read_rows(since, {"since": utcnow()})
    with pytest.raises(exc.StatementError):  # a time without its zone (UTCDateTime refuses it)
        read_rows(since, {"since": utcnow().replace(tzinfo=None)})


def test_names_a_named_tuple_would_change_are_kept(world, db):
    case = make_case(world.compound, world.liaison, title="电梯异响")
    titled = select(Case.title.label("from"), Case.number.label("_number"))
    for _ in range(2):
        row, = read_rows(titled)
        assert getattr(row, "from") == "电梯异响" and row._number == case.number
        assert row._fields == ("from", "_number")


def test_a_binary_read_reports_a_driver_error_as_sqlalchemy_reports_it(world, db):
    # On PostgreSQL first_row_binary reads through psycopg's own binary cursor.
    missing = text("SELECT id FROM no_such_table WHERE id = :id")
    with pytest.raises(exc.DBAPIError):
        first_row_binary(missing, {"id": 1})
    db.session.rollback()
    assert first_row_binary(select(Case.id).where(Case.id == bindparam("id")), {"id": 1}) is None
