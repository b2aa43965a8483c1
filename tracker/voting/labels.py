from tracker.core.cache import request_cached
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import register_labels
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


def matter_label(value: str) -> str:
    from tracker.voting.rules import Matter
    matter = Matter(value)
    return f"民法典第二百七十八条第（{matter.item}）项：{matter.label_zh}"
