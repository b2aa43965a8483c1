"""Rulebooks an administrator adds for a province or city, kept in editions: a vote decides and
cites by the edition its district's rulebook had when it opened, so that an edit never rewrites a
result; the pages where administrators add and edit them, offered to districts."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.conftest import form_errors
from tests.helpers.rulebooks import HUBEI, add_local_rulebook, form_data
from tests.vote_factories import committee_vote
from tracker.audit.models import AuditEvent
from tracker.auth.models import User
from tracker.core.cache import clear_all
from tracker.extensions import db
from tracker.rulebooks import operations as rulebook_operations
from tracker.rulebooks.models import RulebookEdition
from tracker.voting import operations
from tracker.voting.records import verify
from tracker.voting.rulebooks import NATIONAL, RULEBOOKS, rule_of_code, rulebook
from tracker.voting.rules import RULES, Outcome

CITATION_A = "《湖北省物业服务和管理条例》第X条"
CITATION_B = "《湖北省物业服务和管理条例》第Y条"


def editions() -> int:
    return db.session.scalar(select(func.count()).select_from(RulebookEdition))


def english(client) -> None:
    """The pages in English, so that a test can look for a message's source text."""
    with client.session_transaction() as session:
        session["locale"] = "en"


def edit(client, key: str, edition: int, **values):
    """Post the edit form of ``key``'s rulebook drawn from ``edition``."""
    return client.post(f"/admin/rulebooks/{key}/edit",
                       data={"edition": str(edition), **form_data({**HUBEI, **values})})


def new_rulebook(client, key: str, **values):
    return client.post("/admin/rulebooks/new", data={"key": key, **form_data({**HUBEI,
                                                                              **values})})


def follow(client, world, key: str):
    reply = client.post(f"/admin/districts/{world.district.id}/edit",
                        data={"name": world.district.name, "rulebook": key})
    assert reply.status_code == 302
    db.session.refresh(world.district)
    assert world.district.rulebook == key


def close_with(vote, voting_for: int) -> None:
    """Those of the vote's members first in its list vote for, the others present abstain
    from voting; the vote closes."""
    for user_id in vote.eligible["members"][:voting_for]:
        operations.cast_ballot(vote, db.session.get(User, user_id), "for")
    operations.close_vote(vote, None)
    db.session.commit()


# --- editions ---------------------------------------------------------------------------------

def test_an_old_votes_result_is_unchanged_after_its_rulebook_is_edited(world, login_as):
    add_local_rulebook(world.admin, citation=CITATION_A)
    follow(login_as(world.admin), world, "hubei")
    old = committee_vote(world, extra_members=4)
    close_with(old, voting_for=3)
    assert old.eligible["rulebook"] == "hubei.1"
    decided = dict(old.result)

    assert edit(login_as(world.admin), "hubei", 1, citation=CITATION_B).status_code == 302
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


# --- the administrator's pages ------------------------------------------------------------------

def test_half_of_all_members_passes_only_where_the_added_rulebook_says_half_or_more(world,
                                                                                    login_as):
    admin = login_as(world.admin)
    assert new_rulebook(admin, "hubei", committee_approval="half_or_more").status_code == 302
    assert new_rulebook(admin, "wuhan", name="武汉市（《武汉市物业管理条例》）",
                        citation="《武汉市物业管理条例》第X条",
                        committee_approval="more_than_half").status_code == 302
    follow(admin, world, "hubei")

    vote = committee_vote(world, extra_members=7)  # a committee of 8, all present
    close_with(vote, voting_for=4)
    assert vote.result["passed"] and vote.result["rule"] == "hubei.1.owners_committee"
    assert vote.result["explanation_zh"].startswith(f"依据{CITATION_A}")
    assert "达到全体委员半数以上" in vote.result["explanation_zh"]
    assert CITATION_A in vote.result["citation"]

    follow(login_as(world.admin), world, "wuhan")
    stricter = committee_vote(world, extra_members=0)  # the same 8 members
    close_with(stricter, voting_for=4)
    assert not stricter.result["passed"]
    assert "未超过全体委员半数" in stricter.result["explanation_zh"]


def test_a_threshold_not_offered_is_refused_next_to_its_field_with_what_was_typed(world,
                                                                                  login_as):
    admin = login_as(world.admin)
    english(admin)
    reply = new_rulebook(admin, "hubei", committee_approval="one_third")
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200
    assert "a committee decides with at least half of all its members, as the law requires" \
        in " ".join(form_errors(page))
    assert 'id="committee_approval-error"' in page
    assert HUBEI["name"] in page and CITATION_A in page and 'value="hubei"' in page
    assert editions() == 0


def test_only_an_administrator_keeps_rulebooks(world, login_as):
    add_local_rulebook(world.admin)
    for user in (world.liaison, world.official, world.owners_member):
        client = login_as(user)
        assert client.get("/admin/rulebooks/").status_code == 403
        assert new_rulebook(client, "wuhan").status_code == 403
        assert edit(client, "hubei", 1, citation=CITATION_B).status_code == 403
    assert editions() == 1


def test_a_key_is_new_and_never_a_built_in_rulebooks_code(world, login_as):
    admin = login_as(world.admin)
    english(admin)
    add_local_rulebook(world.admin)
    for key, message in (("national_2018", "This is the code of a built-in rulebook."),
                         ("hubei", "Another rulebook already uses this key."),
                         ("湖北", "1 to 20 letters, digits or underscores, starting with a letter"),
                         ("hubei.2", "1 to 20 letters, digits or underscores")):
        reply = new_rulebook(admin, key)
        assert reply.status_code == 200 and any(message in e for e in
                                                form_errors(reply.get_data(as_text=True))), key
    assert editions() == 1


@pytest.mark.parametrize(("values", "message"), [
    ({"notice_days_regular": "0"}, "A whole number of days from 1 to 60."),
    ({"notice_days_temporary": "61"}, "A whole number of days from 1 to 60."),
    ({"proxy_cap": "51"}, "From 1 to 50, or empty."),
    ({"e_vote_min_days": "5"}, "Enter both the shortest and the longest time, or neither."),
    ({"e_vote_max_days": "60"}, "Enter both the shortest and the longest time, or neither."),
    ({"e_vote_min_days": "60", "e_vote_max_days": "5"}, "At least the shortest time (60 days)."),
    ({"e_vote_min_days": "1", "e_vote_max_days": "366"}, "A whole number of days from 1 to 365."),
    ({"citation": " "}, "Please enter the citation."),
], ids=["regular notice", "temporary notice", "proxy cap", "window without end",
        "window without start", "window backwards", "window too long", "no citation"])
def test_the_assembly_parameters_stay_within_their_bounds(world, login_as, values, message):
    admin = login_as(world.admin)
    english(admin)
    reply = admin.post("/admin/rulebooks/new", data={"key": "hubei", **form_data(HUBEI),
                                                     **values})
    assert reply.status_code == 200
    assert message in form_errors(reply.get_data(as_text=True))
    assert editions() == 0


def test_the_assembly_parameters_typed_are_the_editions(world, login_as):
    reply = new_rulebook(login_as(world.admin), "hangzhou_like", proxy_cap=3, e_vote_min_days=5,
                         e_vote_max_days=60, notice_days_temporary=7, prevailing_ballot="online",
                         assembly_citation="《某市物业管理条例》第十九条、第二十条")
    assert reply.status_code == 302
    assembly = rulebook("hangzhou_like").assembly
    assert (assembly.notice_days_regular, assembly.notice_days_temporary) == (15, 7)
    assert (assembly.proxy_cap, assembly.e_vote_days) == (3, (5, 60))
    assert assembly.prevailing_ballot == "online"
    assert assembly.notice_basis == "《某市物业管理条例》第十九条、第二十条"


def test_editing_adds_an_audited_edition_listed_with_the_first(world, login_as):
    first = add_local_rulebook(world.admin, citation=CITATION_A)
    admin = login_as(world.admin)
    english(admin)
    form = admin.get("/admin/rulebooks/hubei/edit").get_data(as_text=True)
    assert "Saving adds edition 2" in form and CITATION_A in form

    assert edit(admin, "hubei", 1, citation=CITATION_B).status_code == 302
    assert edit(admin, "hubei", 2, citation=CITATION_B).status_code == 302  # no edition 3

    rows = list(db.session.scalars(select(RulebookEdition).order_by(RulebookEdition.edition)))
    assert [(e.code, e.citation) for e in rows] == [("hubei.1", CITATION_A),
                                                    ("hubei.2", CITATION_B)]
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.subject_type == "rulebook").order_by(AuditEvent.id)))
    assert [(e.action, e.subject_id, e.actor_id) for e in events] == [
        ("create", first.id, world.admin.id), ("edit", rows[1].id, world.admin.id)]
    assert events[1].data == {"code": "hubei.2", "replaces": "hubei.1",
                              "citation": [CITATION_A, CITATION_B]}

    listing = admin.get("/admin/rulebooks/").get_data(as_text=True)
    assert "hubei.1" in listing and "hubei.2" in listing
    assert CITATION_A in listing and CITATION_B in listing
    assert "/admin/rulebooks/hubei/edit" in listing


def test_an_edition_saved_meanwhile_is_not_replaced_unseen(world, login_as):
    add_local_rulebook(world.admin, citation=CITATION_A)
    admin = login_as(world.admin)
    english(admin)
    assert edit(admin, "hubei", 1, citation=CITATION_B).status_code == 302
    stale = edit(admin, "hubei", 1, citation="《湖北省物业服务和管理条例》第Z条")
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Edition 2 was saved in the meantime" in page
    assert "第Z条" in page and 'name="edition" type="hidden" value="2"' in page
    assert editions() == 2
    assert edit(admin, "hubei", 2, citation="《湖北省物业服务和管理条例》第Z条").status_code == 302
    assert rulebook("hubei").code == "hubei.3"


def test_a_district_is_offered_the_added_rulebooks_by_their_current_name(world, login_as):
    add_local_rulebook(world.admin)
    admin = login_as(world.admin)
    edit(admin, "hubei", 1, name="湖北省（2024年修订）")
    page = admin.get(f"/admin/districts/{world.district.id}/edit").get_data(as_text=True)
    assert '<option value="hubei">湖北省（2024年修订）</option>' in page
    assert HUBEI["name"] not in page


def test_a_compounds_own_rules_are_checked_against_the_added_rulebook(world, login_as):
    add_local_rulebook(world.admin, committee_approval="half_or_more")
    admin = login_as(world.admin)
    follow(admin, world, "hubei")
    form = {"community_id": world.community.id, "name": world.compound.name,
            "code": world.compound.code, "governance_mode": world.compound.governance_mode.value,
            "households": 100, "total_area": "1000.00", "address": "",
            "committee_quorum": "", "committee_approval": "half_or_more"}
    assert admin.post(f"/admin/compounds/{world.compound.id}/edit", data=form).status_code == 302


def test_the_rulebooks_page_shows_the_built_in_ones_with_their_assembly_parameters(world,
                                                                                   login_as):
    page = login_as(world.admin).get("/admin/rulebooks/").get_data(as_text=True)
    for book in RULEBOOKS.values():
        if book.offered:
            assert book.name_zh in page and book.owners_committee.citation in page
    assert "《杭州市物业管理条例》第二十条第三款" in page
    assert "《潍坊市物业管理条例》第三十二条第一款" in page
