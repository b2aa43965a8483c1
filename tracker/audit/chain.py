"""The audit log as a hash chain: each event stores the SHA-256 of its own fields and of the
previous event's hash, in id order, so an edited, inserted or deleted row shows.

A chain without a key proves order and integrity against a change made by hand in the database,
not against someone who rewrites every hash after the change; for that, keep the head hash that
``flask audit verify`` prints (the backup manifest records it too) somewhere the database's
administrators cannot write.
"""
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import event, inspect, select, text
from sqlalchemy.orm import Session

from tracker.audit.models import AuditEvent
from tracker.core.time import utcnow

GENESIS = "0" * 64
FIELDS = ("created_at", "actor_id", "subject_type", "subject_id", "action", "from_state",
          "to_state", "note", "data")
# Any 64-bit number that no other part of the application takes as an advisory lock.
ADVISORY_LOCK_KEY = 0x7472_6163_6b61_7564  # "trackaud"


def _timestamp(value: datetime) -> str:
    if value.tzinfo is None:  # SQLite read without the UTCDateTime type (the migration)
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(prev_hash: str, fields: dict) -> str:
    """SHA-256 of the canonical JSON of ``fields`` (the names in FIELDS) and ``prev_hash``.

    Canonical: keys sorted, no spaces, UTF-8, timestamps in UTC with microseconds. Changing this
    invalidates every stored chain: it takes a migration that rewrites the hashes.
    """
    body = {name: fields.get(name) for name in FIELDS}
    body["created_at"] = _timestamp(body["created_at"])
    body["note"] = body["note"] or ""
    # As the JSON column will give it back: integer keys become strings, tuples lists.
    body["data"] = json.loads(json.dumps(body["data"] or {}))
    body["prev_hash"] = prev_hash
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def chain_rows(prev_hash: str, rows: list[dict]) -> str:
    """Fill ``prev_hash`` and ``hash`` of ``rows`` (dicts, in the order they get their ids);
    return the last hash."""
    for row in rows:
        row["prev_hash"] = prev_hash
        row["hash"] = prev_hash = event_hash(prev_hash, row)
    return prev_hash


def last_hash(session: Session) -> str:
    """Lock the chain's end for this transaction and return its hash (one read by primary key).

    PostgreSQL: a transaction-scoped advisory lock, released at commit or rollback, makes writers
    of audit events take turns from here to the end of their transaction, so two transactions
    never both extend the same last event.

    SQLite: one writer at a time holds the database's write lock from its first write to its
    commit, so writers are serialised — but pysqlite opens the transaction only at the first
    INSERT/UPDATE/DELETE, so a read before that runs outside the lock and two processes could read
    the same last hash. A write that changes nothing takes the lock first; the read then sees
    every committed event and no other writer can add one before this transaction ends.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                           {"key": ADVISORY_LOCK_KEY})
    elif connection.dialect.name == "sqlite":
        connection.execute(text("UPDATE audit_events SET id = id WHERE 0"))
    found = connection.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return found or GENESIS


def lock_and_chain(session: Session, rows: list[dict]) -> None:
    """For bulk inserts that bypass the ORM (the generated district): chain ``rows`` in place."""
    chain_rows(last_hash(session), rows)


@event.listens_for(Session, "before_flush")
def _chain_new_events(session: Session, _flush_context, _instances) -> None:
    """Hash the audit events about to be inserted, in the order the flush inserts them (the order
    they were added, which is the order of their ids)."""
    new = sorted((obj for obj in session.new if isinstance(obj, AuditEvent)),
                 key=lambda obj: inspect(obj).insert_order)
    if not new:
        return
    prev = last_hash(session)
    for obj in new:
        if obj.created_at is None:
            obj.created_at = utcnow()
        obj.prev_hash = prev
        obj.hash = prev = event_hash(prev, {name: getattr(obj, name) for name in FIELDS})


@dataclass
class Verdict:
    valid: bool
    count: int                 # events checked
    head: str                  # the last event's hash (GENESIS when there is none)
    problem: str = ""          # edited, inserted, deleted
    event_id: int | None = None
    message: str = ""


def verify_chain(session: Session) -> Verdict:
    """Walk the chain in id order; stop at the first edited, inserted or deleted event."""
    rows = session.execute(select(AuditEvent.id, AuditEvent.prev_hash, AuditEvent.hash,
                                  *[getattr(AuditEvent, name) for name in FIELDS])
                           .order_by(AuditEvent.id)).all()
    seen: dict[str, int] = {}        # hash → position, of events already checked
    expected = GENESIS
    for i, row in enumerate(rows):
        fields = {name: getattr(row, name) for name in FIELDS}
        if row.prev_hash != expected:
            if row.prev_hash in seen:
                # It links to an earlier event: the ones between were inserted.
                first = rows[seen[row.prev_hash] + 1]
                return Verdict(False, i, expected, "inserted", first.id,
                               f"event {first.id} was inserted into the chain")
            if any(later.prev_hash == expected for later in rows[i + 1:]):
                return Verdict(False, i, expected, "inserted", row.id,
                               f"event {row.id} was inserted into the chain")
            after = f"after event {rows[i - 1].id} " if i else ""
            return Verdict(False, i, expected, "deleted", row.id,
                           f"an event {after}before event {row.id} was deleted "
                           f"(or the previous event was rewritten with its hash)")
        if row.hash != event_hash(row.prev_hash, fields):
            return Verdict(False, i, expected, "edited", row.id, f"event {row.id} was edited")
        seen[row.hash] = i
        expected = row.hash
    return Verdict(True, len(rows), expected)
