from tracker.audit.models import AuditEvent
from tracker.extensions import db


def log(actor, subject_type: str, subject_id: int, action: str, *, from_state=None,
        to_state=None, note: str = "", data: dict | None = None) -> AuditEvent:
    """Record a change; the caller's transaction commits (or rolls back) it with the change."""
    event = AuditEvent(actor_id=actor.id if actor else None, subject_type=subject_type,
                       subject_id=subject_id, action=action,
                       from_state=getattr(from_state, "value", from_state),
                       to_state=getattr(to_state, "value", to_state),
                       note=note or "", data=data or {})
    db.session.add(event)
    return event
