from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import label, register_labels
from tracker.meetings.models import AttendanceStatus, MeetingKind, MeetingState
from tracker.places.models import PartyKind

register_labels(MeetingState, {
    MeetingState.planned: _l("Planned"),
    MeetingState.held: _l("Held"),
    MeetingState.signed: _l("Minutes signed"),
    MeetingState.cancelled: _l("Cancelled"),
})
register_labels(MeetingKind, {
    MeetingKind.regular: _l("Regular meeting"),
    MeetingKind.extraordinary: _l("Extraordinary meeting"),
})
register_labels(AttendanceStatus, {
    AttendanceStatus.present: _l("Present"),
    AttendanceStatus.leave: _l("Absent with leave"),
    AttendanceStatus.non_voting: _l("Attending without vote"),
})


def meeting_state_label(value: str) -> str:
    return label(MeetingState(value))


def party_kind_label(value: str) -> str:
    return label(PartyKind(value))


def item_party_kinds(item) -> set[str]:
    """Party kinds at the table for an agenda item's compound (whose views the minutes record)."""
    return {party.kind.value for party in item.case.compound.parties}


VERDICT_REASONS = {
    "unsigned": _l("The file carries no digital signature."),
    "unreadable": _l("The file is not a readable PDF."),
    "modified": _l("The file was changed after it was signed."),
    "untrusted": _l("The file was signed with a certificate this system does not use."),
    "unknown": _l("The signature is intact, but no minutes with this content are on record."),
    "too_complex": _l("The file is far more complex than a minutes PDF issued by this system; "
                      "it was not checked."),
}


def verdict_reason(reason: str) -> str:
    return str(VERDICT_REASONS.get(reason, reason))
