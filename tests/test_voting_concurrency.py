"""Ballots submitted at the same moment. Two safeguards keep one ballot per member: the vote's row
lock makes submissions to one vote take turns (so a member's second submission changes the first
ballot), and the unique (vote, voter) constraint refuses a second row whatever the code does.
Each test below fails when its safeguard is removed: the constraint test without the
UniqueConstraint on CommitteeBallot, the waiting test without ``_lock`` in
tracker.voting.operations (the second submission then loses on the constraint instead of
changing the ballot), and the twenty members without either."""
import threading
import time

import pytest
from sqlalchemy import func, make_url, select
from sqlalchemy.exc import IntegrityError

from tests.vote_factories import committee_vote
from tracker.auth.models import User
from tracker.extensions import db
from tracker.voting import operations
from tracker.voting.models import BallotChange, CommitteeBallot, Vote


@pytest.fixture
def postgresql_only(app):
    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers, so submissions never race")


def test_the_database_refuses_a_second_ballot_of_one_member(world):
    vote = committee_vote(world, extra_members=1)
    voter = vote.eligible["members"][0]
    db.session.add(CommitteeBallot(vote_id=vote.id, voter_id=voter, choice="for"))
    db.session.flush()
    db.session.add(CommitteeBallot(vote_id=vote.id, voter_id=voter, choice="against"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_second_submission_waits_for_the_first_and_changes_its_ballot(app, world,
                                                                        postgresql_only):
    vote = committee_vote(world, extra_members=1)
    vote_id, voter = vote.id, vote.eligible["members"][0]
    db.session.commit()
    first_cast, release = threading.Event(), threading.Event()
    results = []

    def cast(choice: str, hold: bool):
        with app.app_context():
            try:
                operations.cast_ballot(db.session.get(Vote, vote_id),
                                       db.session.get(User, voter), choice)
                if hold:
                    first_cast.set()
                    release.wait(30)
                db.session.commit()
                results.append((choice, "ok"))
            except operations.VoteChanged:
                db.session.rollback()
                results.append((choice, "changed"))
            finally:
                db.session.remove()

    first = threading.Thread(target=cast, args=("for", True))
    first.start()
    assert first_cast.wait(30)
    second = threading.Thread(target=cast, args=("against", False))
    second.start()
    time.sleep(1)
    assert second.is_alive()  # waiting for the first submission's transaction
    release.set()
    first.join(60)
    second.join(60)
    assert results == [("for", "ok"), ("against", "ok")]
    db.session.expire_all()
    ballots = db.session.scalars(select(CommitteeBallot).where(
        CommitteeBallot.vote_id == vote_id)).all()
    assert [(b.voter_id, b.choice) for b in ballots] == [(voter, "against")]
    changes = db.session.scalar(select(func.count()).select_from(BallotChange).where(
        BallotChange.vote_id == vote_id))
    assert changes == 2  # cast, then changed: nothing lost


def test_twenty_members_voting_twice_at_once(app, world, postgresql_only):
    vote = committee_vote(world, extra_members=19)
    vote_id, members = vote.id, list(vote.eligible["members"])
    assert len(members) == 20
    db.session.commit()
    barrier = threading.Barrier(len(members) * 2, timeout=30)
    outcomes = []

    def submit(user_id: int, choice: str):
        barrier.wait()
        with app.app_context():
            try:
                operations.cast_ballot(db.session.get(Vote, vote_id),
                                       db.session.get(User, user_id), choice)
                db.session.commit()
                outcomes.append("ok")
            except operations.VoteChanged:
                db.session.rollback()
                outcomes.append("changed")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(uid, choice))
               for uid in members for choice in ("for", "against")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    db.session.expire_all()
    per_voter = db.session.execute(
        select(CommitteeBallot.voter_id, func.count()).where(CommitteeBallot.vote_id == vote_id)
        .group_by(CommitteeBallot.voter_id)).all()
    assert len(per_voter) == 20 and all(count == 1 for _voter, count in per_voter)
    # Taking turns, every submission lands: the second of each member changes the first.
    assert outcomes == ["ok"] * 40
