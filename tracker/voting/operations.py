"""The only code that changes resolutions and votes. Functions flush and audit, never commit."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker.audit.operations import log
from tracker.auth.models import MemberRole, User
from tracker.cases.models import Case
from tracker.cases.workflow import Action, TransitionRefused, register_guard, transition
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.meetings import operations as meetings
from tracker.meetings.models import Meeting, MeetingState
from tracker.meetings.quorum import joint_quorum
from tracker.places.models import Party
from tracker.voting import policy, queries, rules
from tracker.voting.models import (
    BallotChange,
    CommitteeBallot,
    DeadlineTier,
    DecidingBody,
    OwnerBallot,
    Resolution,
    Vote,
    VoteState,
)


class VoteRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class VoteChanged(VoteRefused):
    def __init__(self):
        super().__init__(_l("The vote changed in the meantime (another ballot or its closing). "
                            "Please look again and retry."))


def _flush() -> None:
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as exc:
        raise VoteChanged() from exc


# --- guards the case workflow asks ------------------------------------------------------------

def _propose_guard(case: Case, _actor: User, context: dict) -> None:
    """propose_resolution: the meeting was held with quorum and has the case on its agenda."""
    meeting = context.get("meeting")
    if meeting is None or meeting.state not in (MeetingState.held, MeetingState.signed):
        raise TransitionRefused(_l("A resolution is proposed at a meeting that has been held."))
    item = next((item for item in meeting.agenda if item.case_id == case.id), None)
    if item is None:
        raise TransitionRefused(_l("The case is not on this meeting's agenda."))
    # An item has one outcome: a deferral or "no decision needed" is withdrawn before a
    # resolution can take its place (tracker.meetings.operations.dispose_item).
    if item.disposal is not None:
        raise TransitionRefused(_l("The meeting recorded this item as deferred or as needing no "
                                   "decision; withdraw that record before proposing a "
                                   "resolution."))
    if not joint_quorum(meeting).reached:
        raise TransitionRefused(_l("The meeting did not have all three parties present."))


def _closing_guard(case: Case, _actor: User, context: dict) -> None:
    vote = context.get("vote")
    if vote is None or vote.state != VoteState.closed or vote.resolution.case_id != case.id:
        raise TransitionRefused(_l("The case moves on only when its vote closes."))


register_guard(Action.propose_resolution, _propose_guard)
register_guard(Action.close_vote_passed, _closing_guard)
register_guard(Action.close_vote_rejected, _closing_guard)


# --- resolutions -----------------------------------------------------------------------------

def propose_resolution(meeting: Meeting, case: Case, actor: User, *, text: str,
                       responsible_party: Party | None, responsible_text: str,
                       tier: DeadlineTier, body: DecidingBody, matter: str | None,
                       expected_version: int) -> Resolution:
    """:raise VoteRefused: the deciding body does not exist at the compound, or the matter is
    missing for an owners' assembly (民法典 art. 278)."""
    if body == DecidingBody.owners_assembly:
        if not matter:
            raise VoteRefused(_l("Choose which matter of 民法典 art. 278 the owners decide."))
        rules.Matter(matter)
    elif queries.deciding_party(case, body) is None:
        raise VoteRefused(_l("This compound has no such committee."))
    transition(case, Action.propose_resolution, actor, expected_version=expected_version,
               context={"meeting": meeting})
    resolution = Resolution(case=case, meeting_id=meeting.id, text=text,
                            responsible_party=responsible_party,
                            responsible_text=responsible_text, deadline_tier=tier, body=body,
                            matter=matter if body == DecidingBody.owners_assembly else None,
                            proposed_by=actor)
    db.session.add(resolution)
    _flush()
    log(actor, "resolution", resolution.id, "propose", data={"case": case.number,
                                                             "body": body.value})
    meetings.decisions_changed(meeting, actor)
    return resolution


# --- opening ---------------------------------------------------------------------------------

def _committee_eligible(case: Case, body: DecidingBody) -> dict:
    from tracker.voting.rulebooks import rulebook
    party = queries.deciding_party(case, body)
    members = queries.voting_members(party)
    # The place's rulebook and the compound's own rules as the vote opens decide it, whatever
    # is chosen later: a local rulebook's current edition by its code (``hubei.2``), so that a
    # later edition never rewrites this vote's result.
    return {"party_id": party.id, "members": [u.id for _m, u in members],
            "owner_representatives": [u.id for m, u in members
                                      if m.role == MemberRole.owner_representative],
            "names": {str(u.id): u.name for _m, u in members},
            "rulebook": rulebook(case.compound.community.street.district.rulebook).code,
            **({"own_quorum": case.compound.committee_quorum,
                "own_approval": case.compound.committee_approval}
               if body == DecidingBody.owners_committee else {})}


def _assembly_eligible(case: Case) -> dict:
    units = queries.unit_register(case.compound_id)
    total = case.compound.total_area
    if not units or sum(u.area for u in units) != total:
        raise VoteRefused(_l("The unit register does not add up to the compound's total area "
                             "(%(total)s m²); correct the register before an owners' ballot.",
                             total=total))
    return {"total_area": str(total),
            "units": [{"unit_id": u.id, "owner_ref": u.owner_ref,
                       "developer_unsold": u.developer_unsold, "area": str(u.area),
                       "owner_user_id": u.owner_user_id,
                       "label": f"{u.building}{u.number} {u.owner_name}"} for u in units]}


def open_vote(resolution: Resolution, actor: User, *, at_meeting: bool,
              closes_at: datetime | None, non_voters_follow_majority: bool = False) -> Vote:
    """Open the vote, snapshotting who may vote now (later joiners cannot vote)."""
    if resolution.vote is not None:
        raise VoteRefused(_l("This resolution already has a vote."))
    if not at_meeting and (closes_at is None or closes_at <= utcnow()):
        raise VoteRefused(_l("An online vote needs a closing time in the future."))
    case = resolution.case
    eligible = _assembly_eligible(case) if resolution.body == DecidingBody.owners_assembly \
        else _committee_eligible(case, resolution.body)
    if resolution.body != DecidingBody.owners_assembly and not eligible["members"]:
        raise VoteRefused(_l("The committee has no voting members."))
    vote = Vote(resolution=resolution, body=resolution.body, at_meeting=at_meeting,
                closes_at=closes_at, opened_by_id=actor.id, eligible=eligible,
                non_voters_follow_majority=non_voters_follow_majority)
    db.session.add(vote)
    _flush()
    log(actor, "vote", vote.id, "open", to_state=VoteState.open,
        data={"case": case.number, "eligible": len(eligible.get("members")
                                                   or eligible.get("units"))})
    meetings.decisions_changed(db.session.get(Meeting, resolution.meeting_id), actor)
    return vote


# --- committee ballots -----------------------------------------------------------------------

def _lock(vote: Vote) -> None:
    """Take the vote's row lock (PostgreSQL) so ballots and the closing run one after the other:
    a ballot never lands after the result was computed, and the result counts every ballot."""
    db.session.refresh(vote, with_for_update=True)


def _require_open(vote: Vote) -> None:
    _lock(vote)
    if vote.state != VoteState.open or (vote.closes_at and vote.closes_at <= utcnow()):
        raise VoteRefused(_l("The vote is closed."))


def cast_ballot(vote: Vote, voter: User, choice: str, *, entered_by: User | None = None) -> \
        CommitteeBallot:
    """Record ``voter``'s named ballot, or change it (the old choice stays in the history).

    The unique (vote, voter) constraint keeps one ballot per member even when the same member
    submits twice at the same moment: the loser of that race gets :class:`VoteChanged`.
    """
    _require_open(vote)
    if not policy.can_cast(voter, vote):
        raise VoteRefused(_l("Only the committee's voting members when the vote opened vote."))
    choice = rules.Choice(choice).value
    ballot = queries.committee_ballot_of(vote, voter)
    old = ballot.choice if ballot else None
    if ballot is None:
        ballot = CommitteeBallot(vote_id=vote.id, voter_id=voter.id, choice=choice,
                                 entered_by_id=entered_by.id if entered_by else None)
        db.session.add(ballot)
    elif ballot.choice != choice:
        ballot.choice = choice
        ballot.cast_at = utcnow()
        ballot.entered_by_id = entered_by.id if entered_by else None
    else:
        return ballot
    db.session.add(BallotChange(vote_id=vote.id, voter_id=voter.id, old_choice=old,
                                new_choice=choice, changed_by_id=(entered_by or voter).id))
    _flush()
    log(entered_by or voter, "vote", vote.id, "ballot",
        data={"voter": voter.id, "old": old, "new": choice,
              "paper": entered_by is not None})
    return ballot


def record_wrong_paper_password(vote: Vote, entered_by: User, voter_id: int) -> None:
    """Keep in the audit log that a paper ballot was refused for a wrong member's password: a
    liaison typing members' passwords is worth seeing."""
    log(entered_by, "vote", vote.id, "paper_password_wrong", data={"voter": voter_id})


# --- owners' assembly ballots ----------------------------------------------------------------

def enter_owner_ballots(vote: Vote, actor: User, choices: dict[int, str | None]) -> int:
    """Enter or correct unit ballots from signed paper forms; ``None`` removes a ballot entered
    by mistake. Every change keeps the old value and who made it. Returns how many changed."""
    _require_open(vote)
    if vote.body != DecidingBody.owners_assembly:
        raise VoteRefused(_l("Unit ballots belong to an owners' assembly vote."))
    known = {u["unit_id"] for u in vote.eligible["units"]}
    existing = queries.owner_ballot_rows(vote)
    changed = 0
    for unit_id, choice in choices.items():
        if unit_id not in known:
            raise VoteRefused(_l("A unit is not in the register this vote was opened with."))
        choice = rules.Choice(choice).value if choice else None
        ballot = existing.get(unit_id)
        old = ballot.choice if ballot else None
        if old == choice:
            continue
        if ballot is None:
            db.session.add(OwnerBallot(vote_id=vote.id, unit_id=unit_id, choice=choice,
                                       entered_by_id=actor.id))
        elif choice is None:
            db.session.delete(ballot)
        else:
            ballot.choice, ballot.entered_by_id, ballot.entered_at = choice, actor.id, utcnow()
        db.session.add(BallotChange(vote_id=vote.id, unit_id=unit_id, old_choice=old,
                                    new_choice=choice or "", changed_by_id=actor.id))
        changed += 1
    if changed:
        _flush()
        log(actor, "vote", vote.id, "owner_ballots", data={"changed": changed})
    return changed


def cast_owner_ballot(vote: Vote, owner: User, choice: str) -> int:
    """An owner votes online: one choice for all their units, since an owner of several units
    is one person with one vote (SPC interpretation art. 9)."""
    units = queries.units_of(vote, owner)
    if not units:
        raise VoteRefused(_l("You own no unit in the register this vote was opened with."))
    return enter_owner_ballots(vote, owner, {u["unit_id"]: choice for u in units})


# --- closing -----------------------------------------------------------------------------------

def close_vote(vote: Vote, actor: User | None, *, reason: str = "") -> None:
    """Close, store inputs and result, and move the case: passed → follow-up, rejected → raised.

    :raise VoteRefused: already closed, or the entries are inconsistent.
    """
    _lock(vote)
    if vote.state != VoteState.open:
        raise VoteRefused(_l("The vote is already closed."))
    inputs = queries.snapshot(vote)
    try:
        outcome = queries.tally(vote)
    except queries.InconsistentEntries as exc:
        raise VoteRefused(exc.message) from exc
    vote.inputs, vote.result = inputs, outcome.to_record()
    vote.state, vote.closed_at = VoteState.closed, utcnow()
    vote.closed_by_id = actor.id if actor else None
    resolution = vote.resolution
    resolution.passed = outcome.passed
    _flush()
    action = Action.close_vote_passed if outcome.passed else Action.close_vote_rejected
    transition(resolution.case, action, actor, expected_version=None,
               reason=reason or outcome.explanation_zh, context={"vote": vote})
    log(actor, "vote", vote.id, "close", from_state=VoteState.open, to_state=VoteState.closed,
        note=outcome.explanation_zh, data={"passed": outcome.passed})
    meetings.decisions_changed(db.session.get(Meeting, resolution.meeting_id), actor)


def close_due_votes() -> tuple[list[Vote], list[tuple[Vote, str]]]:
    """Close every online vote whose closing time has passed (for cron), each on its own: one
    that cannot close (inconsistent entries) is reported and the others still close.

    The app closes them itself (DESIGN §3: "automatically at the vote deadline"), so the audit
    log names no person. Returns (closed, [(vote, problem)]).
    """
    due = queries.due_votes(utcnow())
    closed, failed = [], []
    for vote in due:
        try:
            with db.session.begin_nested():
                close_vote(vote, None)
        except (VoteRefused, TransitionRefused) as exc:
            failed.append((vote, str(exc)))
        else:
            closed.append(vote)
    return closed, failed
