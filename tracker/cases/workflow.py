"""The only code that changes a case's state (DESIGN §3).

``transition(case, action, actor, …)`` checks the transition table, the actor's permission, the
action's guard and the version the actor saw; then changes the state and writes the audit event in
the same transaction. It flushes and never commits: the view commits once.

Actions that depend on meetings, votes and follow-up have guards that those features register with
:func:`register_guard` (they stand above ``cases`` and may not be imported from here). Until its
guard is registered, such an action is refused.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Callable

from sqlalchemy.orm.exc import StaleDataError

from tracker.audit.operations import log
from tracker.auth.models import User
from tracker.cases import policy
from tracker.cases.models import Case, CaseState
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.time import utcnow
from tracker.extensions import db


class Action(enum.Enum):
    put_on_agenda = "put_on_agenda"
    take_off_agenda = "take_off_agenda"
    carry_over = "carry_over"
    conclude_without_decision = "conclude_without_decision"
    propose_resolution = "propose_resolution"
    close_vote_passed = "close_vote_passed"
    close_vote_rejected = "close_vote_rejected"
    close_after_visit = "close_after_visit"
    reopen = "reopen"
    withdraw = "withdraw"


class TransitionRefused(Exception):
    """The action is not possible now; ``message`` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotPermitted(TransitionRefused):
    pass


class CaseChanged(TransitionRefused):
    """Someone else changed the case after the actor loaded it."""

    def __init__(self):
        super().__init__(_l("This case was changed by someone else in the meantime. "
                            "Please look at its current state and try again."))


Permission = Callable[[User, Case], bool]
Guard = Callable[[Case, User, dict], None]  # raises TransitionRefused


@dataclass(frozen=True)
class Transition:
    sources: frozenset[CaseState]
    target: CaseState
    allowed: Permission
    needs_reason: bool = False
    needs_guard: bool = False  # wired by a feature above cases


def _automatic(_actor: User, _case: Case) -> bool:
    """Steps the app takes as a consequence of another (a meeting closing); the guard checks
    that consequence, whoever triggered it."""
    return True


_S = CaseState
TRANSITIONS: dict[Action, Transition] = {
    Action.put_on_agenda: Transition(frozenset({_S.raised}), _S.meeting,
                                     policy.is_case_liaison, needs_guard=True),
    Action.take_off_agenda: Transition(frozenset({_S.meeting}), _S.raised,
                                       policy.is_case_liaison, needs_reason=True),
    # A case left undecided when its meeting closes goes back, marked, for the next meeting.
    Action.carry_over: Transition(frozenset({_S.meeting}), _S.raised, _automatic,
                                  needs_guard=True),
    # The meeting recorded that the item needs no decision (the table's "withdraw", taken by
    # the issued minutes rather than a person): the case ends with them.
    Action.conclude_without_decision: Transition(frozenset({_S.meeting}), _S.withdrawn,
                                                 _automatic, needs_guard=True),
    Action.propose_resolution: Transition(frozenset({_S.meeting}), _S.resolution,
                                          policy.is_case_liaison, needs_guard=True),
    Action.close_vote_passed: Transition(frozenset({_S.resolution}), _S.follow_up,
                                         policy.is_case_liaison, needs_guard=True),
    Action.close_vote_rejected: Transition(frozenset({_S.resolution}), _S.raised,
                                           policy.is_case_liaison, needs_reason=True,
                                           needs_guard=True),
    Action.close_after_visit: Transition(frozenset({_S.follow_up}), _S.closed,
                                         policy.is_case_liaison, needs_guard=True),
    Action.reopen: Transition(frozenset({_S.closed}), _S.follow_up,
                              policy.is_liaison_or_official, needs_reason=True),
    Action.withdraw: Transition(frozenset({_S.raised, _S.meeting}), _S.withdrawn,
                                policy.is_case_liaison, needs_reason=True),
}

_GUARDS: dict[Action, Guard] = {}
_AFTER: dict[Action, list[Callable[[Case, User | None, dict], None]]] = {}


def register_guard(action: Action, guard: Guard) -> None:
    _GUARDS[action] = guard


def register_after(action: Action, callback: Callable[[Case, User | None, dict], None]) -> None:
    """Run ``callback(case, actor, context)`` after ``action``, in the same transaction — how a
    feature above cases reacts to a step (a passed vote creates the follow-up task)."""
    _AFTER.setdefault(action, []).append(callback)


def available_actions(case: Case, actor: User) -> list[Action]:
    """Actions the actor could take now; the page shows buttons only for these."""
    return [action for action, t in TRANSITIONS.items()
            if case.state in t.sources and (not t.needs_guard or action in _GUARDS)
            and t.allowed is not _automatic and t.allowed(actor, case)]


# Steps the app itself may take, with no person acting (``actor=None``): a vote closing at its
# deadline (DESIGN §3). Their guards check the circumstance.
SYSTEM_ACTIONS = frozenset({Action.close_vote_passed, Action.close_vote_rejected})


def transition(case: Case, action: Action, actor: User | None, *,
               expected_version: int | None, reason: str = "",
               context: dict | None = None) -> None:
    """Move ``case`` by ``action``.

    :param expected_version: the version the actor's page showed; ``None`` only for automatic
        steps (a vote closing at its deadline) that read the case in this transaction.
    :raise NotPermitted: the actor may not take this action on this case.
    :raise CaseChanged: the case changed since the actor loaded it.
    :raise TransitionRefused: the state, reason or guard does not allow it.
    """
    rule = TRANSITIONS[action]
    if not (action in SYSTEM_ACTIONS if actor is None else rule.allowed(actor, case)):
        raise NotPermitted(_l("You may not do this with this case."))
    if expected_version is not None and expected_version != case.version:
        raise CaseChanged()
    if case.state not in rule.sources:
        raise TransitionRefused(_l("This is not possible while the case is in this state."))
    reason = (reason or "").strip()
    if rule.needs_reason and not reason:
        raise TransitionRefused(_l("Please give a reason."))
    if rule.needs_guard:
        guard = _GUARDS.get(action)
        if guard is None:
            raise TransitionRefused(_l("This step is not available yet."))
        guard(case, actor, context or {})
    source = case.state
    case.state = rule.target
    _stamp_stage(case)
    if action == Action.carry_over:
        case.carried_over = True
    log(actor, "case", case.id, action.value, from_state=source, to_state=rule.target,
        note=reason, data=_auditable(context or {}))
    flush_case()
    for callback in _AFTER.get(action, ()):
        callback(case, actor, context or {})


# The column that remembers when a case last entered a stage (raised_at is set on creation).
STAGE_COLUMNS = {
    CaseState.meeting: "on_agenda_at",
    CaseState.resolution: "resolution_at",
    CaseState.follow_up: "follow_up_at",
    CaseState.closed: "closed_at",
}


def _stamp_stage(case: Case) -> None:
    column = STAGE_COLUMNS.get(case.state)
    if column:
        setattr(case, column, utcnow())
    if case.state != CaseState.closed:
        case.closed_at = None  # a reopened case is not closed any more


def _auditable(context: dict) -> dict:
    """The context as the audit log keeps it: records by id (``meeting`` → ``meeting_id``)."""
    data = {}
    for key, value in context.items():
        if hasattr(value, "__table__"):
            data[f"{key}_id"] = value.id
        elif isinstance(value, (str, int, float, bool, type(None))):
            data[key] = value
    return data


def flush_case() -> None:
    """Flush, turning a lost optimistic-lock race into :class:`CaseChanged`."""
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise CaseChanged() from exc
