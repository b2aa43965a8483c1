"""Rulebooks an administrator adds for a province or city, kept in editions: a vote decides and
cites by the edition its district's rulebook had when it opened, so that an edit never rewrites a
result."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.helpers.rulebooks import HUBEI, add_local_rulebook
from tests.vote_factories import committee_vote
from tracker.auth.models import User
from tracker.core.cache import clear_all
from tracker.extensions import db
from tracker.rulebooks import operations as rulebook_operations
from tracker.rulebooks.models import RulebookEdition
from tracker.voting import operations
from tracker.voting.records import verify
from tracker.voting.rulebooks import NATIONAL, rule_of_code, rulebook
from tracker.voting.rules import RULES, Outcome

CITATION_A = "《湖北省物业服务和管理条例》第X条"
CITATION_B = "《湖北省物业服务和管理条例》第Y条"


def editions() -> int:
    return db.session.scalar(select(func.count()).select_from(RulebookEdition))


def close_with(vote, voting_for: int) -> None:
    """Those of the vote's members first in its list vote for, the others present abstain
    from voting; the vote closes."""
    for user_id in vote.eligible["members"][:voting_for]:
        operations.cast_ballot(vote, db.session.get(User, user_id), "for")
    operations.close_vote(vote, None)
    db.session.commit()


# --- editions ---------------------------------------------------------------------------------

def test_an_old_votes_result_is_unchanged_after_its_rulebook_is_edited(world, login_as):
    first = add_local_rulebook(world.admin, citation=CITATION_A)
    world.district.rulebook = "hubei"
    db.session.commit()
    old = committee_vote(world, extra_members=4)
    close_with(old, voting_for=3)
    assert old.eligible["rulebook"] == "hubei.1"
    decided = dict(old.result)

    rulebook_operations.edit_rulebook(world.admin, first, {**HUBEI, "citation": CITATION_B})
    db.session.commit()
    clear_all()  # read back from the database, not from what this process kept
    db.session.refresh(old)

    assert old.result == decided and CITATION_A in old.result["citation"]
    page = login_as(world.liaison).get(f"/votes/{old.id}").get_data(as_text=True)
    assert f"依据{CITATION_A}" in page and CITATION_B not in page
    assert verify(old.inputs, old.result)
    assert Outcome.from_record(old.result).citation == old.result["citation"]

    new = committee_vote(world, extra_members=0)
    close_with(new, voting_for=3)
    assert new.eligible["rulebook"] == "hubei.2"
    assert new.result["rule"] == "hubei.2.owners_committee"
    assert new.result["explanation_zh"].startswith(f"依据{CITATION_B}")
    assert CITATION_A not in new.result["citation"]


def test_two_edits_at_the_same_moment_cannot_both_be_the_next_edition(world):
    first = add_local_rulebook(world.admin)
    rulebook_operations.edit_rulebook(world.admin, first, {**HUBEI, "citation": CITATION_B})
    db.session.commit()
    with pytest.raises(IntegrityError):
        rulebook_operations.edit_rulebook(world.admin, first, {**HUBEI, "citation": "第Z条"})
    db.session.rollback()
    assert editions() == 2


def test_a_stored_edition_never_changes(world):
    edition = add_local_rulebook(world.admin)
    edition.citation = CITATION_B
    with pytest.raises(ValueError, match="an edit adds an edition"):
        db.session.flush()
    db.session.rollback()


def test_a_stored_code_reads_back_and_an_unknown_one_is_refused(world):
    add_local_rulebook(world.admin)
    assert rulebook("hubei.1").owners_committee.code == "hubei.1.owners_committee"
    assert rulebook("hubei").code == "hubei.1"
    assert rulebook("hubei.1").management_committee is NATIONAL.management_committee
    own = rule_of_code("hubei.1.owners_committee+own:two_thirds_or_more:more_than_half", RULES)
    assert own.quorum.code == "two_thirds_or_more" and CITATION_A in own.citation
    for unknown in ("hubei.2", "hubei.01", "wuhan", "hubei.1.x", "national_2018.1"):
        with pytest.raises(ValueError):
            rulebook(unknown)
    with pytest.raises(ValueError):
        rule_of_code("hubei.owners_committee", RULES)
