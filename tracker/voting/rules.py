"""Voting rules with legal weight — pure functions over integers and ``Fraction``.

No Flask, no database, no floats. Areas arrive as ``Decimal`` m² with at most two decimals (as in
the property register) and are converted exactly to ``Fraction``.

"过半数"/"超过" are strictly greater than; "以上" includes the number itself (民法典 art. 1259:
民法所称的“以上”……包括本数；所称的……“超过”……不包括本数).

* an owners' committee decision: :func:`committee_result` with ``kind=OWNERS_COMMITTEE``;
* a property management committee decision: the same with ``kind=MANAGEMENT_COMMITTEE``;
* an owners' joint decision (业主共同决定, 民法典 art. 278): :func:`assembly_result`.

This module decides: every condition of the rule is weighed here, once, and the outcome carries
which were reached and which were missed. The sentence that explains an outcome
(:mod:`tracker.voting.explanation`) only reads that verdict. Every outcome can be stored
(``to_record()``) next to a snapshot of its inputs and recomputed later
(:mod:`tracker.voting.records`) — DESIGN §5.4.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from typing import Any, Self

from tracker.voting.explanation import (
    assembly_sentence,
    assembly_sentence_en,
    committee_sentence,
    committee_sentence_en,
)
from tracker.voting.rulebooks import LEGACY, NATIONAL, RULEBOOKS, Rulebook, own_rules, rule_of_code
from tracker.voting.thresholds import (  # noqa: F401  (the thresholds are read from here too)
    ART_1259,
    HALF_OR_MORE,
    MORE_THAN_HALF,
    THREE_QUARTERS_OR_MORE,
    TWO_THIRDS_OR_MORE,
    Rule,
    Threshold,
)


class Choice(StrEnum):
    """A voter's choice."""
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"

    @property
    def label_zh(self) -> str:
        return {"for": "赞成", "against": "反对", "abstain": "弃权"}[self.value]


class CommitteeKind(StrEnum):
    """The deciding committee; the values are those of ``places.models.GovernanceMode``."""
    OWNERS_COMMITTEE = "owners_committee"
    MANAGEMENT_COMMITTEE = "management_committee"

    @property
    def label_zh(self) -> str:
        return {"owners_committee": "业主委员会", "management_committee": "物业管理委员会"}[self.value]


class Matter(StrEnum):
    """The matters owners decide jointly: 民法典 art. 278 para. 1, items (一)–(九)."""
    ASSEMBLY_RULES = "assembly_rules", 1, "制定和修改业主大会议事规则"
    COVENANT = "covenant", 2, "制定和修改管理规约"
    ELECT_COMMITTEE = "elect_committee", 3, "选举业主委员会或者更换业主委员会成员"
    HIRE_PROPERTY_COMPANY = "hire_property_company", 4, "选聘和解聘物业服务企业或者其他管理人"
    USE_FUND = "use_fund", 5, "使用建筑物及其附属设施的维修资金"
    RAISE_FUND = "raise_fund", 6, "筹集建筑物及其附属设施的维修资金"
    REBUILD = "rebuild", 7, "改建、重建建筑物及其附属设施"
    CHANGE_COMMON_USE = "change_common_use", 8, "改变共有部分的用途或者利用共有部分从事经营活动"
    OTHER_MAJOR = "other_major", 9, "有关共有和共同管理权利的其他重大事项"

    item: int
    label_zh: str

    def __new__(cls, value: str, item: int, label_zh: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.item = item
        member.label_zh = label_zh
        return member

    @property
    def needs_three_quarters(self) -> bool:
        """Items (六)–(八) need 四分之三以上 of the participating area and headcount
        (民法典 art. 278 para. 2, second sentence); the others 过半数 (third sentence)."""
        return self.item in (6, 7, 8)


# The committee rules come with the place's rulebook (tracker.voting.rulebooks); the rules the
# first version applied everywhere stay readable for the votes decided under them.
OWNERS_COMMITTEE_RULE = LEGACY.owners_committee
MANAGEMENT_COMMITTEE_RULE = LEGACY.management_committee
_ASSEMBLY_CITATION = ("《中华人民共和国民法典》第二百七十八条；《最高人民法院关于审理建筑物区分所有权"
                      "纠纷案件适用法律若干问题的解释》第八条、第九条；" + ART_1259)
ASSEMBLY_THREE_QUARTERS_RULE = Rule(
    code="owners_assembly_three_quarters",
    name_zh="业主共同决定（第六项至第八项）：面积和人数均三分之二以上的业主参与表决，"
            "参与表决面积和人数均四分之三以上同意",
    basis_zh="《中华人民共和国民法典》第二百七十八条",
    citation=_ASSEMBLY_CITATION, quorum=TWO_THIRDS_OR_MORE, approval=THREE_QUARTERS_OR_MORE)
ASSEMBLY_MAJORITY_RULE = Rule(
    code="owners_assembly_majority",
    name_zh="业主共同决定（其他事项）：面积和人数均三分之二以上的业主参与表决，"
            "参与表决面积和人数均过半数同意",
    basis_zh="《中华人民共和国民法典》第二百七十八条",
    citation=_ASSEMBLY_CITATION, quorum=TWO_THIRDS_OR_MORE, approval=MORE_THAN_HALF)
RULES = {rule.code: rule for rule in (
    *(rule for book in RULEBOOKS.values() for rule in (book.owners_committee,
                                                        book.management_committee)),
    ASSEMBLY_THREE_QUARTERS_RULE, ASSEMBLY_MAJORITY_RULE)}


def assembly_rule(matter: Matter | str) -> Rule:
    """The rule for an art. 278 matter: items (六)–(八) three quarters, the others a majority."""
    matter = Matter(matter)
    return ASSEMBLY_THREE_QUARTERS_RULE if matter.needs_three_quarters else ASSEMBLY_MAJORITY_RULE


# ---------------------------------------------------------------------------------------------
# Committees
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MemberBallot:
    """One member's named vote at a committee meeting (committee ballots are named, DESIGN §5.4).
    Named apart from the ``models.CommitteeBallot`` table it is read from."""
    voter_id: int | str
    choice: Choice


@dataclass(frozen=True)
class Outcome:
    """The result of a committee vote, the figures it was computed from, and the verdict on each
    condition of the rule.

    ``owner_representatives``/``owner_representatives_present`` are ``None`` for an owners'
    committee, and so is ``owner_representatives_present_reached``.

    The verdict: ``members_present_reached`` (more than half of all members present),
    ``owner_representatives_present_reached`` (more than half of the owner-representative members
    present, management committee only), ``quorum_reached`` (both), ``approval_reached`` (more
    than half of all members for — weighed on the figures even without a quorum, though a meeting
    without one decides nothing) and ``passed`` (quorum and approval). ``quorum_reached`` and
    ``passed`` travel in the record with the figures; the per-condition verdicts do not, and are
    recomputed from the figures when a record is read back."""
    kind: CommitteeKind
    rule: Rule
    members: int
    present: int
    votes_for: int
    against: int
    abstain: int
    owner_representatives: int | None
    owner_representatives_present: int | None
    quorum_reached: bool
    passed: bool
    explanation_zh: str
    members_present_reached: bool
    owner_representatives_present_reached: bool | None
    approval_reached: bool

    @property
    def citation(self) -> str:
        return self.rule.citation

    @property
    def explanation_en(self) -> str:
        """The explanation in English, for readers of the English pages (the Chinese one is
        the record)."""
        return committee_sentence_en(self)

    def to_record(self) -> dict[str, Any]:
        """A JSON-serialisable dict to store with the vote; :meth:`from_record` reads it back."""
        return {
            "type": "committee", "kind": self.kind.value, "rule": self.rule.code,
            "rule_zh": self.rule.name_zh, "citation": self.rule.citation,
            "members": self.members, "present": self.present, "votes_for": self.votes_for,
            "against": self.against, "abstain": self.abstain,
            "owner_representatives": self.owner_representatives,
            "owner_representatives_present": self.owner_representatives_present,
            "quorum_reached": self.quorum_reached, "passed": self.passed,
            "explanation_zh": self.explanation_zh,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Outcome:
        rule = _rule(record["rule"])
        verdict = _committee_verdict(rule, record["members"], record["present"],
                                     record["votes_for"], record["owner_representatives"],
                                     record["owner_representatives_present"])
        return cls(
            kind=CommitteeKind(record["kind"]), rule=rule,
            members=record["members"], present=record["present"],
            votes_for=record["votes_for"], against=record["against"], abstain=record["abstain"],
            owner_representatives=record["owner_representatives"],
            owner_representatives_present=record["owner_representatives_present"],
            quorum_reached=record["quorum_reached"], passed=record["passed"],
            explanation_zh=record["explanation_zh"],
            members_present_reached=verdict["members_present_reached"],
            owner_representatives_present_reached=verdict["owner_representatives_present_reached"],
            approval_reached=verdict["approval_reached"])


def committee_result(members: int, present: int, votes_for: int, against: int, abstain: int, *,
                     kind: CommitteeKind | str, owner_representatives: int | None = None,
                     owner_representatives_present: int | None = None,
                     rulebook: Rulebook = NATIONAL, own_quorum: str | None = None,
                     own_approval: str | None = None) -> Outcome:
    """Decide a committee vote from its figures, by the rule ``rulebook`` (the place's) sets for
    the committee (:mod:`tracker.voting.rulebooks`), with an owners' committee's stricter
    ``own_quorum``/``own_approval`` from the compound's own rules (threshold codes). What follows describes the counting most
    rulebooks share; their thresholds differ (two thirds present in Shandong and Weifang, half of
    all members for in Henan).

    Owners' committee (业主委员会): the meeting needs more than half of all members present, in
    person (北京市物业管理条例 art. 45 para. 2: 应当有过半数委员参加，委员不得委托他人参会;
    上海市住宅物业管理规定 art. 26 para. 2: 应当有全体委员过半数出席); a decision needs more than half
    of **all** members for, not of those present (Beijing art. 45 para. 4: 经过半数委员签字同意;
    Shanghai art. 26 para. 3: 经全体委员过半数签字同意).

    Property management committee (物业管理委员会, Beijing arts. 52–59): the meeting needs more than
    half of all members **and** more than half of the owner-representative members present
    (art. 57 para. 2: 应当有过半数委员且过半数业主代表委员参加); a decision needs more than half of
    all members for (art. 57 para. 3). ``owner_representatives`` (art. 54) and
    ``owner_representatives_present`` are required for it and refused for an owners' committee.

    Nobody votes by proxy, so the votes cast cannot exceed the members present.

    :raise ValueError: a figure is negative or inconsistent (more present than members, more votes
        than members present, owner representatives that do not fit).
    :raise TypeError: a figure is not an integer.
    """
    kind = CommitteeKind(kind)
    for name, value in (("members", members), ("present", present), ("votes_for", votes_for),
                        ("against", against), ("abstain", abstain)):
        _check_count(name, value)
    if members == 0:
        raise ValueError("a committee has at least one member")
    if present > members:
        raise ValueError(f"{present} members present but the committee has only {members}")
    cast = votes_for + against + abstain
    if cast > present:
        raise ValueError(f"{cast} votes cast but only {present} of {members} members present; "
                         "committee members cannot vote by proxy")

    if kind is CommitteeKind.MANAGEMENT_COMMITTEE:
        rule = rulebook.management_committee
        _check_owner_representatives(members, present, owner_representatives,
                                     owner_representatives_present)
    else:
        rule = own_rules(rulebook.owners_committee, own_quorum, own_approval)
        if owner_representatives is not None or owner_representatives_present is not None:
            raise ValueError("owner representatives count only on a management committee")
    verdict = _committee_verdict(rule, members, present, votes_for, owner_representatives,
                                 owner_representatives_present)
    outcome = Outcome(
        kind=kind, rule=rule, members=members, present=present, votes_for=votes_for,
        against=against, abstain=abstain, owner_representatives=owner_representatives,
        owner_representatives_present=owner_representatives_present, explanation_zh="",
        **verdict)
    return replace(outcome, explanation_zh=committee_sentence(outcome))


def _committee_verdict(rule: Rule, members: int, present: int, votes_for: int,
                       owner_representatives: int | None,
                       owner_representatives_present: int | None) -> dict[str, bool | None]:
    """Each condition of a committee rule weighed on the figures, and what follows from them.
    The owner-representative condition applies only when the committee has them (a management
    committee)."""
    members_present = rule.quorum.met(present, members)
    representatives_present = None
    if owner_representatives is not None:
        representatives_present = rule.quorum.met(owner_representatives_present,
                                                   owner_representatives)
    quorum = members_present and representatives_present is not False
    approval = rule.approval.met(votes_for, members)
    return {"members_present_reached": members_present,
            "owner_representatives_present_reached": representatives_present,
            "quorum_reached": quorum, "approval_reached": approval,
            "passed": quorum and approval}


def tally(ballots: Iterable[MemberBallot]) -> tuple[int, int, int]:
    """(for, against, abstain) of named ballots.

    :raise ValueError: a member votes twice (a correction replaces a ballot, it does not add one).
    """
    seen: set[int | str] = set()
    counts = {choice: 0 for choice in Choice}
    for ballot in ballots:
        _check_id("voter_id", ballot.voter_id)
        if ballot.voter_id in seen:
            raise ValueError(f"member {ballot.voter_id!r} voted twice")
        seen.add(ballot.voter_id)
        counts[parse_vote(ballot.choice)] += 1
    return counts[Choice.FOR], counts[Choice.AGAINST], counts[Choice.ABSTAIN]


def committee_result_from_ballots(
        kind: CommitteeKind | str, members: Iterable[int | str], present: Iterable[int | str],
        ballots: Iterable[MemberBallot],
        owner_representatives: Iterable[int | str] = (), rulebook: Rulebook = NATIONAL,
        own_quorum: str | None = None, own_approval: str | None = None) -> Outcome:
    """:func:`committee_result` from the named member list, roll call and ballots.

    :raise ValueError: someone present is not a member, someone votes who is not present, a
        ballot has no choice, or an id appears twice.
    """
    kind = CommitteeKind(kind)
    ballots = [MemberBallot(b.voter_id, parse_vote(b.choice)) for b in ballots]
    member_ids = _id_set("members", members)
    reps = _id_set("owner_representatives", owner_representatives)
    present_ids = _id_set("present", present)
    for name, ids in (("owner representative", reps), ("present", present_ids)):
        if not ids <= member_ids:
            raise ValueError(f"{name} {sorted(map(str, ids - member_ids))} not on the member list")
    strangers = {_key(b.voter_id) for b in ballots} - present_ids
    if strangers:
        raise ValueError(f"ballots from {sorted(map(str, strangers))} who are not present; "
                         "committee members cannot vote by proxy")
    votes_for, against, abstain = tally(ballots)
    if kind is CommitteeKind.MANAGEMENT_COMMITTEE:
        return committee_result(len(member_ids), len(present_ids), votes_for, against, abstain,
                                kind=kind, owner_representatives=len(reps),
                                owner_representatives_present=len(present_ids & reps),
                                rulebook=rulebook)
    if reps:
        raise ValueError("owner representatives count only on a management committee")
    return committee_result(len(member_ids), len(present_ids), votes_for, against, abstain,
                            kind=kind, rulebook=rulebook, own_quorum=own_quorum,
                            own_approval=own_approval)


def _check_owner_representatives(members: int, present: int, reps: int | None,
                                 reps_present: int | None) -> None:
    if reps is None or reps_present is None:
        raise ValueError("a management committee needs owner_representatives and "
                         "owner_representatives_present (北京市物业管理条例 art. 57)")
    _check_count("owner_representatives", reps)
    _check_count("owner_representatives_present", reps_present)
    if reps == 0 or reps > members:
        raise ValueError(f"{reps} owner representatives on a committee of {members}")
    if reps_present > reps:
        raise ValueError(f"{reps_present} owner representatives present but only {reps} serve")
    if reps_present > present or present - reps_present > members - reps:
        raise ValueError(f"{reps_present} owner representatives among {present} present does not "
                         f"fit a committee of {members} with {reps} owner representatives")


# ---------------------------------------------------------------------------------------------
# Owners' joint decisions (业主共同决定)
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitBallot:
    """One unit (专有部分) of the register and the choice cast for it.

    ``choice=None``: its owner took no part. ``owner_ref`` identifies one owner across units (as
    ``places.models.Unit.owner_ref``); it is ignored for ``developer_unsold`` units."""
    unit_id: int | str
    owner_ref: str | int | None
    developer_unsold: bool
    area: Decimal
    choice: Choice | None = None


@dataclass(frozen=True)
class AssemblyOutcome:
    """The result of an owners' ballot, every figure it was computed from, and the verdict on each
    condition of the rule.

    ``voted_*`` and ``for_*``/``against_*``/``abstain_*`` count the ballots actually cast, by owner
    (SPC interpretation art. 9). ``participating_*`` and ``approving_*`` are what the thresholds are
    applied to: the same, unless the compound's non-voters rule added the non-voters to the side
    ``non_voters_counted_as``. Areas are exact ``Decimal`` m²; shares are ``Fraction``; an approval
    share is ``None`` when nobody took part.

    The verdict: ``participation_area_reached``/``participation_headcount_reached`` (the
    participation threshold on each measure), ``participation_reached`` (both),
    ``approval_area_reached``/``approval_headcount_reached`` (the approval threshold on each
    measure, weighed even when participation fell short) and ``passed`` (all four). The
    per-measure verdicts are not part of the record; they are recomputed from its figures when a
    record is read back."""
    matter: Matter
    rule: Rule
    non_voters_follow_majority: bool
    total_area: Decimal
    total_headcount: int
    voted_area: Decimal
    voted_headcount: int
    for_area: Decimal
    for_headcount: int
    against_area: Decimal
    against_headcount: int
    abstain_area: Decimal
    abstain_headcount: int
    non_voter_area: Decimal
    non_voter_headcount: int
    non_voters_counted_as: Choice | None
    participating_area: Decimal
    participating_headcount: int
    approving_area: Decimal
    approving_headcount: int
    participation_area_share: Fraction
    participation_headcount_share: Fraction
    approval_area_share: Fraction | None
    approval_headcount_share: Fraction | None
    participation_reached: bool
    passed: bool
    explanation_zh: str
    participation_area_reached: bool
    participation_headcount_reached: bool
    approval_area_reached: bool
    approval_headcount_reached: bool

    @property
    def citation(self) -> str:
        return self.rule.citation

    @property
    def explanation_en(self) -> str:
        """The explanation in English, for readers of the English pages (the Chinese one is
        the record)."""
        return assembly_sentence_en(self)

    @property
    def participation_threshold(self) -> Threshold:
        return self.rule.quorum

    @property
    def approval_threshold(self) -> Threshold:
        return self.rule.approval

    def to_record(self) -> dict[str, Any]:
        """A JSON-serialisable dict: Decimals as strings, Fractions as "n/d" strings."""
        record: dict[str, Any] = {
            "type": "owners_assembly", "matter": self.matter.value, "item": self.matter.item,
            "rule": self.rule.code, "rule_zh": self.rule.name_zh, "citation": self.rule.citation,
            "participation_threshold": _record_fraction(self.rule.quorum.ratio),
            "participation_threshold_inclusive": self.rule.quorum.inclusive,
            "approval_threshold": _record_fraction(self.rule.approval.ratio),
            "approval_threshold_inclusive": self.rule.approval.inclusive,
        }
        for name in _ASSEMBLY_FIELDS:
            value = getattr(self, name)
            if isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, Fraction):
                value = _record_fraction(value)
            elif isinstance(value, Choice):
                value = value.value
            record[name] = value
        return record

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> AssemblyOutcome:
        values: dict[str, Any] = {"matter": Matter(record["matter"]),
                                  "rule": _rule(record["rule"])}
        for name in _ASSEMBLY_FIELDS:
            value = record[name]
            if name.endswith("_area"):
                value = Decimal(value)
            elif name.endswith("_share") and value is not None:
                value = Fraction(value)
            elif name == "non_voters_counted_as" and value is not None:
                value = Choice(value)
            values[name] = value
        verdict = _assembly_verdict(
            values["rule"], Fraction(values["total_area"]), values["total_headcount"],
            Fraction(values["participating_area"]), values["participating_headcount"],
            Fraction(values["approving_area"]), values["approving_headcount"])
        for name in _ASSEMBLY_MEASURE_VERDICTS:
            values[name] = verdict[name]
        return cls(**values)


# The verdict on each measure is recomputed from the figures, not stored: the record keeps the
# shape it has always had, so records already stored still verify.
_ASSEMBLY_MEASURE_VERDICTS = ("participation_area_reached", "participation_headcount_reached",
                              "approval_area_reached", "approval_headcount_reached")
_ASSEMBLY_FIELDS = tuple(name for name in AssemblyOutcome.__dataclass_fields__
                         if name not in ("matter", "rule", *_ASSEMBLY_MEASURE_VERDICTS))


@dataclass(frozen=True)
class _Owner:
    """One owner as counted by the SPC interpretation art. 9: areas of all their units summed."""
    area: Fraction
    choice: Choice | None


# How owners' ballots are counted and said, by edition: a stored vote is decided again by the
# edition it was closed under (tracker.voting.records), so its record keeps verifying. Edition 2:
# the non-voters clause waits for art. 278's participation by those who really voted, and a
# share that would round to its threshold is given as exact figures.
COUNTING_EDITION = 2


def assembly_result(ballots: Iterable[UnitBallot], total_area: Decimal, matter: Matter | str, *,
                    non_voters_follow_majority: bool = False,
                    edition: int = COUNTING_EDITION) -> AssemblyOutcome:
    """Decide an owners' joint decision (业主共同决定) under 民法典 art. 278.

    Participation (art. 278 para. 2, first sentence): owners holding 三分之二以上 of the exclusive
    area **and** 三分之二以上 of the owners by headcount take part. Approval: for items (六)–(八)
    (raising the maintenance fund, rebuilding, changing the use of common parts) 四分之三以上 of the
    participating area and of the participating headcount (second sentence); for every other item
    过半数 of both (third sentence). 以上 includes the boundary, 过半数 does not (art. 1259).

    Counting (SPC interpretation on 建筑物区分所有权 arts. 8–9): area as in the register (the
    caller's ``area``); one owner with several units counts as **one** person and their areas add
    up; all unsold (or sold but undelivered) developer units together count as one person. The
    headcount total is the number of such persons in the register, so ``ballots`` must be the whole
    register — one entry per unit, ``choice=None`` for units whose owner took no part — and its
    areas must add up to ``total_area`` exactly.

    One person, one choice: the units of one owner (and all unsold developer units) must carry the
    same choice, or all be ``None``. A paper ballot marked for one unit only, or different marks on
    different units, is not guessed at — it is refused, to be corrected at data entry.

    ``non_voters_follow_majority`` (off by default) applies a compound's 管理规约 clause "未参与表决
    的业主视为同意多数意见": the owners who did not vote are counted as taking part and are added to
    the majority of those who did. The majority is "for" when more than half of the voting area
    **and** more than half of the voting headcount voted for (art. 278's own two measures);
    otherwise the non-voters are counted against. The clause can never stand in for art. 278's
    participation: it applies only once those who really voted hold 三分之二以上 of the area and of
    the owners (para. 2 makes that participation mandatory); below it, or with nobody voting, it
    does nothing and the sentence says why. The explanation names the clause and the figures it
    moved. Whether such a clause is valid at all is for the compound and its lawyers; off is the
    law's own reading. ``edition`` 1 counts as votes closed before that floor did (the clause
    applied whenever anyone voted), to read their records back.

    :raise ValueError: an empty register, a unit listed twice, a missing owner_ref, a non-positive
        area or one with more than two decimals, areas not adding up to ``total_area``, or one
        owner with different choices on different units.
    :raise TypeError: an area given as a float (or other non-decimal type).
    """
    matter = Matter(matter)
    rule = assembly_rule(matter)
    if not isinstance(non_voters_follow_majority, bool):
        raise TypeError("non_voters_follow_majority must be a bool")
    total = parse_area(total_area, "total_area")
    owners, register_area = _count_owners(ballots)
    if register_area != total:
        raise ValueError(f"the register's units add up to {area_decimal(register_area)} m² but "
                         f"the compound's total exclusive area is {area_decimal(total)} m²; the "
                         "register must be complete for the headcount and area totals "
                         "(民法典 art. 278)")

    voters = [owner for owner in owners if owner.choice is not None]
    non_voters = [owner for owner in owners if owner.choice is None]
    by_choice = {choice: [o for o in voters if o.choice is choice] for choice in Choice}
    voted_area = _sum_area(voters)
    for_area = _sum_area(by_choice[Choice.FOR])

    side = None
    really_took_part = rule.quorum.met(voted_area, total) and rule.quorum.met(len(voters),
                                                                              len(owners))
    if non_voters_follow_majority and voters and (really_took_part or edition < 2):
        majority_for = (MORE_THAN_HALF.met(for_area, voted_area)
                        and MORE_THAN_HALF.met(len(by_choice[Choice.FOR]), len(voters)))
        side = Choice.FOR if majority_for else Choice.AGAINST
    counted_non_voters = non_voters if side is not None else []
    participating_area = voted_area + _sum_area(counted_non_voters)
    participating_headcount = len(voters) + len(counted_non_voters)
    approving = by_choice[Choice.FOR] + (non_voters if side is Choice.FOR else [])
    approving_area = _sum_area(approving)

    participation_area_share = participating_area / total
    participation_headcount_share = Fraction(participating_headcount, len(owners))
    approval_area_share = approval_headcount_share = None
    if participating_headcount:
        approval_area_share = approving_area / participating_area
        approval_headcount_share = Fraction(len(approving), participating_headcount)
    verdict = _assembly_verdict(rule, total, len(owners), participating_area,
                                participating_headcount, approving_area, len(approving))

    outcome = AssemblyOutcome(
        matter=matter, rule=rule, non_voters_follow_majority=non_voters_follow_majority,
        total_area=area_decimal(total), total_headcount=len(owners),
        voted_area=area_decimal(voted_area), voted_headcount=len(voters),
        for_area=area_decimal(for_area), for_headcount=len(by_choice[Choice.FOR]),
        against_area=area_decimal(_sum_area(by_choice[Choice.AGAINST])),
        against_headcount=len(by_choice[Choice.AGAINST]),
        abstain_area=area_decimal(_sum_area(by_choice[Choice.ABSTAIN])),
        abstain_headcount=len(by_choice[Choice.ABSTAIN]),
        non_voter_area=area_decimal(_sum_area(non_voters)), non_voter_headcount=len(non_voters),
        non_voters_counted_as=side,
        participating_area=area_decimal(participating_area),
        participating_headcount=participating_headcount,
        approving_area=area_decimal(approving_area), approving_headcount=len(approving),
        participation_area_share=participation_area_share,
        participation_headcount_share=participation_headcount_share,
        approval_area_share=approval_area_share,
        approval_headcount_share=approval_headcount_share,
        explanation_zh="", **verdict)
    return replace(outcome, explanation_zh=assembly_sentence(outcome, edition=edition))


def _assembly_verdict(rule: Rule, total_area: Fraction, total_headcount: int,
                      participating_area: Fraction, participating_headcount: int,
                      approving_area: Fraction, approving_headcount: int) -> dict[str, bool]:
    """Each condition of art. 278 para. 2 weighed on both measures, and what follows from them.
    Approval is weighed against those taking part; with nobody taking part it is not reached."""
    verdict = {
        "participation_area_reached": rule.quorum.met(participating_area, total_area),
        "participation_headcount_reached": rule.quorum.met(participating_headcount,
                                                           total_headcount),
        "approval_area_reached": rule.approval.met(approving_area, participating_area),
        "approval_headcount_reached": rule.approval.met(approving_headcount,
                                                        participating_headcount),
    }
    participation = (verdict["participation_area_reached"]
                     and verdict["participation_headcount_reached"])
    return {**verdict, "participation_reached": participation,
            "passed": (participation and verdict["approval_area_reached"]
                       and verdict["approval_headcount_reached"])}


def _count_owners(ballots: Iterable[UnitBallot]) -> tuple[list[_Owner], Fraction]:
    """Group the register's units into owners (SPC interpretation art. 9)."""
    units: dict[tuple[int, int | str], UnitBallot] = {}
    groups: dict[tuple[str, tuple[int, int | str]], list[UnitBallot]] = {}
    for ballot in ballots:
        _check_id("unit_id", ballot.unit_id)
        unit_key = _key(ballot.unit_id)
        if unit_key in units:
            raise ValueError(f"unit {ballot.unit_id!r} is listed twice")
        units[unit_key] = ballot
        if not isinstance(ballot.developer_unsold, bool):
            raise TypeError(f"unit {ballot.unit_id!r}: developer_unsold must be a bool")
        if ballot.developer_unsold:
            # 建设单位尚未出售和虽已出售但尚未交付的部分……按一人计算 (art. 9).
            group = ("developer", (0, 0))
        else:
            _check_id(f"owner_ref of unit {ballot.unit_id!r}", ballot.owner_ref)
            group = ("owner", _key(ballot.owner_ref))
        groups.setdefault(group, []).append(ballot)
    if not units:
        raise ValueError("the register has no units")

    owners = []
    register_area = Fraction(0)
    for group in sorted(groups):
        owned = groups[group]
        area = Fraction(0)
        for ballot in owned:
            area += parse_area(ballot.area, f"area of unit {ballot.unit_id!r}")
        choices = {parse_choice(ballot.choice) for ballot in owned}
        if len(choices) > 1:
            who = "the developer's unsold units" if group[0] == "developer" \
                else f"owner {owned[0].owner_ref!r}"
            marks = ", ".join(f"{b.unit_id}: {b.choice.value if b.choice else 'did not vote'}"
                              for b in sorted(owned, key=lambda b: _key(b.unit_id)))
            raise ValueError(f"{who} counts as one person with one vote (SPC interpretation "
                             f"art. 9) but the units carry different choices ({marks}); "
                             "correct the ballots so that all the units carry the same choice")
        owners.append(_Owner(area, choices.pop()))
        register_area += area
    return owners, register_area


# ---------------------------------------------------------------------------------------------
# Checking the inputs (also used to read them back from a stored snapshot)
# ---------------------------------------------------------------------------------------------

def parse_choice(value: object) -> Choice | None:
    """A choice given as a :class:`Choice` or its stored value; ``None`` for no part taken.

    :raise ValueError: an unknown choice. :raise TypeError: neither a choice nor a string.
    """
    if value is None or isinstance(value, Choice):
        return value
    if isinstance(value, str):
        return Choice(value)
    raise TypeError(f"a choice is one of {[c.value for c in Choice]}, not {value!r}")


def parse_vote(value: object) -> Choice:
    """A committee ballot's choice: a member who did not vote has no ballot, not a None one.

    :raise ValueError: no choice, or an unknown one.
    """
    choice = parse_choice(value)
    if choice is None:
        raise ValueError("a committee ballot needs a choice")
    return choice


def parse_area(value: object, what: str) -> Fraction:
    """An area in m² as an exact Fraction: Decimal (or int, or a decimal string from a stored
    snapshot); never a float.

    :raise ValueError: not positive, not a finite number, or more than two decimals.
    :raise TypeError: a float or another non-decimal type.
    """
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"{what} is not a decimal number: {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{what} must be a Decimal in m², not {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{what} is not a finite number: {value}")
    area = Fraction(value)
    if area <= 0:
        raise ValueError(f"{what} must be positive ({value} m²)")
    if (area * 100).denominator != 1:
        raise ValueError(f"{what} has more than two decimals ({value} m²)")
    return area


def area_decimal(area: Fraction) -> Decimal:
    """A whole number of hundredths of a m², exactly, with two decimals."""
    hundredths = area * 100
    assert hundredths.denominator == 1, area
    return Decimal(hundredths.numerator).scaleb(-2)


def _rule(code: str) -> Rule:
    return rule_of_code(code, RULES)


def _check_count(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative ({value})")


def _check_id(name: str, value: object) -> None:
    if value is None:
        raise ValueError(f"{name} is missing")
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"{name} must be an int or a string, not {type(value).__name__}")
    if isinstance(value, str) and not value.strip():
        raise ValueError(f"{name} is empty")


def _key(value: int | str) -> tuple[int, int | str]:
    """A sortable key that keeps the int 1 and the string "1" apart."""
    return (0, value) if isinstance(value, int) else (1, value)


def _id_set(name: str, ids: Iterable[int | str]) -> set[tuple[int, int | str]]:
    keys = []
    for value in ids:
        _check_id(name, value)
        keys.append(_key(value))
    if len(set(keys)) != len(keys):
        raise ValueError(f"{name}: an id is listed twice")
    return set(keys)


def _sum_area(owners: Iterable[_Owner]) -> Fraction:
    return sum((owner.area for owner in owners), Fraction(0))


def _record_fraction(value: Fraction) -> str:
    """A share or threshold as a record stores it: "n/d"."""
    return f"{value.numerator}/{value.denominator}"
