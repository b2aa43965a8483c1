from tracker.cases.models import CaseCategory, CaseSource, CaseState
from tracker.cases.workflow import Action
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import label, register_labels

register_labels(CaseState, {
    CaseState.raised: _l("Raised"),
    CaseState.meeting: _l("On meeting agenda"),
    CaseState.resolution: _l("Resolution vote"),
    CaseState.follow_up: _l("Follow-up"),
    CaseState.closed: _l("Closed"),
    CaseState.withdrawn: _l("Withdrawn"),
})
register_labels(CaseCategory, {
    CaseCategory.water_supply: _l("Water supply"),
    CaseCategory.power_gas_heating: _l("Power, gas or heating"),
    CaseCategory.parking: _l("Parking"),
    CaseCategory.sanitation: _l("Sanitation and rubbish"),
    CaseCategory.greenery: _l("Greenery"),
    CaseCategory.security: _l("Security"),
    CaseCategory.facilities: _l("Facilities and repairs"),
    CaseCategory.property_fees: _l("Property fees"),
    CaseCategory.property_service: _l("Property service"),
    CaseCategory.neighbour_dispute: _l("Neighbour dispute"),
    CaseCategory.maintenance_fund: _l("Maintenance fund"),
    CaseCategory.property_company_change: _l("Hiring or dismissing the property company"),
    CaseCategory.common_parts_use: _l("Use of common parts"),
    CaseCategory.committee_election: _l("Owners' committee election"),
    CaseCategory.other: _l("Other"),
})
register_labels(CaseSource, {
    CaseSource.evening_forum: _l("Neighbourhood evening forum"),
    CaseSource.building_party_group: _l("Building Party group"),
    CaseSource.hotline_12345: _l("12345 hotline"),
    CaseSource.walk_in: _l("Walk-in"),
    CaseSource.survey: _l("Survey"),
    CaseSource.other: _l("Other"),
})

register_labels(Action, {
    Action.put_on_agenda: _l("Put on the agenda"),
    Action.take_off_agenda: _l("Take off the agenda"),
    Action.carry_over: _l("Carried over to the next meeting"),
    Action.conclude_without_decision: _l("Concluded by the meeting: no decision needed"),
    Action.propose_resolution: _l("Propose a resolution"),
    Action.close_vote_passed: _l("Close the vote as passed"),
    Action.close_vote_rejected: _l("Close the vote as rejected"),
    Action.close_after_visit: _l("Close after the return visit"),
    Action.reopen: _l("Reopen"),
    Action.withdraw: _l("Withdraw"),
})

# What the timeline says of a state change: what happened, in the past tense (the buttons
# above say what to do).
TRANSITION_EVENTS = {
    Action.put_on_agenda: _l("put the case on a meeting's agenda"),
    Action.take_off_agenda: _l("took the case off the agenda"),
    Action.carry_over: _l("carried the case over to the next meeting"),
    Action.conclude_without_decision: _l("concluded the case at the meeting: no decision "
                                         "needed"),
    Action.propose_resolution: _l("proposed a resolution"),
    Action.close_vote_passed: _l("closed the vote: passed"),
    Action.close_vote_rejected: _l("closed the vote: rejected"),
    Action.close_after_visit: _l("made the return visit and closed the case"),
    Action.reopen: _l("reopened the case"),
    Action.withdraw: _l("withdrew the case"),
}

# What the timeline says for events that are not state changes.
EVENT_LABELS = {
    "raise": _l("raised the case"),
    "edit": _l("edited the details"),
    "add_photos": _l("added photos"),
    "task_created": _l("added a follow-up task"),
    "progress": _l("reported progress"),
    "visit_unsatisfied": _l("made a return visit: the resident is not satisfied"),
    "deadline_moved": _l("recomputed a follow-up deadline with the year's holiday arrangement"),
    "deadline_confirmed": _l("confirmed a provisional follow-up deadline with the year's "
                             "holiday arrangement (the date stays)"),
    # Recorded when a passed vote's task could not be created (the holiday calendar lacked
    # the year); such cases still show it.
    "task_not_created": _l("could not create the follow-up task automatically; add it by hand"),
}


def event_label(action: str) -> str:
    if action in EVENT_LABELS:
        return str(EVENT_LABELS[action])
    try:
        return str(TRANSITION_EVENTS[Action(action)])
    except ValueError:
        return str(_l("made a change"))  # never a raw key; the audit log keeps the detail


def state_label(value: str | None) -> str:
    return label(CaseState(value)) if value else "—"
