"""Two people act on the same case at the same moment: one wins, the other is told (DESIGN §3).

Each request runs in its own thread, so in its own application context and database session,
as on two gunicorn workers. A barrier holds both requests after they have loaded the case and
checked the version they were shown, until both are there; only then do they write.
"""
import threading

import pytest
from sqlalchemy import func, make_url, select

from tests.conftest import page_text, shown
from tests.factories import make_case
from tracker.audit.models import AuditEvent
from tracker.cases import operations, views
from tracker.cases.models import Case, CaseState
from tracker.extensions import db

CHANGED = "This case was changed by someone else in the meantime. " \
          "Please look at its current state and try again."


@pytest.fixture(autouse=True)
def postgresql_only(app):
    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite lets one writer at a time hold the whole database, "
                    "so two transactions never overlap; set TEST_DATABASE_URL to run this")


def test_simultaneous_withdrawals(app, world, monkeypatch):
    case = make_case(world.compound, world.liaison)
    case_id, version = case.id, case.version
    barrier = threading.Barrier(2, timeout=10)
    real_transition = views.transition

    def transition_together(case, *args, **kwargs):
        assert case.version == version  # loaded before either request wrote
        barrier.wait()
        return real_transition(case, *args, **kwargs)

    monkeypatch.setattr(views, "transition", transition_together)
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        with client.session_transaction() as session:
            session["_user_id"] = world.liaison.get_id()
    responses = [None, None]

    def withdraw(i):
        responses[i] = clients[i].post(f"/cases/{case_id}/actions/withdraw", data={
            "reason": f"第{i}位同事撤销", "version": str(version)})

    threads = [threading.Thread(target=withdraw, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(r.status_code for r in responses) == [302, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert shown(CHANGED) in page_text(loser)
    db.session.expire_all()
    assert db.session.get(Case, case_id).state == CaseState.withdrawn
    assert db.session.get(Case, case_id).version == version + 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.subject_id == case_id, AuditEvent.action == "withdraw")) == 1


def test_simultaneous_raises_get_different_numbers(app, world, monkeypatch):
    """Both reach the numbering at the same moment; the compound's lock lets one number at a
    time, so the second reads the first's number and takes the next, with no collision."""
    barrier = threading.Barrier(2, timeout=10)
    real_raise_case = operations.raise_case
    real_next_seq = operations._next_seq
    picked = []

    def raise_case_together(*args, **kwargs):
        barrier.wait()  # both requests are past their checks and about to number a case
        return real_raise_case(*args, **kwargs)

    def next_seq_recorded(compound_id, year):
        seq = real_next_seq(compound_id, year)
        picked.append(seq)
        return seq

    monkeypatch.setattr(operations, "raise_case", raise_case_together)
    monkeypatch.setattr(operations, "_next_seq", next_seq_recorded)
    clients = [app.test_client() for _ in range(2)]
    for client, who in zip(clients, (world.liaison, world.owners_member)):
        with client.session_transaction() as session:
            session["_user_id"] = who.get_id()
    responses = [None, None]
    compound_id = world.compound.id

    def raise_case(i):
        responses[i] = clients[i].post("/cases/new", data={
            "compound": str(compound_id), "title": f"同时立案{i}", "category": "parking",
            "source": "walk_in", "description": "两人同时提交。"})

    threads = [threading.Thread(target=raise_case, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [r.status_code for r in responses] == [302, 302]
    numbers = sorted(db.session.scalars(select(Case.number)))
    assert [n[-3:] for n in numbers] == ["001", "002"]
    assert picked == [1, 2]  # the second waited for the first's number: no collision
