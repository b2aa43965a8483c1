"""Twenty members each submit their ballot twice at the same moment (PostgreSQL only): exactly
twenty current ballots, one per member — the unique (vote, voter) constraint decides races."""
import threading

import pytest
from sqlalchemy import func, make_url, select

from tests.vote_factories import committee_vote
from tracker.auth.models import User
from tracker.extensions import db
from tracker.voting import operations
from tracker.voting.models import CommitteeBallot, Vote


@pytest.fixture(autouse=True)
def postgresql_only(app):
    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers, so submissions never race")


def test_twenty_members_voting_twice_at_once(app, world):
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
    assert len(outcomes) == 40 and outcomes.count("ok") >= 20
