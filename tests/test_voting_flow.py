"""Resolutions and votes end to end: propose, open, cast, change, paper, close (DESIGN §5)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import PASSWORD, make_user
from tests.vote_factories import assembly_vote, committee_vote, proposed
from tracker.auth.models import MemberRole, Membership
from tracker.cases.models import CaseState
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.places.models import PartyKind
from tracker.voting import operations, queries, records
from tracker.voting.models import BallotChange, CommitteeBallot, VoteState


def test_proposing_moves_the_case_to_resolution(world):
    resolution = proposed(world)
    assert resolution.case.state == CaseState.resolution


def test_committee_vote_passes_with_more_than_half_of_all_members(world):
    vote = committee_vote(world, extra_members=4)   # 5 members, all present
    members = vote.eligible["members"]
    from tracker.auth.models import User
    for user_id in members[:3]:
        operations.cast_ballot(vote, db.session.get(User, user_id), "for")
    operations.close_vote(vote, world.liaison)
    db.session.commit()
    assert vote.state == VoteState.closed and vote.resolution.passed
    assert vote.resolution.case.state == CaseState.follow_up
    assert "3" in vote.result["explanation_zh"] and "5" in vote.result["explanation_zh"]
    # The stored inputs recompute to the stored result.
    assert records.verify(vote.inputs, vote.result)


def test_rejected_vote_sends_the_case_back_with_the_reason(world):
    vote = committee_vote(world, extra_members=4)
    from tracker.auth.models import User
    for user_id in vote.eligible["members"][:2]:
        operations.cast_ballot(vote, db.session.get(User, user_id), "for")
    operations.close_vote(vote, world.liaison)
    db.session.commit()
    assert vote.resolution.passed is False
    assert vote.resolution.case.state == CaseState.raised


def test_changing_a_ballot_keeps_one_ballot_and_the_history(world):
    vote = committee_vote(world)
    operations.cast_ballot(vote, world.owners_member, "for")
    operations.cast_ballot(vote, world.owners_member, "against")
    db.session.commit()
    assert db.session.scalar(select(func.count(CommitteeBallot.id))) == 1
    changes = db.session.scalars(select(BallotChange).order_by(BallotChange.id)).all()
    assert [(c.old_choice, c.new_choice) for c in changes] == [(None, "for"), ("for", "against")]


@pytest.mark.parametrize("who", ["liaison", "property_rep", "official", "admin"])
def test_only_eligible_members_vote(world, who):
    vote = committee_vote(world)
    with pytest.raises(operations.VoteRefused):
        operations.cast_ballot(vote, getattr(world, who), "for")


def test_member_who_joined_after_opening_cannot_vote(world):
    vote = committee_vote(world)
    late = make_user("late", "后加入委员")
    db.session.add(Membership(user=late, party=world.compound.party_of(
        PartyKind.owners_committee), role=MemberRole.member, votes=True))
    db.session.commit()
    with pytest.raises(operations.VoteRefused):
        operations.cast_ballot(vote, late, "for")


def test_closed_vote_takes_no_ballots(world):
    vote = committee_vote(world)
    operations.close_vote(vote, world.liaison)
    with pytest.raises(operations.VoteRefused):
        operations.cast_ballot(vote, world.owners_member, "for")


def test_paper_ballot_needs_the_members_password(world, login_as):
    vote = committee_vote(world)
    client = login_as(world.liaison)
    wrong = {"paper-voter": str(world.owners_member.id), "paper-choice": "for",
             "paper-password": "not it"}
    client.post(f"/votes/{vote.id}/paper", data=wrong)
    assert queries.committee_ballots(vote) == []
    client.post(f"/votes/{vote.id}/paper", data={**wrong, "paper-password": PASSWORD})
    [ballot] = queries.committee_ballots(vote)
    assert ballot.entered_by_id == world.liaison.id and ballot.choice == "for"


def test_member_votes_through_the_page(world, login_as):
    vote = committee_vote(world)
    client = login_as(world.owners_member)
    assert client.post(f"/votes/{vote.id}/ballot", data={"choice": "for"}).status_code == 302
    page = client.get(f"/votes/{vote.id}").get_data(as_text=True)
    assert "陈国强" in page
    assert login_as(world.property_rep).post(f"/votes/{vote.id}/ballot",
                                             data={"choice": "for"}).status_code == 403


def test_owners_assembly_counts_area_and_headcount(world):
    vote, units = assembly_vote(world)   # 9 owners, 100 m² each, using the fund (item 5)
    operations.enter_owner_ballots(vote, world.liaison,
                                   {u.id: "for" for u in units[:5]} |
                                   {u.id: "against" for u in units[5:6]})
    db.session.commit()
    outcome = queries.tally(vote)
    assert outcome.participation_reached and outcome.passed   # 6/9 ≥ 2/3; 5/6 > 1/2
    # A correction keeps the old value and who changed it.
    operations.enter_owner_ballots(vote, world.liaison, {units[0].id: "against"})
    change = db.session.scalars(select(BallotChange).order_by(BallotChange.id.desc())).first()
    assert (change.old_choice, change.new_choice, change.changed_by_id) == \
        ("for", "against", world.liaison.id)
    operations.close_vote(vote, world.liaison)
    db.session.commit()
    assert records.verify(vote.inputs, vote.result)
    assert vote.resolution.case.state == CaseState.follow_up


def test_assembly_refused_when_register_does_not_add_up(world):
    from tests.vote_factories import register
    register(world, ["100.00", "200.00"])
    world.compound.total_area += 1
    resolution = proposed(world, body=operations.DecidingBody.owners_assembly, matter="use_fund")
    with pytest.raises(operations.VoteRefused):
        operations.open_vote(resolution, world.liaison, at_meeting=False,
                             closes_at=utcnow() + timedelta(days=1))


def test_close_due_closes_online_votes_after_their_time(world, app):
    vote = committee_vote(world, at_meeting=False, closes_at=utcnow() + timedelta(hours=1))
    vote.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["votes", "close-due"])
    assert "1 vote(s) closed" in result.output
    db.session.refresh(vote)
    assert vote.state == VoteState.closed


def test_owner_with_an_account_votes_online_for_all_their_units(world, login_as):
    from tests.vote_factories import register
    owner = make_user("owner1", "刘小华")   # an owner, not a member of any party
    units = register(world, ["100.00"] * 9)
    units[0].owner_ref = units[1].owner_ref = "liu"
    units[0].owner_user_id = units[1].owner_user_id = owner.id
    db.session.commit()
    resolution = proposed(world, body=operations.DecidingBody.owners_assembly, matter="use_fund")
    vote = operations.open_vote(resolution, world.liaison, at_meeting=False,
                                closes_at=utcnow() + timedelta(days=3))
    db.session.commit()
    client = login_as(owner)
    assert client.get(f"/votes/{vote.id}").status_code == 200
    assert client.get(f"/cases/{resolution.case_id}").status_code == 404  # nothing else opens
    assert client.post(f"/votes/{vote.id}/my-units",
                       data={"owner-choice": "against"}).status_code == 302
    assert queries.owner_ballots(vote) == {units[0].id: "against", units[1].id: "against"}


def test_member_who_joined_after_opening_is_refused_by_the_page(world, login_as):
    vote = committee_vote(world)
    late = make_user("late2", "后加入")
    db.session.add(Membership(user=late, party=world.compound.party_of(
        PartyKind.owners_committee), role=MemberRole.member, votes=True))
    db.session.commit()
    assert login_as(late).post(f"/votes/{vote.id}/ballot",
                               data={"choice": "for"}).status_code == 403
    assert login_as(world.owners_member).post(f"/votes/{vote.id}/ballot",
                                              data={"choice": "for"}).status_code == 302


def test_close_due_closes_the_others_when_one_cannot_close(world, app):
    from tests.vote_factories import register
    units = register(world, ["100.00"] * 4)
    units[0].owner_ref = units[1].owner_ref = "same-owner"
    db.session.commit()
    resolution = proposed(world, body=operations.DecidingBody.owners_assembly, matter="use_fund")
    broken = operations.open_vote(resolution, world.liaison, at_meeting=False,
                                  closes_at=utcnow() + timedelta(hours=1))
    # One owner's two units carry different choices: this vote cannot be counted as entered.
    operations.enter_owner_ballots(broken, world.liaison, {units[0].id: "for",
                                                           units[1].id: "against"})
    good = committee_vote(world, at_meeting=False, closes_at=utcnow() + timedelta(hours=1))
    for vote in (broken, good):
        vote.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["votes", "close-due"])
    assert result.exit_code == 1
    assert "1 vote(s) closed, 1 could not be closed" in result.output
    db.session.expire_all()
    assert good.state == VoteState.closed and good.closed_by_id is None
    assert broken.state == VoteState.open
