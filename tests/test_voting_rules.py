"""The voting rules at and around every boundary (DESIGN §5; 民法典 art. 1259: 以上 includes the
number, 过半数/超过 do not).

Committees of an even size are in here on purpose: with 7 members "more than half" and "half or
more" agree, with 6 they do not.
"""
import json
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest

from tracker.voting.explanation import assembly_sentence, committee_sentence
from tracker.voting.records import (
    assembly_snapshot,
    committee_snapshot,
    outcome_from_snapshot,
    verify,
)
from tracker.voting.rulebooks import BEIJING
from tracker.voting.rules import (
    ASSEMBLY_MAJORITY_RULE,
    ASSEMBLY_THREE_QUARTERS_RULE,
    AssemblyOutcome,
    Choice,
    CommitteeKind,
    Matter,
    MemberBallot,
    Outcome,
    UnitBallot,
    assembly_result,
    committee_result,
    committee_result_from_ballots,
    tally,
)

OWNERS = CommitteeKind.OWNERS_COMMITTEE
MANAGEMENT = CommitteeKind.MANAGEMENT_COMMITTEE
FOR, AGAINST, ABSTAIN = Choice.FOR, Choice.AGAINST, Choice.ABSTAIN
THREE_QUARTER_MATTERS = [Matter.RAISE_FUND, Matter.REBUILD, Matter.CHANGE_COMMON_USE]
MAJORITY_MATTERS = [m for m in Matter if m not in THREE_QUARTER_MATTERS]


# The committee tests count by Beijing's regulation, the one with both kinds of committee; the
# other rulebooks' thresholds are tested in test_rulebooks.py.
def owners_committee(members, present, votes_for, against=0, abstain=0):
    return committee_result(members, present, votes_for, against, abstain, kind=OWNERS,
                            rulebook=BEIJING)


def management_committee(members, present, votes_for, against=0, abstain=0, *, reps, reps_present):
    return committee_result(members, present, votes_for, against, abstain, kind=MANAGEMENT,
                            owner_representatives=reps, owner_representatives_present=reps_present,
                            rulebook=BEIJING)


def unit(unit_id, area, choice=None, owner=None, developer=False):
    """A unit of the register; by default its own owner (named after the unit)."""
    owner = None if developer else (owner or f"owner-{unit_id}")
    return UnitBallot(unit_id, owner, developer, Decimal(area), choice)


def register(*units):
    """The register and its total area, which the units add up to."""
    return list(units), sum((u.area for u in units), Decimal("0.00"))


def decide(units, matter, **kwargs):
    ballots, total = register(*units)
    return assembly_result(ballots, total, matter, **kwargs)


# --- committees ------------------------------------------------------------------------------

@pytest.mark.parametrize(("present", "votes_for", "against", "abstain", "passed"), [
    (7, 4, 0, 0, True), (7, 4, 3, 0, True), (7, 4, 0, 3, True), (7, 4, 1, 2, True),
    (5, 4, 0, 1, True), (4, 4, 0, 0, True),
    (7, 3, 0, 4, False), (7, 3, 4, 0, False), (7, 3, 2, 2, False), (7, 3, 0, 0, False),
    (5, 3, 0, 2, False),   # 3 of the 5 present is a majority of those present, not of all 7
    (4, 3, 0, 1, False),
])
@pytest.mark.parametrize("kind", [OWNERS, MANAGEMENT])
def test_seven_member_committee_needs_four_for_whatever_the_abstentions(
        kind, present, votes_for, against, abstain, passed):
    reps = {"owner_representatives": 4, "owner_representatives_present": min(present, 4)} \
        if kind is MANAGEMENT else {}
    outcome = committee_result(7, present, votes_for, against, abstain, kind=kind, **reps)
    assert outcome.quorum_reached
    assert outcome.passed is passed


@pytest.mark.parametrize(("members", "votes_for", "passed"), [
    (6, 3, False), (6, 4, True), (8, 4, False), (8, 5, True), (5, 2, False), (5, 3, True),
    (3, 2, True), (1, 1, True)])
def test_exactly_half_of_all_members_is_not_a_majority(members, votes_for, passed):
    assert owners_committee(members, members, votes_for).passed is passed


@pytest.mark.parametrize(("members", "present", "reached"), [
    (7, 4, True), (7, 3, False), (7, 7, True), (7, 0, False),
    (6, 3, False), (6, 4, True), (5, 3, True), (5, 2, False)])
def test_owners_committee_quorum_is_more_than_half_of_all_members(members, present, reached):
    outcome = owners_committee(members, present, 0)
    assert outcome.quorum_reached is reached
    assert outcome.rule is BEIJING.owners_committee


@pytest.mark.parametrize(("present", "reps_present", "reached"), [
    (5, 3, True),
    (5, 2, False),    # enough members, but only 2 of 4 owner representatives: exactly half
    (4, 2, False),
    (4, 3, True),
    (3, 3, False),    # 3 of 4 owner representatives, but only 3 of 7 members
])
def test_management_committee_needs_both_majorities_present(present, reps_present, reached):
    outcome = management_committee(7, present, 0, reps=4, reps_present=reps_present)
    assert outcome.quorum_reached is reached
    assert outcome.rule is BEIJING.management_committee


@pytest.mark.parametrize(("reps", "reps_present", "reached"), [(3, 2, True), (3, 1, False),
                                                                (5, 3, True), (5, 2, False)])
def test_owner_representative_quorum_at_odd_sizes(reps, reps_present, reached):
    assert management_committee(7, 7 - reps + reps_present, 0, reps=reps,
                                reps_present=reps_present).quorum_reached is reached


def test_no_quorum_fails_even_when_the_votes_would_pass():
    # 6 of 9 members present and for, but only 2 of the 5 owner representatives present.
    outcome = management_committee(9, 6, 6, reps=5, reps_present=2)
    assert not outcome.quorum_reached
    assert not outcome.passed
    assert "未达到法定人数" in outcome.explanation_zh
    with_quorum = management_committee(9, 7, 6, reps=5, reps_present=3)
    assert with_quorum.quorum_reached and with_quorum.passed


def test_committee_explanation_names_the_rule_and_the_figures():
    text = owners_committee(7, 5, 4, 1, 0).explanation_zh
    assert text.startswith("依据《北京市物业管理条例》第四十五条")
    for figure in ("委员7人", "出席5人", "达到法定人数", "赞成4票", "反对1票", "弃权0票", "4/7",
                   "超过全体委员半数", "决议通过"):
        assert figure in text
    assert text.count("。") == 1 and text.endswith("。")

    failed = owners_committee(7, 7, 3, 2, 2).explanation_zh
    assert "赞成3票" in failed and "3/7" in failed and "未超过全体委员半数" in failed
    assert failed.endswith("决议未通过。")

    management = management_committee(7, 5, 4, reps=4, reps_present=2).explanation_zh
    assert management.startswith("依据《北京市物业管理条例》第五十七条")
    for figure in ("物业管理委员会委员7人", "出席5人", "业主代表委员4人", "出席2人",
                   "未超过业主代表委员半数", "未达到法定人数", "决议未通过"):
        assert figure in management


def test_committee_outcome_carries_its_citation():
    outcome = owners_committee(7, 5, 4)
    assert "《北京市物业管理条例》" in outcome.citation and "第四十五条" in outcome.citation
    assert "上海" not in outcome.citation  # Beijing's rulebook cites Beijing's law alone
    assert "第五十七条" in management_committee(7, 5, 4, reps=4, reps_present=3).citation


@pytest.mark.parametrize(("args", "reps"), [
    ((-1, 0, 0, 0, 0), {}),
    ((7, -1, 0, 0, 0), {}),
    ((7, 5, -1, 0, 0), {}),
    ((7, 5, 0, -1, 0), {}),
    ((7, 5, 0, 0, -1), {}),
    ((0, 0, 0, 0, 0), {}),
    ((7, 8, 0, 0, 0), {}),            # more present than members
    ((7, 7, 8, 0, 0), {}),            # more votes than members
    ((7, 5, 4, 1, 1), {}),            # more votes than members present: no proxies
    ((7, 3, 4, 0, 0), {}),
    ((7, 5, 4, 0, 0), {"owner_representatives": 4, "owner_representatives_present": 3}),
])
def test_invalid_owners_committee_figures_are_refused(args, reps):
    with pytest.raises(ValueError):
        committee_result(*args, kind=OWNERS, **reps)


@pytest.mark.parametrize(("present", "reps", "reps_present"), [
    (5, None, None),                  # management committee without its owner representatives
    (5, 4, None),
    (5, 0, 0),
    (5, 8, 3),                        # more owner representatives than members
    (5, 4, 5),                        # more present than serve
    (2, 4, 3),                        # more owner representatives present than members present
    (5, 4, 0),                        # 5 present but only 3 members are not representatives
    (5, -1, 0),
    (5, 4, -1),
])
def test_invalid_management_committee_figures_are_refused(present, reps, reps_present):
    with pytest.raises(ValueError):
        committee_result(7, present, 0, 0, 0, kind=MANAGEMENT, owner_representatives=reps,
                         owner_representatives_present=reps_present)


@pytest.mark.parametrize("bad", [4.0, "4", True, None])
def test_committee_figures_must_be_integers(bad):
    with pytest.raises(TypeError):
        committee_result(7, 5, bad, 0, 0, kind=OWNERS)


def test_unknown_committee_kind_is_refused():
    with pytest.raises(ValueError):
        committee_result(7, 5, 4, 0, 0, kind="residents_committee")


# --- named committee ballots and snapshots ---------------------------------------------------

def test_tally_counts_named_ballots_and_refuses_a_second_ballot():
    ballots = [MemberBallot(1, FOR), MemberBallot(2, AGAINST), MemberBallot(3, FOR),
               MemberBallot("4", ABSTAIN)]
    assert tally(ballots) == (2, 1, 1)
    with pytest.raises(ValueError, match="twice"):
        tally(ballots + [MemberBallot(1, AGAINST)])


def test_committee_result_from_named_ballots():
    members = list(range(1, 8))
    ballots = [MemberBallot(i, FOR) for i in (1, 2, 3, 4)] + [MemberBallot(5, ABSTAIN)]
    outcome = committee_result_from_ballots(OWNERS, members, [1, 2, 3, 4, 5], ballots,
                                            rulebook=BEIJING)
    assert outcome == owners_committee(7, 5, 4, 0, 1)

    reps = [4, 5, 6, 7]
    outcome = committee_result_from_ballots(MANAGEMENT, members, [1, 2, 3, 4, 5], ballots, reps,
                                            rulebook=BEIJING)
    assert (outcome.owner_representatives, outcome.owner_representatives_present) == (4, 2)
    assert not outcome.quorum_reached


@pytest.mark.parametrize(("present", "ballots", "reps"), [
    ([1, 2, 3, 9], [], ()),                                  # present but not a member
    ([1, 2, 3, 4], [MemberBallot(5, FOR)], ()),              # voted without being present
    ([1, 2, 3, 3], [], ()),                                   # listed present twice
    ([1, 2, 3, 4], [MemberBallot(1, FOR)] * 2, ()),
    ([1, 2, 3, 4], [], (1, 2)),                    # owner representatives on an owners' committee
    ([1, 2, 3, 4], [MemberBallot(1, None)], ()),
])
def test_inconsistent_named_ballots_are_refused(present, ballots, reps):
    with pytest.raises(ValueError):
        committee_result_from_ballots(OWNERS, range(1, 8), present, ballots, reps)


def test_committee_outcome_is_recomputed_from_its_snapshot_and_record():
    ballots = [MemberBallot(f"m{i}", choice) for i, choice in
               enumerate([FOR, FOR, AGAINST, FOR, ABSTAIN, FOR])]
    members = [f"m{i}" for i in range(9)]
    reps = ["m0", "m1", "m5", "m6", "m7"]
    snapshot = committee_snapshot(MANAGEMENT, members, [f"m{i}" for i in range(7)], ballots, reps,
                                  rulebook=BEIJING.code)
    outcome = committee_result_from_ballots(MANAGEMENT, members, [f"m{i}" for i in range(7)],
                                            ballots, reps, rulebook=BEIJING)
    stored_snapshot = json.loads(json.dumps(snapshot))
    stored_record = json.loads(json.dumps(outcome.to_record()))
    assert outcome_from_snapshot(stored_snapshot) == outcome
    assert Outcome.from_record(stored_record) == outcome
    assert verify(stored_snapshot, stored_record)
    assert stored_record["rule"] == BEIJING.management_committee.code
    assert stored_record["citation"] == BEIJING.management_committee.citation

    tampered = dict(stored_record, passed=not stored_record["passed"])
    assert not verify(stored_snapshot, tampered)
    stored_snapshot["ballots"][2]["choice"] = "for"
    assert not verify(stored_snapshot, stored_record)


@pytest.mark.parametrize("snapshot", [{"version": 2, "type": "committee"},
                                      {"version": 1, "type": "referendum"}, {}])
def test_unknown_snapshots_are_refused(snapshot):
    with pytest.raises(ValueError):
        outcome_from_snapshot(snapshot)


# --- owners' assembly: the matters of 民法典 art. 278 ------------------------------------------

def test_matters_are_the_nine_items_of_article_278():
    assert [m.item for m in Matter] == list(range(1, 10))
    assert {m for m in Matter if m.needs_three_quarters} == set(THREE_QUARTER_MATTERS)
    assert Matter.USE_FUND.item == 5 and Matter.RAISE_FUND.item == 6
    assert Matter.RAISE_FUND.label_zh == "筹集建筑物及其附属设施的维修资金"
    assert Matter.USE_FUND.label_zh == "使用建筑物及其附属设施的维修资金"
    assert Matter("change_common_use").label_zh == "改变共有部分的用途或者利用共有部分从事经营活动"


# --- participation: 三分之二以上 of area and of headcount ------------------------------------------

@pytest.mark.parametrize(("areas", "participates"), [
    (("100.00", "100.00", "100.00"), True),    # 200 of 300 m²: exactly 2/3
    (("99.00", "100.00", "101.00"), False),    # 1 m² less
    (("99.99", "100.00", "100.01"), False),    # 0.01 m² less
    (("100.01", "100.00", "99.99"), True),
])
def test_exactly_two_thirds_of_the_area_takes_part(areas, participates):
    # Owners a and b vote (2 of 3 owners: exactly 2/3 of the headcount); c does not.
    a, b, c = areas
    outcome = decide([unit("a", a, FOR), unit("b", b, FOR), unit("c", c)], Matter.USE_FUND)
    assert outcome.participation_headcount_share == Fraction(2, 3)
    assert outcome.participation_reached is participates
    assert outcome.passed is participates


@pytest.mark.parametrize(("voters", "participates"), [(4, True), (3, False), (5, True)])
def test_exactly_two_thirds_of_the_headcount_takes_part(voters, participates):
    # One big owner and five small ones; the big one votes, so the area is always enough.
    units = [unit("big", "500.00", FOR)] + [
        unit(f"small{i}", "10.00", FOR if i < voters - 1 else None) for i in range(5)]
    outcome = decide(units, Matter.ELECT_COMMITTEE)
    assert outcome.total_headcount == 6
    assert outcome.participation_area_share >= outcome.participation_threshold.ratio
    assert outcome.participation_reached is participates
    assert outcome.passed is participates


# --- approval: items (六)–(八) 四分之三以上, everything else 过半数 --------------------------------

@pytest.mark.parametrize("matter", THREE_QUARTER_MATTERS)
@pytest.mark.parametrize(("for_area", "against_area", "passed"), [
    ("300.00", "100.00", True),       # exactly 3/4 of the participating area
    ("299.99", "100.01", False),      # just under
    ("300.01", "99.99", True),
])
def test_three_quarters_of_the_participating_area(matter, for_area, against_area, passed):
    # Seven owners for, one against: 7/8 of the headcount, so only the area decides.
    units = [unit(f"f{i}", "50.00", FOR) for i in range(5)] + [
        unit("f5", Decimal(for_area) - Decimal("250.00") - Decimal("10.00"), FOR),
        unit("f6", "10.00", FOR), unit("x", against_area, AGAINST)]
    outcome = decide(units, matter)
    assert outcome.rule is ASSEMBLY_THREE_QUARTERS_RULE
    assert outcome.approving_area == Decimal(for_area)
    assert outcome.participation_reached
    assert outcome.passed is passed


@pytest.mark.parametrize("matter", THREE_QUARTER_MATTERS)
@pytest.mark.parametrize(("votes_for", "against", "passed"), [
    (9, 3, True),     # exactly 3/4 of the participating headcount
    (8, 4, False),    # one fewer
    (3, 1, True), (2, 2, False), (10, 2, True)])
def test_three_quarters_of_the_participating_headcount(matter, votes_for, against, passed):
    # Those for hold 100 m² each, those against 1 m²: the area share is always above 3/4.
    units = [unit(f"f{i}", "100.00", FOR) for i in range(votes_for)] + [
        unit(f"a{i}", "1.00", AGAINST) for i in range(against)]
    outcome = decide(units, matter)
    assert outcome.approval_area_share >= outcome.approval_threshold.ratio
    assert outcome.passed is passed


@pytest.mark.parametrize("matter", MAJORITY_MATTERS)
@pytest.mark.parametrize(("for_area", "against_area", "passed"), [
    ("150.00", "150.00", False),      # exactly half of the participating area
    ("150.01", "149.99", True),       # just over
])
def test_more_than_half_of_the_participating_area(matter, for_area, against_area, passed):
    # Three owners for, one against: 3/4 of the headcount, so only the area decides.
    units = [unit("f1", "50.00", FOR), unit("f2", "50.00", FOR),
             unit("f3", Decimal(for_area) - 100, FOR), unit("x", against_area, AGAINST)]
    outcome = decide(units, matter)
    assert outcome.rule is ASSEMBLY_MAJORITY_RULE
    assert outcome.passed is passed


@pytest.mark.parametrize("matter", MAJORITY_MATTERS)
@pytest.mark.parametrize(("votes_for", "not_for", "passed"), [
    (2, 2, False), (3, 2, True), (5, 5, False), (6, 5, True), (1, 0, True), (0, 1, False)])
def test_more_than_half_of_the_participating_headcount(matter, votes_for, not_for, passed):
    # Abstaining takes part but does not agree.
    units = [unit(f"f{i}", "100.00", FOR) for i in range(votes_for)] + [
        unit(f"n{i}", "1.00", ABSTAIN if i % 2 else AGAINST) for i in range(not_for)]
    outcome = decide(units, matter)
    assert outcome.participation_reached
    assert outcome.passed is passed


def test_using_the_fund_needs_a_majority_raising_it_three_quarters():
    # 2 of 3 for, by area and headcount: enough to use the fund (item 5), not to raise it (item 6).
    units = [unit("a", "100.00", FOR), unit("b", "100.00", FOR), unit("c", "100.00", AGAINST)]
    assert decide(units, Matter.USE_FUND).passed
    assert not decide(units, Matter.RAISE_FUND).passed


# --- counting owners (SPC interpretation arts. 8–9) ------------------------------------------

def test_an_owner_with_several_units_counts_once_with_the_areas_summed():
    units = [unit("1-101", "60.00", FOR, owner="王"), unit("1-102", "50.00", FOR, owner="王"),
             unit("2-101", "100.00", AGAINST, owner="李"), unit("2-102", "100.00", owner="张")]
    outcome = decide(units, Matter.USE_FUND)
    assert outcome.total_headcount == 3
    assert (outcome.for_headcount, outcome.for_area) == (1, Decimal("110.00"))
    assert outcome.voted_headcount == 2 and outcome.participation_reached
    assert outcome.approval_headcount_share == Fraction(1, 2)
    assert not outcome.passed          # 王 is one of two voters: not more than half
    counted_apart = decide([u if u.unit_id != "1-102" else unit("1-102", "50.00", FOR, owner="赵")
                            for u in units], Matter.USE_FUND)
    assert counted_apart.total_headcount == 4 and counted_apart.passed


def test_all_unsold_developer_units_count_as_one_owner():
    units = [unit(f"d{i}", "80.00", AGAINST, developer=True) for i in range(4)] + [
        unit("a", "100.00", FOR), unit("b", "100.00", FOR), unit("c", "100.00")]
    outcome = decide(units, Matter.HIRE_PROPERTY_COMPANY)
    assert outcome.total_headcount == 4
    assert (outcome.against_headcount, outcome.against_area) == (1, Decimal("320.00"))
    assert outcome.participation_reached       # 3 of 4 owners, 520 of 620 m²
    assert not outcome.passed                  # 200 of 520 m² for: not more than half


def test_developer_units_count_as_one_whatever_their_owner_ref():
    units = [UnitBallot(f"d{i}", f"dev-{i}", True, Decimal("10.00"), FOR) for i in range(3)] + [
        unit("a", "10.00", AGAINST), unit("b", "10.00", AGAINST)]
    outcome = decide(units, Matter.OTHER_MAJOR)
    assert outcome.total_headcount == 3
    assert outcome.for_headcount == 1


@pytest.mark.parametrize("second", [AGAINST, ABSTAIN, None])
def test_an_owner_with_conflicting_choices_is_refused(second):
    units = [unit("1-101", "60.00", FOR, owner="王"), unit("1-102", "40.00", second, owner="王"),
             unit("2-101", "100.00", FOR)]
    with pytest.raises(ValueError, match="王.*one person"):
        decide(units, Matter.USE_FUND)


def test_developer_units_with_conflicting_choices_are_refused():
    units = [unit("d1", "10.00", FOR, developer=True), unit("d2", "10.00", AGAINST, developer=True),
             unit("a", "10.00", FOR)]
    with pytest.raises(ValueError, match="developer"):
        decide(units, Matter.USE_FUND)


# --- the compound's non-voters rule (管理规约) ------------------------------------------------------

def test_non_voters_rule_is_off_by_default_and_changes_the_result_when_on():
    # 4 of 6 owners vote, all for, two silent: on, the silent two join the majority.
    units = [unit(f"v{i}", "100.00", FOR) for i in range(4)] + [
        unit(f"n{i}", "100.00") for i in range(2)]
    off = decide(units, Matter.RAISE_FUND)
    assert off.non_voters_counted_as is None
    assert "管理规约" not in off.explanation_zh

    on = decide(units, Matter.RAISE_FUND, non_voters_follow_majority=True)
    assert on.passed
    assert on.non_voters_counted_as is FOR
    assert (on.voted_headcount, on.participating_headcount, on.approving_headcount) == (4, 6, 6)
    assert "依管理规约“未参与表决的业主视为同意多数意见”" in on.explanation_zh
    assert "实际参与表决的面积和人数均已达到三分之二以上" in on.explanation_zh
    assert "未参与表决的业主2人、面积200.00平方米" in on.explanation_zh
    assert "计为赞成" in on.explanation_zh


@pytest.mark.parametrize(("voting", "silent", "clause_applies"), [
    (1, 89, False),   # the finding: 1 of 90 owners "for" must not pass a fund-raising matter
    (59, 31, False),  # 59/90 is just below two thirds
    (60, 30, True),   # 60/90 is exactly two thirds: 以上 includes it (民法典 art. 1259)
])
def test_the_non_voters_rule_waits_for_art_278_participation(voting, silent, clause_applies):
    units = [unit(f"v{i}", "100.00", FOR) for i in range(voting)] + [
        unit(f"n{i}", "100.00") for i in range(silent)]
    on = decide(units, Matter.RAISE_FUND, non_voters_follow_majority=True)
    assert on.passed is clause_applies and on.participation_reached is clause_applies
    assert (on.non_voters_counted_as is FOR) is clause_applies
    assert on.participating_headcount == (voting + silent if clause_applies else voting)
    if not clause_applies:
        assert on.participation_headcount_share == Fraction(voting, voting + silent)
        assert "该约定不适用" in on.explanation_zh and "决定未通过" in on.explanation_zh
        assert "the covenant counting non-voters with the majority does not apply" \
            in on.explanation_en


def test_a_vote_closed_before_the_participation_floor_reads_back_as_it_was_counted():
    # Stored inputs without an edition were counted by the first edition, where the clause
    # applied to any vote; its record must keep verifying.
    units = [unit("v", "100.00", FOR)] + [unit(f"n{i}", "100.00") for i in range(89)]
    ballots, total = register(*units)
    old = assembly_result(ballots, total, Matter.RAISE_FUND, non_voters_follow_majority=True,
                          edition=1)
    snapshot = json.loads(json.dumps(assembly_snapshot(ballots, total, Matter.RAISE_FUND,
                                                       non_voters_follow_majority=True)))
    del snapshot["edition"]
    assert old.passed and verify(snapshot, old.to_record())
    snapshot["edition"] = 2
    assert not verify(snapshot, old.to_record())


def test_non_voters_follow_a_majority_against():
    units = [unit("v1", "100.00", FOR), unit("v2", "100.00", AGAINST),
             unit("v3", "100.00", AGAINST), unit("n1", "100.00")]
    on = decide(units, Matter.USE_FUND, non_voters_follow_majority=True)
    assert on.non_voters_counted_as is AGAINST
    assert (on.participating_headcount, on.approving_headcount) == (4, 1)
    assert not on.passed and "计为反对" in on.explanation_zh


@pytest.mark.parametrize(("for_areas", "against_areas", "side"), [
    (["100.00", "100.00"], ["300.00"], AGAINST),   # majority of voters by headcount, not by area
    (["300.00"], ["100.00", "100.00"], AGAINST),   # by area, not by headcount
    (["100.00"], ["100.00"], AGAINST),             # a tie is no majority
    (["100.00", "100.00"], ["100.00"], FOR)])
def test_the_majority_to_follow_needs_both_area_and_headcount(for_areas, against_areas, side):
    units = [unit(f"f{i}", a, FOR) for i, a in enumerate(for_areas)] + [
        unit(f"a{i}", a, AGAINST) for i, a in enumerate(against_areas)] + [unit("n", "50.00")]
    outcome = decide(units, Matter.USE_FUND, non_voters_follow_majority=True)
    assert outcome.non_voters_counted_as is side


def test_non_voters_rule_can_lift_a_three_quarter_matter():
    # 7 of 10 voters for (not 3/4), 5 owners silent (10 of 15 really took part, two thirds):
    # they join the "for" majority (12/15).
    units = [unit(f"f{i}", "10.00", FOR) for i in range(7)] + [
        unit(f"a{i}", "10.00", AGAINST) for i in range(3)] + [
        unit(f"n{i}", "10.00") for i in range(5)]
    assert not decide(units, Matter.REBUILD).passed
    assert decide(units, Matter.REBUILD, non_voters_follow_majority=True).passed


def test_non_voters_rule_without_any_voter_does_nothing():
    units = [unit(f"n{i}", "10.00") for i in range(3)]
    outcome = decide(units, Matter.USE_FUND, non_voters_follow_majority=True)
    assert outcome.non_voters_counted_as is None
    assert outcome.participating_headcount == 0 and outcome.approval_area_share is None
    assert not outcome.passed
    assert "无业主参与表决" in outcome.explanation_zh


# --- explanations and records ------------------------------------------------------------------

def test_assembly_explanation_contains_the_figures():
    units = [unit("a", "100.00", FOR), unit("b", "100.00", FOR), unit("c", "100.00", FOR),
             unit("d", "100.00", AGAINST), unit("e", "200.00")]
    outcome = decide(units, Matter.RAISE_FUND)
    text = outcome.explanation_zh
    assert text.startswith("依据《中华人民共和国民法典》第二百七十八条第一款第六项")
    for figure in ("筹集建筑物及其附属设施的维修资金", "总面积600.00平方米", "业主共5人",
                   "参与表决面积400.00平方米", "占总面积的2/3", "达到三分之二以上",
                   "参与表决人数4人", "占总人数的4/5", "同意面积300.00平方米", "占参与表决面积的3/4",
                   "达到四分之三以上", "同意人数3人", "占参与表决人数的3/4", "决定通过"):
        assert figure in text, figure
    assert text.count("。") == 1 and text.endswith("。")


def test_assembly_explanation_says_which_measure_failed():
    units = [unit("a", "100.00", FOR), unit("b", "100.00", FOR), unit("c", "1.00", AGAINST),
             unit("d", "1.00")]
    text = decide(units, Matter.USE_FUND).explanation_zh
    assert "占总面积的约99.50%" in text and "达到三分之二以上" in text
    assert "占总人数的3/4" in text
    assert "同意人数2人，占参与表决人数的2/3，超过半数" in text
    failed = decide([unit("a", "100.00", FOR), unit("b", "100.00"), unit("c", "100.00")],
                    Matter.USE_FUND).explanation_zh
    assert "占总面积的1/3，不足三分之二" in failed and failed.endswith("决定未通过。")


def test_large_denominators_are_shown_as_a_rounded_percentage():
    units = [unit("a", "12345.67", FOR), unit("b", "9876.54", FOR), unit("c", "1000.01")]
    text = decide(units, Matter.USE_FUND).explanation_zh
    assert "占总面积的约95.69%" in text


def _says_passed(text):
    """The verdict a sentence ends with: 决议/决定通过 or 决议/决定未通过."""
    assert text.endswith(("决议通过。", "决议未通过。", "决定通过。", "决定未通过。")), text
    return not text.endswith("未通过。")


COMMITTEE_VERDICTS = {
    "passed": lambda: owners_committee(7, 5, 4, 1, 0),
    "failed on turnout": lambda: owners_committee(7, 3, 3),
    "failed on owner representatives present": lambda: management_committee(
        7, 5, 4, reps=4, reps_present=2),
    "failed on share": lambda: owners_committee(7, 7, 3, 2, 2),
    "exactly half for": lambda: owners_committee(6, 6, 3, 3),
}
ASSEMBLY_VERDICTS = {
    "passed": lambda: decide([unit("a", "100.00", FOR), unit("b", "100.00", FOR),
                              unit("c", "100.00", AGAINST)], Matter.USE_FUND),
    "failed on turnout": lambda: decide([unit("a", "100.00", FOR), unit("b", "100.00"),
                                         unit("c", "100.00")], Matter.USE_FUND),
    "failed on turnout by area only": lambda: decide(
        [unit("big", "500.00"), unit("a", "10.00", FOR), unit("b", "10.00", FOR),
         unit("c", "10.00", FOR)], Matter.USE_FUND),
    "failed on share": lambda: decide([unit("a", "100.00", FOR), unit("b", "100.00", AGAINST),
                                       unit("c", "100.00", AGAINST)], Matter.USE_FUND),
    "failed on the headcount share only": lambda: decide(
        [unit("big", "300.00", FOR), unit("a", "10.00", AGAINST), unit("b", "10.00", AGAINST)],
        Matter.USE_FUND),
    "three quarters missed": lambda: decide(
        [unit("a", "100.00", FOR), unit("b", "100.00", FOR), unit("c", "100.00", AGAINST)],
        Matter.RAISE_FUND),
}


@pytest.mark.parametrize("case", COMMITTEE_VERDICTS)
def test_committee_sentence_states_the_outcome_verdict(case):
    outcome = COMMITTEE_VERDICTS[case]()
    assert _says_passed(outcome.explanation_zh) is outcome.passed
    assert ("未达到法定人数" in outcome.explanation_zh) is not outcome.quorum_reached


@pytest.mark.parametrize("case", ASSEMBLY_VERDICTS)
def test_assembly_sentence_states_the_outcome_verdict(case):
    outcome = ASSEMBLY_VERDICTS[case]()
    assert _says_passed(outcome.explanation_zh) is outcome.passed
    assert ("参与表决未达到法定要求" in outcome.explanation_zh) is not outcome.participation_reached


def test_the_verdicts_name_the_condition_that_failed():
    turnout = COMMITTEE_VERDICTS["failed on turnout"]()
    assert not turnout.members_present_reached and not turnout.quorum_reached
    reps = COMMITTEE_VERDICTS["failed on owner representatives present"]()
    assert reps.members_present_reached and reps.owner_representatives_present_reached is False
    share = COMMITTEE_VERDICTS["failed on share"]()
    assert share.quorum_reached and not share.approval_reached and not share.passed
    assert COMMITTEE_VERDICTS["passed"]().owner_representatives_present_reached is None

    by_area = ASSEMBLY_VERDICTS["failed on turnout by area only"]()
    assert by_area.participation_headcount_reached and not by_area.participation_area_reached
    by_head = ASSEMBLY_VERDICTS["failed on the headcount share only"]()
    assert by_head.participation_reached and by_head.approval_area_reached
    assert not by_head.approval_headcount_reached and not by_head.passed


@pytest.mark.parametrize("case", COMMITTEE_VERDICTS)
def test_committee_sentence_reads_the_verdict_not_the_figures(case):
    """The same figures with the opposite verdict: a sentence that weighed the figures itself
    would still say what they give; this one says what the rules decided."""
    outcome = COMMITTEE_VERDICTS[case]()
    flipped = replace(outcome, quorum_reached=True, members_present_reached=True,
                      owner_representatives_present_reached=(
                          None if outcome.owner_representatives is None else True),
                      approval_reached=not outcome.passed, passed=not outcome.passed)
    text = committee_sentence(flipped)
    assert _says_passed(text) is flipped.passed
    assert "未超过" not in text.split("赞成票")[0]   # every quorum condition now reached
    assert text.endswith(("，超过全体委员半数，决议通过。" if flipped.passed
                          else "，未超过全体委员半数，决议未通过。"))


@pytest.mark.parametrize("case", ASSEMBLY_VERDICTS)
def test_assembly_sentence_reads_the_verdict_not_the_figures(case):
    outcome = ASSEMBLY_VERDICTS[case]()
    verdict = not outcome.passed
    flipped = replace(outcome, participation_area_reached=True,
                      participation_headcount_reached=True, participation_reached=True,
                      approval_area_reached=verdict, approval_headcount_reached=verdict,
                      passed=verdict)
    text = assembly_sentence(flipped)
    assert _says_passed(text) is verdict
    assert "不足三分之二" not in text
    said = outcome.rule.approval.verdict_zh(verdict)
    assert f"，{said}，同意人数" in text
    assert text.endswith(f"，{said}，决定{'通过' if verdict else '未通过'}。")


def test_assembly_outcome_is_recomputed_from_its_snapshot_and_record():
    ballots, total = register(
        unit("1-101", "60.25", FOR, owner="王"), unit("1-102", "40.50", FOR, owner="王"),
        unit("2-101", "99.99", AGAINST), unit("d1", "70.00", ABSTAIN, developer=True),
        unit("d2", "30.00", ABSTAIN, developer=True), unit("3-101", "88.88"))
    outcome = assembly_result(ballots, total, Matter.CHANGE_COMMON_USE,
                              non_voters_follow_majority=True)
    snapshot = json.loads(json.dumps(assembly_snapshot(
        ballots, total, Matter.CHANGE_COMMON_USE, non_voters_follow_majority=True)))
    record = json.loads(json.dumps(outcome.to_record()))
    assert outcome_from_snapshot(snapshot) == outcome
    assert AssemblyOutcome.from_record(record) == outcome
    assert verify(snapshot, record)
    assert record["total_area"] == "389.62"
    assert record["participation_threshold"] == "2/3" and record["approval_threshold"] == "3/4"
    assert record["participation_headcount_share"] == "1/1"
    snapshot["units"][0]["area"] = "60.26"
    snapshot["total_area"] = "389.63"
    assert not verify(snapshot, record)


def test_snapshot_areas_may_be_decimals():
    ballots, total = register(unit("a", "100.00", FOR), unit("b", "50.00"))
    snapshot = assembly_snapshot(ballots, total, Matter.USE_FUND)
    snapshot["units"] = [dict(u, area=Decimal(u["area"])) for u in snapshot["units"]]
    snapshot["total_area"] = Decimal(snapshot["total_area"])
    assert outcome_from_snapshot(snapshot) == assembly_result(ballots, total, Matter.USE_FUND)


# --- invalid registers -------------------------------------------------------------------------

@pytest.mark.parametrize(("units", "total"), [
    ([], "0.01"),
    ([unit("a", "-10.00", FOR)], "-10.00"),
    ([unit("a", "0.00", FOR)], "0.00"),
    ([unit("a", "10.005", FOR)], "10.005"),                          # more than two decimals
    ([unit("a", "10.00", FOR), unit("a", "10.00", FOR)], "20.00"),   # a unit listed twice
    ([unit("a", "10.00", FOR), unit("b", "10.00")], "30.00"),        # register is incomplete
    ([unit("a", "10.00", FOR), unit("b", "10.00")], "10.00"),        # more than the total
    ([UnitBallot("a", None, False, Decimal("10.00"), FOR)], "10.00"),  # whose unit?
    ([UnitBallot("a", "  ", False, Decimal("10.00"), FOR)], "10.00"),
    ([UnitBallot("a", "w", False, Decimal("10.00"), "yes")], "10.00"),
    ([unit("a", "NaN", FOR)], "10.00"),
    ([unit("a", "10.00", FOR)], "ten"),
])
def test_invalid_registers_are_refused(units, total):
    with pytest.raises(ValueError):
        assembly_result(units, total, Matter.USE_FUND)


@pytest.mark.parametrize(("units", "total"), [
    ([UnitBallot("a", "w", False, 10.0, FOR)], Decimal("10.00")),   # never a float
    ([unit("a", "10.00", FOR)], 10.0),
    ([UnitBallot("a", "w", 0, Decimal("10.00"), FOR)], Decimal("10.00")),
])
def test_floats_and_other_types_are_refused(units, total):
    with pytest.raises(TypeError):
        assembly_result(units, total, Matter.USE_FUND)


def test_unknown_matter_is_refused():
    with pytest.raises(ValueError):
        decide([unit("a", "10.00", FOR)], "repaint_the_fence")


def test_a_share_that_would_round_to_its_threshold_is_given_exactly():
    # 3000.01 of 6000.00 m² for: "约50.00%，超过半数" would read as a contradiction.
    units = [unit("a", "2000.00", FOR), unit("b", "1000.01", FOR), unit("c", "2999.99", AGAINST)]
    outcome = decide(units, Matter.USE_FUND)
    assert outcome.approval_area_reached
    assert "占参与表决面积的3000.01/6000.00，超过半数" in outcome.explanation_zh
    assert "约50.00%" not in outcome.explanation_zh
    assert "3000.01/6000.00 of the area taking part (more than half)" in outcome.explanation_en
    # Away from a threshold a share stays a rounded percentage.
    units = [unit("a", "3500.00", FOR), unit("b", "1000.01", FOR), unit("c", "1499.99", AGAINST)]
    assert "约75.00%" in decide(units, Matter.USE_FUND).explanation_zh
