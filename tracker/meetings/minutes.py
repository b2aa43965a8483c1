"""The minutes' content: its shape, the current revision, and the canonical form that is signed."""
import hashlib
import json

from sqlalchemy import select

from tracker.extensions import db
from tracker.meetings.models import Meeting, MinutesRevision

ITEM_FIELDS = ("background", "decision", "responsible", "deadline")


def blank_item() -> dict:
    return {"background": "", "views": {}, "decision": "", "responsible": "", "deadline": ""}


def current_revision(meeting: Meeting) -> MinutesRevision | None:
    return db.session.scalar(select(MinutesRevision).where(
        MinutesRevision.meeting_id == meeting.id).order_by(MinutesRevision.number.desc())
        .limit(1))


def content_of(meeting: Meeting, revision: MinutesRevision | None) -> dict:
    """The revision's content with an entry for every agenda item (new items start blank)."""
    content = {"items": {}, "other_business": ""}
    if revision is not None:
        content = json.loads(json.dumps(revision.content))
    for item in meeting.agenda:
        content["items"].setdefault(str(item.case_id), blank_item())
    content.setdefault("other_business", "")
    return content


def canonical_record(meeting: Meeting, revision: MinutesRevision | None) -> dict:
    """Everything the signatures vouch for: facts of the meeting, roll call, agenda, minutes."""
    return {
        "meeting": {"number": meeting.number, "community": meeting.community.name,
                    "compounds": [c.name for c in meeting.compounds],
                    "kind": meeting.kind.value, "title": meeting.title,
                    "starts_at": meeting.starts_at.isoformat(), "place": meeting.place,
                    "convener": meeting.convener.name, "chair": meeting.chair.name,
                    "recorder": meeting.recorder.name},
        "attendance": [{"name": a.name, "unit": a.unit, "status": a.status.value}
                       for a in meeting.attendance],
        "agenda": [{"case": item.case.number, "title": item.case.title}
                   for item in meeting.agenda],
        "revision": revision.number if revision else 0,
        "minutes": content_of(meeting, revision),
    }


def canonical_bytes(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def content_sha256(meeting: Meeting) -> str:
    record = canonical_record(meeting, current_revision(meeting))
    return hashlib.sha256(canonical_bytes(record)).hexdigest()
