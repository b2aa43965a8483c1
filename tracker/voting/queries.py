"""Reads of resolutions and votes: the ballots cast, the running tally and the rules' inputs it
is computed from, who may vote when a vote opens, a vote's history, the votes due to close."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.auth.models import Membership, User
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.meetings.models import AttendanceStatus, Meeting
from tracker.places.models import Party, PartyKind, Unit
from tracker.voting import records, rules
from tracker.voting.rulebooks import LEGACY
from tracker.voting.models import (
    BallotChange,
    CommitteeBallot,
    DecidingBody,
    OwnerBallot,
    Vote,
    VoteState,
)


class InconsistentEntries(Exception):
    """The ballots entered cannot be decided (one owner's units with different choices)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- who decides and who may vote --------------------------------------------------------------

def deciding_party(case: Case, body: DecidingBody) -> Party | None:
    """The committee of ``case``'s compound that ``body`` names; None for the owners' assembly
    or a committee the compound does not have."""
    kind = {DecidingBody.owners_committee: PartyKind.owners_committee,
            DecidingBody.management_committee: PartyKind.management_committee}.get(body)
    return case.compound.party_of(kind) if kind else None


def voting_members(party: Party) -> list[tuple[Membership, User]]:
    """The active people who vote for ``party``, in the order they joined it."""
    return list(db.session.execute(
        select(Membership, User).join(User, User.id == Membership.user_id)
        .where(Membership.party_id == party.id, Membership.votes.is_(True), User.active)
        .order_by(Membership.id)).all())


def unit_register(compound_id: int) -> list[Unit]:
    """The compound's units as the property register lists them."""
    return list(db.session.scalars(select(Unit).where(Unit.compound_id == compound_id)
                                   .order_by(Unit.building, Unit.number)))


def units_of(vote: Vote, user: User) -> list[dict]:
    """The units ``user`` owned, by the register snapshotted when the vote opened."""
    if vote.body != DecidingBody.owners_assembly:
        return []
    return [u for u in vote.eligible["units"] if u.get("owner_user_id") == user.id]


# --- ballots -----------------------------------------------------------------------------------

def committee_ballots(vote: Vote) -> list[CommitteeBallot]:
    return list(db.session.scalars(select(CommitteeBallot).where(
        CommitteeBallot.vote_id == vote.id).order_by(CommitteeBallot.id)))


def committee_ballot_of(vote: Vote, voter: User) -> CommitteeBallot | None:
    return db.session.scalar(select(CommitteeBallot).where(
        CommitteeBallot.vote_id == vote.id, CommitteeBallot.voter_id == voter.id))


def owner_ballots(vote: Vote) -> dict[int, str]:
    """The choice entered for each unit that has one."""
    return dict(db.session.execute(select(OwnerBallot.unit_id, OwnerBallot.choice).where(
        OwnerBallot.vote_id == vote.id)).all())


def owner_ballot_rows(vote: Vote) -> dict[int, OwnerBallot]:
    """The stored ballot of each unit that has one, by unit id."""
    return {b.unit_id: b for b in db.session.scalars(
        select(OwnerBallot).where(OwnerBallot.vote_id == vote.id))}


def ballot_history(vote: Vote) -> list[BallotChange]:
    """Every ballot entered or changed, oldest first, with who did it."""
    return list(db.session.scalars(select(BallotChange).where(
        BallotChange.vote_id == vote.id).options(selectinload(BallotChange.changed_by))
        .order_by(BallotChange.id)))


# --- tallying ----------------------------------------------------------------------------------

def _present(vote: Vote, ballots: list[CommitteeBallot]) -> list[int]:
    """At a meeting: the members the roll call marks present (and anyone who voted); online:
    the members who took part."""
    voted = {b.voter_id for b in ballots}
    if not vote.at_meeting:
        return sorted(voted)
    meeting = db.session.get(Meeting, vote.resolution.meeting_id)
    here = {a.user_id for a in meeting.attendance if a.status == AttendanceStatus.present}
    return [m for m in vote.eligible["members"] if m in here or m in voted]


def snapshot(vote: Vote) -> dict:
    """The rules' inputs as they stand now."""
    if vote.body == DecidingBody.owners_assembly:
        cast = owner_ballots(vote)
        ballots = [rules.UnitBallot(u["unit_id"], u["owner_ref"], u["developer_unsold"],
                                    u["area"], cast.get(u["unit_id"]))
                   for u in vote.eligible["units"]]
        return records.assembly_snapshot(
            ballots, vote.eligible["total_area"], vote.resolution.matter,
            non_voters_follow_majority=vote.non_voters_follow_majority)
    ballots = committee_ballots(vote)
    # A vote opened before places had rulebooks is decided by the rules it was opened under.
    return records.committee_snapshot(
        vote.body.value, vote.eligible["members"], _present(vote, ballots),
        [rules.MemberBallot(b.voter_id, b.choice) for b in ballots],
        owner_representatives=vote.eligible["owner_representatives"],
        rulebook=vote.eligible.get("rulebook", LEGACY.code),
        own_quorum=vote.eligible.get("own_quorum"), own_approval=vote.eligible.get("own_approval"))


def tally(vote: Vote):
    """The outcome if the vote closed now (a running tally).

    :raise InconsistentEntries: the entries cannot be decided as they stand.
    """
    try:
        return records.outcome_from_snapshot(snapshot(vote))
    except ValueError as exc:
        raise InconsistentEntries(str(exc)) from exc


def due_votes(now: datetime) -> list[Vote]:
    """The open online votes whose closing time has passed, oldest first."""
    return list(db.session.scalars(select(Vote).where(
        Vote.state == VoteState.open, Vote.closes_at.is_not(None), Vote.closes_at <= now)
        .order_by(Vote.id)))
