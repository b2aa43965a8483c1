"""The audit log is a hash chain: ``flask audit verify`` finds the first edited, inserted or
deleted event (exit 1) or counts the events it verified (exit 0)."""
import threading

import pytest
from sqlalchemy import func, make_url, select, text, update

from tests.factories import make_case
from tracker.audit.chain import event_hash, verify_chain
from tracker.audit.models import AuditEvent
from tracker.audit.operations import log
from tracker.core.time import utcnow
from tracker.extensions import db


@pytest.fixture
def events(world):
    """Five committed events after the world's own (ids in chain order)."""
    for i in range(5):
        log(world.liaison, "case", 1000 + i, "test", note=f"第{i}条 ✓", data={"i": i, "z": [1]})
    db.session.commit()
    return list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def test_an_untouched_chain_verifies(app, events):
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert f"OK: {len(events)} audit events verified" in result.output


def test_events_of_one_transaction_and_of_the_workflow_chain(app, world):
    make_case(world.compound, world.liaison)
    log(None, "case", 1, "a", data={8: "x", 10: ("y", 1)})  # stored as {"8": …, "10": […]}
    log(None, "case", 1, "b")
    db.session.flush()
    log(None, "case", 1, "c")
    db.session.commit()
    assert verify_chain(db.session).valid


def test_an_edited_event_is_caught(app, events):
    db.session.execute(update(AuditEvent).where(AuditEvent.id == events[2])
                       .values(note="改过的记录"))
    db.session.commit()
    result = verify(app)
    assert result.exit_code == 1
    assert f"event {events[2]} was edited" in result.output


def test_a_deleted_event_is_caught(app, events):
    db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.id == events[2]))
    db.session.commit()
    result = verify(app)
    assert result.exit_code == 1
    assert f"before event {events[3]} was deleted" in result.output


def _forged_row(prev_hash: str, event_id: int) -> dict:
    row = {"id": event_id, "created_at": utcnow(), "actor_id": None, "subject_type": "case",
           "subject_id": 1, "action": "forged", "from_state": None, "to_state": None,
           "note": "", "data": {}}
    row["prev_hash"] = prev_hash
    row["hash"] = event_hash(prev_hash, row)
    return row


def _make_room_after(event_id: int) -> None:
    """Move every later event up by 1000 ids (ids are not hashed: the chain stays valid)."""
    db.session.execute(text("UPDATE audit_events SET id = id + 1000 WHERE id > :id"),
                       {"id": event_id})


def test_an_inserted_event_that_links_to_its_predecessor_is_caught(app, events):
    previous = db.session.get(AuditEvent, events[1])
    _make_room_after(previous.id)
    db.session.execute(AuditEvent.__table__.insert(), _forged_row(previous.hash, previous.id + 1))
    db.session.commit()
    result = verify(app)
    assert result.exit_code == 1
    assert f"event {previous.id + 1} was inserted" in result.output


def test_an_inserted_event_with_a_made_up_link_is_caught(app, events):
    _make_room_after(events[1])
    db.session.execute(AuditEvent.__table__.insert(), _forged_row("f" * 64, events[1] + 1))
    db.session.commit()
    result = verify(app)
    assert result.exit_code == 1
    assert f"event {events[1] + 1} was inserted" in result.output


def test_writing_an_event_reads_one_hash(app, world, statements):
    log(world.liaison, "case", 1, "test")
    db.session.flush()
    reads = [s for s in statements if "audit_events" in s and s.lstrip().upper().startswith(
        "SELECT")]
    assert len(reads) == 1 and "LIMIT" in reads[0].upper()


def test_concurrent_writers_keep_one_chain(app, world):
    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite lets one writer at a time hold the whole database, "
                    "so two transactions never overlap; set TEST_DATABASE_URL to run this")
    writers, each = 10, 5
    barrier = threading.Barrier(writers, timeout=20)
    errors = []

    def write(n):
        try:
            with app.app_context():
                barrier.wait()
                for i in range(each):
                    log(None, "case", n, f"w{i}")
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # reported below; a thread's exception is otherwise lost
            errors.append(error)

    before = db.session.scalar(select(func.count(AuditEvent.id)))
    db.session.commit()
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    verdict = verify_chain(db.session)
    assert verdict.valid, verdict.message
    assert verdict.count == before + writers * each


def test_a_recorded_head_catches_events_deleted_from_the_end(app, events):
    head = db.session.get(AuditEvent, events[-1]).hash
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify", "--head", head]).exit_code == 0
    db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.id == events[-1]))
    db.session.commit()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0  # the chain alone cannot tell
    result = runner.invoke(args=["audit", "verify", "--head", head])
    assert result.exit_code == 1
    assert "no event has the recorded head" in result.output
