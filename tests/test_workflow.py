"""The transition table (DESIGN §3, tracker.cases.workflow.TRANSITIONS), action by action and
state by state: what is allowed works for whoever may do it and writes one audit event; what is
not allowed is refused and changes nothing."""
import re

import pytest
from sqlalchemy import select

from tests.conftest import shown
from tests.factories import make_case, set_state
from tracker.audit.models import AuditEvent
from tracker.cases import workflow
from tracker.cases.models import CaseState
from tracker.cases.workflow import (
    TRANSITIONS,
    Action,
    CaseChanged,
    NotPermitted,
    TransitionRefused,
    available_actions,
    transition,
)
from tracker.extensions import db

OTHERS = ("liaison_out", "owners_member", "property_rep", "residents_member", "official",
          "official_out", "district_official", "admin", "nobody")
# Steps the app takes as the consequence of another (a meeting closing carries its undecided
# cases over): whoever triggered it may, the guard decides, and no page offers it.
AUTOMATIC = {Action.carry_over, Action.conclude_without_decision}
# Who may take each action besides the compound's liaison (DESIGN §3: officials may reopen).
ALSO_PERMITTED = {Action.reopen: {"official", "district_official"},
                  Action.carry_over: set(OTHERS), Action.conclude_without_decision: set(OTHERS)}

ALLOWED = [(action, state) for action, rule in TRANSITIONS.items() for state in rule.sources]
FORBIDDEN = [(action, state) for action, rule in TRANSITIONS.items() for state in CaseState
             if state not in rule.sources]
PERMITTED = [(action, state, who) for action, state in ALLOWED
             for who in ("liaison", *sorted(ALSO_PERMITTED.get(action, ())))]
NOT_PERMITTED = [(action, state, who) for action, state in ALLOWED for who in OTHERS
                 if who not in ALSO_PERMITTED.get(action, ())]


def ids(cases):
    return ["-".join((action.value, "from", state.value, *who))
            for action, state, *who in cases]


@pytest.fixture
def guards(monkeypatch):
    """Register a guard that lets everything through for every action that needs one (the real
    guards belong to meetings, votes and follow-up); undone after the test. Yields the calls."""
    calls = []

    def accept(case, actor, context):
        calls.append((case.id, actor.id, context))

    for action, rule in TRANSITIONS.items():
        if rule.needs_guard:
            monkeypatch.setitem(workflow._GUARDS, action, accept)
    return calls


@pytest.fixture
def no_guards(monkeypatch):
    """As today: no feature has registered its guards (removed for the test if one has)."""
    for action in TRANSITIONS:
        monkeypatch.delitem(workflow._GUARDS, action, raising=False)


def case_in(world, state):
    return set_state(make_case(world.compound, world.owners_member), state)


def events(case, action=None):
    query = select(AuditEvent).where(AuditEvent.subject_type == "case",
                                     AuditEvent.subject_id == case.id)
    if action:
        query = query.where(AuditEvent.action == action.value)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def test_table_matches_the_design():
    """DESIGN §3 in one place, so a change to the table is a deliberate one."""
    S = CaseState
    assert {a: (set(t.sources), t.target, t.needs_reason) for a, t in TRANSITIONS.items()} == {
        Action.put_on_agenda: ({S.raised}, S.meeting, False),
        Action.take_off_agenda: ({S.meeting}, S.raised, True),
        Action.carry_over: ({S.meeting}, S.raised, False),
        # "withdraw" taken by issued minutes that recorded no decision needed
        Action.conclude_without_decision: ({S.meeting}, S.withdrawn, False),
        Action.propose_resolution: ({S.meeting}, S.resolution, False),
        Action.close_vote_passed: ({S.resolution}, S.follow_up, False),
        Action.close_vote_rejected: ({S.resolution}, S.raised, True),
        Action.close_after_visit: ({S.follow_up}, S.closed, False),
        Action.reopen: ({S.closed}, S.follow_up, True),
        Action.withdraw: ({S.raised, S.meeting}, S.withdrawn, True),
    }


@pytest.mark.parametrize(("action", "state", "who"), PERMITTED, ids=ids(PERMITTED))
def test_allowed_transition(world, guards, action, state, who):
    case = case_in(world, state)
    before = case.version
    actor = getattr(world, who)

    transition(case, action, actor, expected_version=before, reason="  业委会认为需要再议  ",
               context={"meeting": 7})
    db.session.commit()

    db.session.refresh(case)
    rule = TRANSITIONS[action]
    assert case.state == rule.target
    assert case.version == before + 1
    [event] = events(case)[1:]  # after the "raise" event: exactly one
    assert (event.action, event.from_state, event.to_state, event.actor_id) == \
        (action.value, state.value, rule.target.value, actor.id)
    assert event.note == "业委会认为需要再议"
    # The guard was asked, with the caller's context, and its context is in the audit event.
    assert guards == ([(case.id, actor.id, {"meeting": 7})] if rule.needs_guard else [])
    assert event.data == {"meeting": 7}


@pytest.mark.parametrize(("action", "state"), FORBIDDEN, ids=ids(FORBIDDEN))
def test_forbidden_transition(world, guards, action, state):
    case = case_in(world, state)

    with pytest.raises(TransitionRefused) as refused:
        transition(case, action, world.liaison, expected_version=case.version, reason="理由")

    assert not isinstance(refused.value, NotPermitted)
    assert str(refused.value) == shown("This is not possible while the case is in this state.")
    db.session.rollback()
    db.session.refresh(case)
    assert case.state == state
    assert len(events(case)) == 1


@pytest.mark.parametrize(("action", "state", "who"), NOT_PERMITTED, ids=ids(NOT_PERMITTED))
def test_only_the_permitted_may_act(world, guards, action, state, who):
    case = case_in(world, state)

    with pytest.raises(NotPermitted):
        transition(case, action, getattr(world, who), expected_version=case.version,
                   reason="理由")

    db.session.rollback()
    db.session.refresh(case)
    assert case.state == state
    assert len(events(case)) == 1


GUARDED = [(a, s) for a, s in ALLOWED if TRANSITIONS[a].needs_guard and a not in AUTOMATIC]


@pytest.mark.parametrize(("action", "state"), GUARDED, ids=ids(GUARDED))
def test_guarded_actions_wait_for_their_guard(world, no_guards, monkeypatch, action, state):
    case = case_in(world, state)

    assert action not in available_actions(case, world.liaison)
    not_yet = re.escape(shown("This step is not available yet."))
    with pytest.raises(TransitionRefused, match=not_yet):
        transition(case, action, world.liaison, expected_version=case.version, reason="理由")

    def refuse(_case, _actor, _context):
        raise TransitionRefused("The meeting has not been held yet.")

    monkeypatch.setitem(workflow._GUARDS, action, refuse)
    assert action in available_actions(case, world.liaison)
    with pytest.raises(TransitionRefused, match="has not been held"):
        transition(case, action, world.liaison, expected_version=case.version, reason="理由")

    db.session.rollback()
    db.session.refresh(case)
    assert case.state == state
    assert len(events(case)) == 1


NEEDS_REASON = [(a, s) for a, s in ALLOWED if TRANSITIONS[a].needs_reason]


@pytest.mark.parametrize(("action", "state"), NEEDS_REASON, ids=ids(NEEDS_REASON))
@pytest.mark.parametrize("reason", ["", "   \n "], ids=["empty", "blank"])
def test_reason_required(world, guards, action, state, reason):
    case = case_in(world, state)

    with pytest.raises(TransitionRefused, match=re.escape(shown("Please give a reason."))):
        transition(case, action, world.liaison, expected_version=case.version, reason=reason)

    db.session.rollback()
    db.session.refresh(case)
    assert case.state == state
    assert len(events(case)) == 1


NO_REASON = [(a, s) for a, s in ALLOWED if not TRANSITIONS[a].needs_reason]


@pytest.mark.parametrize(("action", "state"), NO_REASON, ids=ids(NO_REASON))
def test_reason_optional_elsewhere(world, guards, action, state):
    case = case_in(world, state)

    transition(case, action, world.liaison, expected_version=case.version)

    assert case.state == TRANSITIONS[action].target
    assert events(case)[-1].note == ""


@pytest.mark.parametrize(("action", "state"), ALLOWED, ids=ids(ALLOWED))
def test_stale_version_is_refused(world, guards, action, state):
    case = case_in(world, state)

    with pytest.raises(CaseChanged):
        transition(case, action, world.liaison, expected_version=case.version - 1,
                   reason="理由")

    assert case.state == state


def test_carry_over_is_never_offered_and_marks_the_case(world, guards):
    case = case_in(world, CaseState.meeting)

    assert Action.carry_over not in available_actions(case, world.liaison)
    transition(case, Action.carry_over, world.owners_member, expected_version=None,
               context={"meeting": 7, "closing": True})

    assert case.state == CaseState.raised and case.carried_over


def test_automatic_step_needs_no_version(world, guards):
    """A vote closing at its deadline reads the case itself: ``expected_version=None``."""
    case = case_in(world, CaseState.resolution)

    transition(case, Action.close_vote_passed, world.liaison, expected_version=None)

    assert case.state == CaseState.follow_up


@pytest.mark.parametrize(("state", "liaison", "official"), [
    (CaseState.raised, [Action.withdraw], []),
    (CaseState.meeting, [Action.take_off_agenda, Action.withdraw], []),
    (CaseState.resolution, [], []),
    (CaseState.follow_up, [], []),
    (CaseState.closed, [Action.reopen], [Action.reopen]),
    (CaseState.withdrawn, [], []),
])
def test_available_actions_without_guards(world, no_guards, state, liaison, official):
    case = case_in(world, state)

    assert available_actions(case, world.liaison) == liaison
    assert available_actions(case, world.official) == official
    for who in ("owners_member", "property_rep", "liaison_out", "official_out", "admin"):
        assert available_actions(case, getattr(world, who)) == []


def test_a_case_walks_the_whole_way(world, guards):
    """raise → agenda → resolution → passed → closed → reopened → closed: one event each."""
    case = make_case(world.compound, world.liaison)
    steps = [Action.put_on_agenda, Action.propose_resolution, Action.close_vote_passed,
             Action.close_after_visit, Action.reopen, Action.close_after_visit]
    for step in steps:
        transition(case, step, world.liaison, expected_version=case.version, reason="理由")
        db.session.commit()

    assert case.state == CaseState.closed
    assert [(e.action, e.from_state, e.to_state) for e in events(case)] == [
        ("raise", None, "raised"),
        ("put_on_agenda", "raised", "meeting"),
        ("propose_resolution", "meeting", "resolution"),
        ("close_vote_passed", "resolution", "follow_up"),
        ("close_after_visit", "follow_up", "closed"),
        ("reopen", "closed", "follow_up"),
        ("close_after_visit", "follow_up", "closed"),
    ]
