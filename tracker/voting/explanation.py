"""The sentence that explains a vote's result to the people it concerns, in the words of the law.

A sentence reads the verdict the rules reached — which condition was reached or missed, whether
the decision passed — and the figures they counted. It never weighs a figure against a threshold
itself, so an explanation cannot say other than the result it explains.

The outcomes explained are those of :mod:`tracker.voting.rules`, which calls in here when it
decides; this module imports nothing from it, so the dependency runs one way. The protocols below
name what a sentence reads of an outcome.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Protocol

_CN_DIGITS = "〇一二三四五六七八九"


class _Labelled(Protocol):
    label_zh: str


class _Threshold(Protocol):
    ratio: Fraction

    def verdict_zh(self, reached: bool) -> str: ...

    def verdict_of_zh(self, whole: str, reached: bool) -> str: ...

    def verdict_en(self, reached: bool, whole: str = "") -> str: ...


class _Rule(Protocol):
    basis_zh: str
    quorum: _Threshold
    approval: _Threshold


class _Matter(Protocol):
    item: int
    label_zh: str


class CommitteeVerdict(Protocol):
    """What a committee sentence reads (``rules.Outcome``)."""
    kind: _Labelled
    rule: _Rule
    members: int
    present: int
    votes_for: int
    against: int
    abstain: int
    owner_representatives: int | None
    owner_representatives_present: int | None
    members_present_reached: bool
    owner_representatives_present_reached: bool | None
    quorum_reached: bool
    approval_reached: bool
    passed: bool


class AssemblyVerdict(Protocol):
    """What an owners' ballot sentence reads (``rules.AssemblyOutcome``)."""
    matter: _Matter
    rule: _Rule
    non_voters_follow_majority: bool
    non_voters_counted_as: _Labelled | None
    total_area: Decimal
    total_headcount: int
    voted_area: Decimal
    voted_headcount: int
    non_voter_area: Decimal
    non_voter_headcount: int
    participating_area: Decimal
    participating_headcount: int
    approving_area: Decimal
    approving_headcount: int
    participation_area_share: Fraction
    participation_headcount_share: Fraction
    approval_area_share: Fraction | None
    approval_headcount_share: Fraction | None
    participation_area_reached: bool
    participation_headcount_reached: bool
    participation_reached: bool
    approval_area_reached: bool
    approval_headcount_reached: bool
    passed: bool


def committee_sentence(o: CommitteeVerdict) -> str:
    """The committee's figures, the verdict on each condition, and the decision.

    Without a quorum the meeting decides nothing, so the sentence says so and does not weigh the
    votes. The owner-representative condition is named only when the committee has such members
    (a property management committee)."""
    quorum, approval = o.rule.quorum, o.rule.approval
    text = (f"依据{o.rule.basis_zh}，{o.kind.label_zh}委员{o.members}人，出席{o.present}人，"
            f"{quorum.verdict_of_zh('全体委员', o.members_present_reached)}")
    if o.owner_representatives_present_reached is not None:
        text += (f"，其中业主代表委员{o.owner_representatives}人、出席"
                 f"{o.owner_representatives_present}人，"
                 f"{quorum.verdict_of_zh('业主代表委员', o.owner_representatives_present_reached)}")
    text += (f"，{'达到' if o.quorum_reached else '未达到'}法定人数；赞成{o.votes_for}票、"
             f"反对{o.against}票、弃权{o.abstain}票，赞成票占全体委员{o.votes_for}/{o.members}")
    if not o.quorum_reached:
        return text + "，因未达到法定人数，会议不能作出决定，决议未通过。"
    return (text + f"，{approval.verdict_of_zh('全体委员', o.approval_reached)}，"
            f"决议{'通过' if o.passed else '未通过'}。")


def assembly_sentence(o: AssemblyVerdict, *, edition: int = 2) -> str:
    """The register's totals, who took part (and how the non-voters clause counted them), the
    verdict on each measure, and the decision.

    When participation falls short the approval measures are not weighed in the sentence; the
    approving figures are still named. ``edition`` 1 is how votes counted before the clause
    waited for real participation and before shares near a threshold were given exactly: their
    stored sentences are written again word for word."""
    rule = o.rule
    item = _CN_DIGITS[o.matter.item]
    text = (f"依据{rule.basis_zh}第一款第{item}项和第二款，就“{o.matter.label_zh}”事项，"
            f"小区专有部分总面积{_m2(o.total_area)}、业主共{o.total_headcount}人"
            "（同一业主拥有多个专有部分按一人计算，建设单位未出售部分合计按一人计算），"
            f"实际参与表决{o.voted_headcount}人、面积{_m2(o.voted_area)}")
    if o.non_voters_follow_majority:
        text += "；依管理规约“未参与表决的业主视为同意多数意见”，"
        if o.non_voters_counted_as is not None:
            if edition >= 2:
                text += "实际参与表决的面积和人数均已达到三分之二以上，"
            text += (f"未参与表决的业主{o.non_voter_headcount}人、面积{_m2(o.non_voter_area)}"
                     f"按参与表决业主的多数意见计为{o.non_voters_counted_as.label_zh}并计入参与表决")
        elif o.voted_headcount == 0:
            text += "因无业主参与表决，该约定无从适用"
        else:
            text += ("因实际参与表决的面积和人数未均达到三分之二以上，该约定不适用"
                     "（民法典第二百七十八条第二款规定的参与表决比例不得以约定替代）")
    quorum = rule.quorum
    exact = edition >= 2
    area_share = _share_of(o.participation_area_share, quorum, o.participating_area,
                           o.total_area, exact)
    headcount_share = _share_of(o.participation_headcount_share, quorum,
                                o.participating_headcount, o.total_headcount, exact)
    text += (f"；参与表决面积{_m2(o.participating_area)}，占总面积的{area_share}，"
             f"{quorum.verdict_zh(o.participation_area_reached)}，"
             f"参与表决人数{o.participating_headcount}人，占总人数的{headcount_share}，"
             f"{quorum.verdict_zh(o.participation_headcount_reached)}")
    figures = f"同意面积{_m2(o.approving_area)}、同意人数{o.approving_headcount}人"
    if not o.participation_reached:
        return text + f"，参与表决未达到法定要求，{figures}，决定未通过。"
    approval = rule.approval
    area_share = _share_of(o.approval_area_share, approval, o.approving_area,
                           o.participating_area, exact)
    headcount_share = _share_of(o.approval_headcount_share, approval, o.approving_headcount,
                                o.participating_headcount, exact)
    return (text + f"；同意面积{_m2(o.approving_area)}，占参与表决面积的{area_share}，"
            f"{approval.verdict_zh(o.approval_area_reached)}，"
            f"同意人数{o.approving_headcount}人，占参与表决人数的{headcount_share}，"
            f"{approval.verdict_zh(o.approval_headcount_reached)}，"
            f"决定{'通过' if o.passed else '未通过'}。")


def _share_of(value: Fraction | None, threshold: _Threshold, part: Decimal | int,
              whole: Decimal | int, exact: bool) -> str:
    """A share as :func:`_share` says it, but as the exact figures (3000.01/6000.00) where the
    rounded percentage would read as the threshold itself: "约50.00%，超过半数" looks like a
    contradiction to whoever reads it."""
    shown = _share(value)
    if exact and value is not None and shown.startswith("约") \
            and _basis_points(value) == _basis_points(threshold.ratio):
        return f"{part}/{whole}"
    return shown


def _basis_points(value: Fraction) -> int:
    """Hundredths of a percent, rounded half up."""
    return (value.numerator * 20000 + value.denominator) // (2 * value.denominator)


def _fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def _m2(area: Decimal) -> str:
    return f"{area}平方米"


def _share(value: Fraction | None) -> str:
    """A share for people: small fractions exactly (2/3), others as a rounded percentage."""
    if value is None:
        return "无"
    if value == 0:
        return "0"
    if value == 1:
        return "100%"
    if value.denominator <= 100:
        return _fraction_text(value)
    basis_points = _basis_points(value)
    return f"约{basis_points // 100}.{basis_points % 100:02d}%"


# --- the same sentences in English, for readers of the English pages -----------------------------
# The figures and verdicts are the same; the law is named by its Chinese title, as it is cited.

_COMMITTEES_EN = {"业主委员会": "owners' committee", "物业管理委员会": "property management committee"}
_MATTERS_EN = {
    1: "making or amending the owners' assembly rules", 2: "making or amending the covenant",
    3: "electing or replacing the owners' committee", 4: "hiring or dismissing the property manager",
    5: "using the maintenance fund", 6: "raising the maintenance fund",
    7: "rebuilding or reconstructing buildings and facilities",
    8: "changing the use of common parts or running a business on them",
    9: "other major matters of common ownership and management"}


def committee_sentence_en(o: CommitteeVerdict) -> str:
    """:func:`committee_sentence` in English."""
    quorum, approval = o.rule.quorum, o.rule.approval
    text = (f"Under {o.rule.basis_zh}: the {_COMMITTEES_EN[o.kind.label_zh]} has {o.members} "
            f"members, {o.present} present "
            f"({quorum.verdict_en(o.members_present_reached, 'all members')})")
    if o.owner_representatives_present_reached is not None:
        text += (f", of whom {o.owner_representatives_present} of the {o.owner_representatives} "
                 f"owner representatives "
                 f"({quorum.verdict_en(o.owner_representatives_present_reached, 'them')})")
    text += (f"; quorum {'reached' if o.quorum_reached else 'not reached'}; {o.votes_for} for, "
             f"{o.against} against, {o.abstain} abstaining, {o.votes_for}/{o.members} of all "
             "members for")
    if not o.quorum_reached:
        return text + "; without a quorum the meeting decides nothing: the resolution did not pass."
    return (text + f" ({approval.verdict_en(o.approval_reached, 'all members')}): the resolution "
            f"{'passed' if o.passed else 'did not pass'}.")


def assembly_sentence_en(o: AssemblyVerdict) -> str:
    """:func:`assembly_sentence` in English."""
    rule = o.rule
    text = (f"Under {rule.basis_zh} para. 1 item ({o.matter.item}) and para. 2, on "
            f"{_MATTERS_EN[o.matter.item]}: the compound has {o.total_area} m² of exclusive area "
            f"and {o.total_headcount} owners (an owner of several units counts once, the "
            f"developer's unsold units together once); {o.voted_headcount} owners with "
            f"{o.voted_area} m² voted")
    if o.non_voters_follow_majority:
        if o.non_voters_counted_as is not None:
            text += (f"; by the covenant the {o.non_voter_headcount} owners with "
                     f"{o.non_voter_area} m² who did not vote are counted with the majority")
        elif o.voted_headcount == 0:
            text += "; the covenant counts non-voters with the majority, but nobody voted"
        else:
            text += ("; the covenant counting non-voters with the majority does not apply, as "
                     "those who really voted are not two thirds of the area and of the owners "
                     "(Civil Code art. 278 para. 2)")
    quorum, approval = rule.quorum, rule.approval
    area = _en(o.participation_area_share, quorum, o.participating_area, o.total_area)
    owners = _en(o.participation_headcount_share, quorum, o.participating_headcount,
                 o.total_headcount)
    text += (f"; taking part: {o.participating_area} m², {area} of the area "
             f"({quorum.verdict_en(o.participation_area_reached)}), "
             f"{o.participating_headcount} owners, {owners} of the owners "
             f"({quorum.verdict_en(o.participation_headcount_reached)})")
    if not o.participation_reached:
        return (text + f"; too few took part ({o.approving_area} m² and "
                f"{o.approving_headcount} owners approving): the decision did not pass.")
    area = _en(o.approval_area_share, approval, o.approving_area, o.participating_area)
    owners = _en(o.approval_headcount_share, approval, o.approving_headcount,
                 o.participating_headcount)
    return (text + f"; approving: {o.approving_area} m², {area} of the area taking part "
            f"({approval.verdict_en(o.approval_area_reached)}), "
            f"{o.approving_headcount} owners, {owners} of those taking part "
            f"({approval.verdict_en(o.approval_headcount_reached)}): the decision "
            f"{'passed' if o.passed else 'did not pass'}.")


def _en(value: Fraction | None, threshold: _Threshold, part: Decimal | int,
        whole: Decimal | int) -> str:
    """A share as the English sentence says it: "about 88.59%", or exactly near a threshold."""
    return "none" if value is None else \
        _share_of(value, threshold, part, whole, exact=True).replace("约", "about ")

