"""Each place's regulation decides its committees' votes and is the law their results cite; it also
says how its owners' assembly meetings are called."""
import pytest

from tests.vote_factories import committee_vote
from tracker.auth.models import User
from tracker.extensions import db
from tracker.voting import operations
from tracker.voting.records import verify
from tracker.voting.rulebooks import (
    BEIJING,
    HANGZHOU,
    HENAN,
    NATIONAL,
    OFFERED,
    RULEBOOKS,
    SHANDONG,
    SHANGHAI,
    WEIFANG,
    own_rules,
    rulebook,
)
from tracker.voting.rules import CommitteeKind, committee_result
from tracker.voting.thresholds import HALF_OR_MORE, THREE_QUARTERS_OR_MORE, TWO_THIRDS_OR_MORE

OWNERS = CommitteeKind.OWNERS_COMMITTEE


def decide(book, members, present, votes_for):
    return committee_result(members, present, votes_for, 0, present - votes_for, kind=OWNERS,
                            rulebook=book)


def test_half_of_all_members_passes_under_half_or_more_and_fails_under_more_than_half():
    # A committee of 8 (a vacancy left it even), all present, 4 for.
    assert decide(HENAN, 8, 8, 4).passed  # 《河南省物业管理条例》第二十八条: 半数以上
    assert not decide(BEIJING, 8, 8, 4).passed  # 《北京市物业管理条例》第四十五条: 过半数
    assert "达到全体委员半数以上" in decide(HENAN, 8, 8, 4).explanation_zh
    assert "未超过全体委员半数" in decide(BEIJING, 8, 8, 4).explanation_zh


@pytest.mark.parametrize("book", [SHANDONG, WEIFANG])
def test_five_of_nine_present_is_no_quorum_where_two_thirds_must_attend(book):
    outcome = decide(book, 9, 5, 5)
    assert not outcome.quorum_reached and not outcome.passed
    assert "不足全体委员三分之二" in outcome.explanation_zh
    assert decide(BEIJING, 9, 5, 5).quorum_reached
    assert decide(book, 9, 6, 5).passed


def test_every_result_cites_its_own_rulebook_and_no_other():
    for book in OFFERED:
        outcome = decide(book, 5, 5, 3)
        assert outcome.explanation_zh.startswith(f"依据{book.owners_committee.basis_zh}")
        others = {"北京", "上海", "杭州", "山东", "潍坊", "河南"} - {book.name_zh[:2]}
        assert not any(place in outcome.citation for place in others), book.code


def test_a_compound_in_a_district_without_a_rulebook_never_cites_beijing_or_shanghai(world):
    vote = committee_vote(world, extra_members=4)
    _close_with(vote, voting_for=3)
    text = vote.result["explanation_zh"]
    assert text.startswith("依据《物业管理条例》第十八条")
    assert "北京" not in text + vote.result["citation"] and "上海" not in vote.result["citation"]


def test_a_beijing_district_cites_beijing(world):
    world.district.rulebook = BEIJING.code
    db.session.commit()
    vote = committee_vote(world, extra_members=4)
    _close_with(vote, voting_for=3)
    assert vote.result["explanation_zh"].startswith("依据《北京市物业管理条例》第四十五条")
    assert vote.result["rule"] == BEIJING.owners_committee.code


def test_a_vote_keeps_the_rulebook_it_was_opened_under(world):
    vote = committee_vote(world, extra_members=4)  # opened under the national default
    world.district.rulebook = HENAN.code
    db.session.commit()
    _close_with(vote, voting_for=3)
    assert vote.result["rule"] == NATIONAL.owners_committee.code
    decided = vote.result["explanation_zh"]
    world.district.rulebook = BEIJING.code  # a later change never rewrites the result
    db.session.commit()
    db.session.refresh(vote)
    assert vote.result["explanation_zh"] == decided


def test_an_administrator_chooses_a_districts_rulebook(world, login_as):
    reply = login_as(world.admin).post(f"/admin/districts/{world.district.id}/edit",
                                       data={"name": world.district.name,
                                             "rulebook": SHANDONG.code})
    assert reply.status_code == 302
    db.session.refresh(world.district)
    assert rulebook(world.district.rulebook) is SHANDONG
    refused = login_as(world.admin).post(f"/admin/districts/{world.district.id}/edit",
                                         data={"name": world.district.name, "rulebook": "mars"})
    assert refused.status_code == 200
    db.session.refresh(world.district)
    assert world.district.rulebook == SHANDONG.code


def _close_with(vote, voting_for: int) -> None:
    for user_id in vote.eligible["members"][:voting_for]:
        operations.cast_ballot(vote, db.session.get(User, user_id), "for")
    operations.close_vote(vote, None)
    db.session.commit()


def test_a_compounds_own_rules_may_ask_more_and_are_cited_after_the_regulation(world):
    world.compound.committee_approval = THREE_QUARTERS_OR_MORE.code  # 议事规则: three quarters
    db.session.commit()
    vote = committee_vote(world, extra_members=4)  # 5 members, all present
    _close_with(vote, voting_for=3)  # 3/5: enough by the regulation, not by the compound's rules
    text = vote.result["explanation_zh"]
    assert not vote.result["passed"] and "不足全体委员四分之三" in text
    assert text.startswith("依据《物业管理条例》第十八条") and "及本小区业主大会议事规则" in text
    assert "本小区业主大会议事规则" in vote.result["citation"]
    assert verify(vote.inputs, vote.result)  # the stored rule reads back, own rules included


def test_a_compounds_own_rules_may_not_ask_less_than_the_regulation(world, login_as):
    world.district.rulebook = BEIJING.code  # more than half present, more than half for
    db.session.commit()
    form = {"community_id": world.community.id, "name": world.compound.name,
            "code": world.compound.code, "governance_mode": world.compound.governance_mode.value,
            "households": 100, "total_area": "1000.00", "address": "",
            "committee_quorum": "", "committee_approval": HALF_OR_MORE.code}
    reply = login_as(world.admin).post(f"/admin/compounds/{world.compound.id}/edit", data=form)
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200 and "过半数" in page
    db.session.refresh(world.compound)
    assert world.compound.committee_approval is None
    stricter = login_as(world.admin).post(f"/admin/compounds/{world.compound.id}/edit",
                                          data={**form, "committee_approval":
                                                TWO_THIRDS_OR_MORE.code})
    assert stricter.status_code == 302
    db.session.refresh(world.compound)
    assert world.compound.committee_approval == TWO_THIRDS_OR_MORE.code
    with pytest.raises(ValueError, match="stricter"):
        own_rules(BEIJING.owners_committee, None, HALF_OR_MORE.code)


def test_a_vote_keeps_the_compounds_rules_it_was_opened_under(world):
    vote = committee_vote(world, extra_members=4)
    world.compound.committee_approval = THREE_QUARTERS_OR_MORE.code
    db.session.commit()
    _close_with(vote, voting_for=3)  # 3 of 5: enough by the regulation it opened under
    assert vote.result["passed"] and vote.result["rule"] == NATIONAL.owners_committee.code


def test_an_english_reader_gets_the_result_in_english_with_the_same_figures(world, login_as):
    vote = committee_vote(world, extra_members=4)
    _close_with(vote, voting_for=3)
    client = login_as(world.liaison)
    client.post("/language/en", data={"next": "/"})
    page = client.get(f"/votes/{vote.id}").get_data(as_text=True)
    assert "the resolution passed." in page and "3/5 of all members for" in page
    assert vote.result["explanation_zh"] not in page
    client.post("/language/zh", data={"next": "/"})
    chinese = client.get(f"/votes/{vote.id}").get_data(as_text=True)
    assert vote.result["explanation_zh"] in chinese


def test_an_owners_ballot_reads_the_same_in_english():
    from decimal import Decimal

    from tracker.voting.rules import AssemblyOutcome, Choice, Matter, UnitBallot, assembly_result
    ballots = [UnitBallot(i, f"o{i}", False, Decimal("100.00"),
                          Choice.FOR if i < 6 else Choice.AGAINST if i < 8 else None)
               for i in range(10)]
    outcome = assembly_result(ballots, Decimal("1000.00"), Matter.USE_FUND)
    english = outcome.explanation_en
    for figure in ("1000.00 m²", "10 owners", "8 owners with 800.00 m² voted", "4/5 of the area",
                   "600.00 m²", "3/4 of the area taking part", "the decision passed."):
        assert figure in english
    assert AssemblyOutcome.from_record(outcome.to_record()).explanation_en == english


# --- the owners' assembly parameters of the built-in rulebooks --------------------------------

def test_the_national_default_calls_an_assembly_as_the_regulation_says():
    assembly = NATIONAL.assembly
    # 物业管理条例 第十四条: 应当于会议召开15日以前通知全体业主 (every meeting).
    assert (assembly.notice_days_regular, assembly.notice_days_temporary) == (15, 15)
    assert assembly.notice_basis == "《物业管理条例》第十四条第一款"
    # 第十二条第二款: 业主可以委托代理人参加业主大会会议 — with no cap. Nothing on electronic
    # votes or on which ballot counts.
    assert assembly.proxy_cap is None
    assert assembly.proxy_basis == "《物业管理条例》第十二条第二款"
    assert assembly.e_vote_days is None and assembly.prevailing_ballot is None


def test_hangzhou_calls_an_assembly_as_its_regulation_says():
    assembly = HANGZHOU.assembly
    # 杭州市物业管理条例 第十九条: 定期会议召开十五日前或者临时会议召开七日前通知全体业主.
    assert (assembly.notice_days_regular, assembly.notice_days_temporary) == (15, 7)
    assert assembly.notice_basis == "《杭州市物业管理条例》第十九条第一款"
    # 第二十条第三款: 投票期限不少于五日且不超过六十日.
    assert assembly.e_vote_days == (5, 60)
    assert assembly.e_vote_basis == "《杭州市物业管理条例》第二十条第三款"
    # 第二十条第一款 has owners vote electronically, on paper if they ask: nothing on both.
    assert assembly.prevailing_ballot is None and assembly.proxy_cap is None


def test_weifang_caps_a_proxy_at_three_owners():
    # 潍坊市物业管理条例 第三十二条第一款: 每一业主接受的委托不得超过三人.
    assert WEIFANG.assembly.proxy_cap == 3
    assert WEIFANG.assembly.proxy_basis == "《潍坊市物业管理条例》第三十二条第一款"


def test_no_built_in_rulebook_says_which_ballot_counts_and_every_one_gives_notice():
    for book in RULEBOOKS.values():
        assert book.assembly.prevailing_ballot is None, book.code
        assert book.assembly.notice_basis, book.code
    # The Shanghai 规定 sets a notice for the first meeting only: the national one applies.
    assert SHANGHAI.assembly.notice_basis == NATIONAL.assembly.notice_basis


@pytest.mark.parametrize(("book", "notice", "proxy_cap", "e_vote_days", "notice_basis"), [
    (BEIJING, (15, 15), None, None, "《北京市物业管理条例》第三十五条第四款"),
    (SHANGHAI, (15, 15), None, None, "《物业管理条例》第十四条第一款"),
    (HANGZHOU, (15, 7), None, (5, 60), "《杭州市物业管理条例》第十九条第一款"),
    (SHANDONG, (15, 15), None, None, "《物业管理条例》第十四条第一款"),
    (WEIFANG, (15, 15), 3, None, "《潍坊市物业管理条例》第三十二条第二款"),
    (HENAN, (15, 15), None, None, "《物业管理条例》第十四条第一款"),
], ids=lambda value: getattr(value, "code", None))
def test_every_rulebooks_assembly_parameters_are_those_of_docs_law(book, notice, proxy_cap,
                                                                   e_vote_days, notice_basis):
    # The table under "How the app uses it" in docs/law/README.md; a local text that sets a
    # notice only for the first meeting leaves later ones to the national article.
    assembly = book.assembly
    assert (assembly.notice_days_regular, assembly.notice_days_temporary) == notice
    assert (assembly.proxy_cap, assembly.e_vote_days) == (proxy_cap, e_vote_days)
    assert assembly.notice_basis == notice_basis
