"""Resolutions and votes through the API: propose, open, read with the tally, cast, enter
owners' ballots, close."""

from tracker.api.auth import api_user
from tracker.api.base import annotate, api_blueprint, created
from tracker.api.problems import ApiProblem
from tracker.api.vote_schemas import (
    BallotCastSchema,
    CloseVoteSchema,
    OpenVoteSchema,
    ProposeSchema,
    ResolutionSchema,
    UnitBallotsSchema,
    VoteSchema,
)
from tracker.cases import queries as case_queries
from tracker.cases.policy import can_view_case
from tracker.core.i18n import gettext as _
from tracker.extensions import db
from tracker.meetings import queries as meeting_queries
from tracker.voting import operations, policy, queries
from tracker.voting.models import DecidingBody, Resolution, Vote

blp = api_blueprint("api_votes", "Resolutions and votes (表决): committee ballots and owners' "
                                 "joint decisions (民法典 art. 278).")


def _visible_vote(vote_id: int) -> Vote:
    vote = db.session.get(Vote, vote_id)
    if vote is None or not policy.can_view_vote(api_user(), vote):
        raise ApiProblem(404)
    return vote


def _vote_body(vote: Vote) -> Vote:
    user = api_user()
    try:
        tally, problem = (vote.result if vote.result is not None
                          else queries.tally(vote).to_record()), None
    except queries.InconsistentEntries as exc:
        tally, problem = None, exc.message
    insider = can_view_case(user, vote.resolution.case)
    ballots = queries.committee_ballots(vote)
    names = vote.eligible.get("names", {})
    cast = queries.owner_ballots(vote) if vote.body == DecidingBody.owners_assembly else {}

    def unit(u):
        return {"unit_id": u["unit_id"], "label": u["label"], "area": u["area"],
                "choice": cast.get(u["unit_id"])}

    return annotate(
        vote, tally=tally, problem=problem,
        ballots=[{"voter_id": b.voter_id, "name": names.get(str(b.voter_id), ""),
                  "choice": b.choice, "cast_at": b.cast_at, "paper": b.entered_by_id is not None}
                 for b in ballots] if insider else [],
        units=[unit(u) for u in vote.eligible.get("units", [])] if insider else [],
        my_ballot=next((b.choice for b in ballots if b.voter_id == user.id), None),
        my_units=[unit(u) for u in queries.units_of(vote, user)],
        can_cast=policy.can_cast(user, vote) or policy.is_owner_voter(user, vote),
        can_run=policy.can_run_vote(user, vote))


@blp.route("/meetings/<int:meeting_id>/resolutions", methods=["POST"])
@blp.arguments(ProposeSchema)
@blp.response(201, ResolutionSchema)
def propose(values, meeting_id: int):
    """Propose a resolution.

    Propose the resolution for a case on the agenda of a held meeting (the liaison cadre);
    the case moves to the resolution vote. ``version`` is the case's."""
    user = api_user()
    meeting = meeting_queries.get_visible_meeting(user, meeting_id)
    case = case_queries.get_visible_case(user, values["case_id"])
    if not policy.can_run_vote(user, case):
        raise ApiProblem(403)
    party = next((p for p in case.compound.parties if p.id == values["responsible_party_id"]),
                 None)
    if values["responsible_party_id"] is not None and party is None:
        raise ApiProblem(422, errors=[{"pointer": "#/responsible_party_id", "detail": _(
            "Not a party of the case's compound.")}])
    resolution = operations.propose_resolution(
        meeting, case, user, text=values["text"], responsible_party=party,
        responsible_text=values["responsible_text"], tier=values["deadline_tier"],
        body=values["body"], matter=values["matter"], expected_version=values["version"])
    db.session.commit()
    return created(resolution, "api_votes.resolution_detail", resolution_id=resolution.id)


def _visible_resolution(resolution_id: int) -> Resolution:
    resolution = db.session.get(Resolution, resolution_id)
    if resolution is None:
        raise ApiProblem(404)
    case_queries.get_visible_case(api_user(), resolution.case_id)
    return resolution


@blp.route("/resolutions/<int:resolution_id>")
@blp.response(200, ResolutionSchema)
def resolution_detail(resolution_id: int):
    """Read a resolution.

    A proposed resolution and, once opened, its vote's id."""
    return _visible_resolution(resolution_id)


@blp.route("/resolutions/<int:resolution_id>/vote", methods=["POST"])
@blp.arguments(OpenVoteSchema)
@blp.response(201, VoteSchema)
def open_vote(values, resolution_id: int):
    """Open the vote on a resolution.

    Open the vote (the liaison cadre): at the meeting now, or online until ``closes_at``.
    Who may vote is fixed now."""
    user = api_user()
    resolution = _visible_resolution(resolution_id)
    if not policy.can_run_vote(user, resolution.case):
        raise ApiProblem(403)
    vote = operations.open_vote(
        resolution, user, at_meeting=values["at_meeting"], closes_at=values["closes_at"],
        non_voters_follow_majority=resolution.case.compound.non_voters_follow_majority)
    db.session.commit()
    return created(_vote_body(vote), "api_votes.vote_detail", vote_id=vote.id)


@blp.route("/votes/<int:vote_id>")
@blp.response(200, VoteSchema)
def vote_detail(vote_id: int):
    """Read a vote with its tally.

    A vote with its running tally (or its result once closed); named ballots for the
    compound's people; an owner sees their own units."""
    return _vote_body(_visible_vote(vote_id))


@blp.route("/votes/<int:vote_id>/ballot", methods=["POST"])
@blp.arguments(BallotCastSchema)
@blp.response(200, VoteSchema)
def cast(values, vote_id: int):
    """Cast or change one's own ballot.

    Cast or change the caller's own ballot: a voting member of the deciding committee, or,
    in an owners' joint decision, an owner with an account (one choice for all their units)."""
    user = api_user()
    vote = _visible_vote(vote_id)
    if policy.can_cast(user, vote):
        operations.cast_ballot(vote, user, values["choice"])
    elif policy.is_owner_voter(user, vote):
        operations.cast_owner_ballot(vote, user, values["choice"])
    else:
        raise ApiProblem(403)
    db.session.commit()
    return _vote_body(vote)


@blp.route("/votes/<int:vote_id>/unit-ballots", methods=["PUT"])
@blp.arguments(UnitBallotsSchema)
@blp.response(200, VoteSchema)
def unit_ballots(values, vote_id: int):
    """Enter owners' paper ballots.

    Enter or correct owners' ballots from the signed paper forms (the liaison cadre); every
    change keeps the old value and who made it."""
    user = api_user()
    vote = _visible_vote(vote_id)
    if not policy.can_run_vote(user, vote):
        raise ApiProblem(403)
    operations.enter_owner_ballots(vote, user, {b["unit_id"]: b["choice"]
                                                for b in values["ballots"]})
    db.session.commit()
    return _vote_body(vote)


@blp.route("/votes/<int:vote_id>/close", methods=["POST"])
@blp.arguments(CloseVoteSchema)
@blp.response(200, VoteSchema)
def close(values, vote_id: int):
    """Close a vote.

    Close the vote (the liaison cadre): the result is computed and stored, and the case moves
    to follow-up (passed) or back to raised (rejected)."""
    user = api_user()
    vote = _visible_vote(vote_id)
    if not policy.can_run_vote(user, vote):
        raise ApiProblem(403)
    operations.close_vote(vote, user, reason=values["reason"])
    db.session.commit()
    return _vote_body(vote)
