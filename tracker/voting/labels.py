from tracker.core.cache import request_cached
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import label, register_labels
from tracker.meetings.minutes import reads_decisions
from tracker.meetings.outcomes import ItemOutcome, recorded_outcome
from tracker.voting.models import DeadlineTier, DecidingBody, VoteState

register_labels(DecidingBody, {
    DecidingBody.owners_committee: _l("Owners' committee"),
    DecidingBody.management_committee: _l("Management committee"),
    DecidingBody.owners_assembly: _l("Owners' joint decision (Civil Code art. 278)"),
})
register_labels(DeadlineTier, {
    DeadlineTier.urgent: _l("Urgent: 2 hours"),
    DeadlineTier.one_day: _l("24 hours (water, power, gas, heating)"),
    DeadlineTier.general: _l("7 working days"),
    DeadlineTier.complex: _l("15 working days"),
})
register_labels(VoteState, {VoteState.open: _l("Voting"), VoteState.closed: _l("Vote closed")})

CHOICE_LABELS = {"for": _l("For"), "against": _l("Against"), "abstain": _l("Abstain")}


def choice_label(value: str | None) -> str:
    return str(CHOICE_LABELS.get(value, "—")) if value else "—"


def item_vote_text(item) -> str:
    """The vote line of an agenda item in the minutes (empty when no vote has closed)."""
    from sqlalchemy import select

    from tracker.extensions import db
    from tracker.voting.models import Resolution, Vote
    vote = db.session.scalar(select(Vote).join(Resolution).where(
        Resolution.case_id == item.case_id, Resolution.meeting_id == item.meeting_id,
        Vote.result.is_not(None)).order_by(Vote.id.desc()).limit(1))
    return vote.result["explanation_zh"] if vote else ""


OUTCOME_LABELS = {
    "passed": _l("passed"), "failed": _l("not passed"), "voting": _l("vote open"),
    "proposed": _l("no vote yet"), "deferred": _l("deferred to the next meeting"),
    "no_decision": _l("no decision needed"),
    "undecided": _l("nothing decided yet: goes to the next meeting when the minutes issue"),
}


def outcome_label(outcome: ItemOutcome) -> str:
    """The outcome's kind as the pages say it, in the page's language."""
    return str(OUTCOME_LABELS[outcome.kind])


def item_outcome(item) -> ItemOutcome:
    """The agenda item's outcome: from its latest resolution, else from what the meeting
    recorded on the item (a resolution cannot be proposed on a disposed item, nor an item with
    one disposed), else undecided."""
    resolution = item_resolution(item)
    if resolution is None:
        return recorded_outcome(item)
    if resolution.passed is not None:
        kind = "passed" if resolution.passed else "failed"
    else:
        kind = "voting" if resolution.vote is not None else "proposed"
    responsible = resolution.responsible_party.name if resolution.responsible_party \
        else resolution.responsible_text
    return ItemOutcome(kind, resolution.text, responsible, label(resolution.deadline_tier))


@reads_decisions
def decisions(meeting) -> dict:
    """What the minutes' record binds for each agenda item with a resolution — its text, parties
    and deadline as stored, where its vote stands, and the vote's result sentence — or with a
    deferral or "no decision needed" recorded, and why."""
    decided = {}
    for item in meeting.agenda:
        resolution = item_resolution(item)
        if resolution is None and item.disposal is not None:
            decided[str(item.case_id)] = {"disposal": item.disposal.value,
                                          "note": item.disposal_note}
        elif resolution is not None:
            decided[str(item.case_id)] = {
                "resolution": resolution.text, "passed": resolution.passed,
                "responsible_party": resolution.responsible_party_id,
                "responsible": resolution.responsible_text,
                "deadline": resolution.deadline_tier.value,
                "vote": item_vote_text(item)}
    return decided


def item_resolution(item):
    """The latest resolution proposed for an agenda item's case at its meeting, or ``None``.
    The meeting page asks for each item: the first question reads every item's at once (with
    its vote), and the rest of the request answers from that."""
    return _latest_resolutions(item.meeting_id).get(item.case_id)


@request_cached
def _latest_resolutions(meeting_id: int) -> dict:
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    from tracker.extensions import db
    from tracker.voting.models import Resolution
    latest = {}
    for resolution in db.session.scalars(
            select(Resolution).options(joinedload(Resolution.vote))
            .where(Resolution.meeting_id == meeting_id).order_by(Resolution.id)):
        latest[resolution.case_id] = resolution  # in id order: the last one stays
    return latest


def result_sentence(record: dict) -> str:
    """A stored vote result's explanation in the page's language: the Chinese one is the record;
    an English reader gets the same figures and verdicts in English."""
    from flask_babel import get_locale

    from tracker.voting.rules import AssemblyOutcome, Outcome
    if str(get_locale()).startswith("zh"):
        return record["explanation_zh"]
    kind = AssemblyOutcome if record.get("type") == "owners_assembly" else Outcome
    try:
        return kind.from_record(record).explanation_en
    except (KeyError, ValueError):  # a record this version cannot read back: say it as stored
        return record["explanation_zh"]


def event_note(event) -> str:
    """A timeline event's note in the page's language: a vote closed without a typed reason
    notes its result sentence, which an English reader gets in English with the same figures;
    anything a person typed stays as typed."""
    from flask_babel import get_locale

    from tracker.extensions import db
    from tracker.voting.models import Vote
    vote_id = (event.data or {}).get("vote_id")
    if vote_id is None or str(get_locale()).startswith("zh") \
            or not event.action.startswith("close_vote"):
        return event.note
    vote = db.session.get(Vote, vote_id)
    if vote is None or not vote.result or vote.result.get("explanation_zh") != event.note:
        return event.note
    return result_sentence(vote.result)


def tally_sentence(outcome) -> str:
    """A running tally's explanation in the page's language."""
    from flask_babel import get_locale
    return outcome.explanation_zh if str(get_locale()).startswith("zh") else outcome.explanation_en


def matter_label(value: str) -> str:
    from tracker.voting.rules import Matter
    matter = Matter(value)
    return f"民法典第二百七十八条第（{matter.item}）项：{matter.label_zh}"
