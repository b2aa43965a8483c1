"""The minutes' content: its shape, the current revision, and the canonical form that is signed."""
import hashlib
import json
from collections.abc import Callable

from sqlalchemy import select

from tracker.extensions import db
from tracker.meetings.models import AttendanceStatus, Meeting, MinutesRevision
from tracker.places.models import DOCUMENT_ORDER

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


# Under 出席, 列席 and 请假 the parties come in the documents' order, then invited guests as they
# were added.


def attendance_groups(meeting: Meeting) -> dict[str, list[tuple[str, list[str]]]]:
    """Who was present, attended without a vote, or sent apologies (by status value), each as
    (organisation, names) in the document's order, the chair marked 主持. A chair who is no party's member (the
    community's liaison presiding) is listed first under 出席, for the community."""
    groups: dict[AttendanceStatus, dict[str, list[str]]] = {status: {} for status in
                                                             AttendanceStatus}
    rank: dict[str, tuple[int, int]] = {}
    chaired = False
    for n, line in enumerate(meeting.attendance):
        name = line.name
        if line.user_id is not None and line.user_id == meeting.chair_id:
            name, chaired = f"{name}（主持）", line.status is AttendanceStatus.present or chaired
        groups[line.status].setdefault(line.unit, []).append(name)
        rank.setdefault(line.unit, (DOCUMENT_ORDER.get(line.party.kind, 9), n) if line.party
                        else (10, n))
    if not chaired:
        community = meeting.community.name
        groups[AttendanceStatus.present] = {community: [f"{meeting.chair.name}（主持）"],
                                            **groups[AttendanceStatus.present]}
        rank.setdefault(community, (-1, -1))
    return {status.value: sorted(units.items(), key=lambda unit: rank[unit[0]])
            for status, units in groups.items()}


# Features that decide agenda items (the votes) add what was decided to the signed record: a vote
# closing after someone signed changes what the minutes say, so that signature is asked again.
_DECISION_READERS: list[Callable[[Meeting], dict]] = []


def reads_decisions(reader: Callable[[Meeting], dict]) -> Callable[[Meeting], dict]:
    """Register ``reader(meeting)`` -> {case id: what was decided on it} for the record."""
    _DECISION_READERS.append(reader)
    return reader


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
        "decisions": {key: decided for reader in _DECISION_READERS
                      for key, decided in reader(meeting).items()},
    }


def canonical_bytes(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def content_sha256(meeting: Meeting) -> str:
    record = canonical_record(meeting, current_revision(meeting))
    return hashlib.sha256(canonical_bytes(record)).hexdigest()
