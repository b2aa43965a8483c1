"""Reads of the audit log outside the hash chain's own walk (:mod:`tracker.audit.chain`)."""
from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.extensions import db


def event_id_with_hash(event_hash: str) -> int | None:
    """The id of the event whose hash is ``event_hash``: a head recorded earlier is still in
    the chain when one is found."""
    return db.session.scalar(select(AuditEvent.id).where(AuditEvent.hash == event_hash))
