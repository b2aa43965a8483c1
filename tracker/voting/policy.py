"""Who may do what with resolutions and votes."""
from tracker.auth import scope
from tracker.auth.models import User
from tracker.voting.models import DecidingBody, Vote


def can_run_vote(user: User, vote_or_case) -> bool:
    """The compound's liaison proposes, opens, enters paper ballots and closes."""
    case = vote_or_case.resolution.case if isinstance(vote_or_case, Vote) else vote_or_case
    return scope.is_liaison(user, case.compound_id)


def is_owner_voter(user: User, vote: Vote) -> bool:
    return vote.body == DecidingBody.owners_assembly and any(
        u.get("owner_user_id") == user.id for u in vote.eligible["units"])


def can_cast(user: User, vote: Vote) -> bool:
    return vote.body != DecidingBody.owners_assembly and user.id in vote.eligible["members"]


def can_view_vote(user: User, vote: Vote) -> bool:
    """The compound's people in scope see a vote; an owner with an account sees the owners'
    ballot on their units, if nothing else."""
    return is_owner_voter(user, vote) or scope.can_see_compound(user,
                                                                vote.resolution.case.compound_id)
