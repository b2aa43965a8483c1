"""Whose law decides a committee vote: the rulebook of the place a compound is in.

Committees' quorum and majority are set by provincial and city regulations, and they differ:
Shandong and Weifang want two thirds of the members present, the others more than half; Henan
takes a decision with half of all members for (半数以上, which includes exactly half — 民法典
art. 1259), the others with more than half. Each rulebook carries its thresholds and the articles
a result cites, as recorded with their sources under docs/law/ (README.md, excerpts.md). A district
chooses its rulebook; a compound in a place without one uses the national default.

The national default: the 物业管理条例 leaves a committee's procedure to the owners' assembly's
rules (第十八条); no national text fixing the thresholds could be verified (docs/law/), so none
is cited, and the default counts as most regulations do — more than half of the members present,
more than half of all members for.

A rulebook's code carries its edition (``henan_2017``): a vote stores the rule it was decided
by, so a later edition never rewrites an old result.

Every rulebook also says how owners' assembly meetings are called (:class:`AssemblyRules`): the
notice before a regular and a temporary meeting, how many owners one proxy may represent, how
long an electronic vote stays open, and which ballot counts when an owner votes on paper and
online — each with the article it comes from, None where the text is silent.

Rulebooks an administrator adds for another province or city (湖北省, 武汉市) live in the database
(:mod:`tracker.rulebooks`), one immutable edition per change (``hubei.2``); this module stays free
of it. The application registers where to read them (:func:`register_source`) and
:func:`rulebook` asks there for any code that is not built in.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from tracker.voting.thresholds import (
    ART_1259,
    HALF_OR_MORE,
    MORE_THAN_HALF,
    THRESHOLDS,
    TWO_THIRDS_OR_MORE,
    Rule,
    Threshold,
)


class PrevailingBallot(StrEnum):
    """Which ballot counts when one owner votes both on paper and online."""
    PAPER = "paper"
    ONLINE = "online"


@dataclass(frozen=True)
class AssemblyRules:
    """How a rulebook has owners' assembly meetings (业主大会会议) called and voted, each value
    with the article it comes from (``*_basis``; empty where the value is None because the text
    says nothing).

    ``notice_days_regular``/``notice_days_temporary``: days' notice to all owners before a regular
    (定期) and a temporary (临时) meeting. ``proxy_cap``: how many owners one proxy may represent
    (None: no cap). ``e_vote_days``: the fewest and the most days an electronic vote stays open,
    both included (None: not set). ``prevailing_ballot``: which ballot counts when one owner votes
    on paper and online (None: the text does not say)."""
    notice_days_regular: int
    notice_days_temporary: int
    notice_basis: str
    proxy_cap: int | None = None
    proxy_basis: str = ""
    e_vote_days: tuple[int, int] | None = None
    e_vote_basis: str = ""
    prevailing_ballot: PrevailingBallot | None = None
    prevailing_basis: str = ""


@dataclass(frozen=True)
class Rulebook:
    code: str
    name_zh: str
    owners_committee: Rule
    management_committee: Rule
    assembly: AssemblyRules
    offered: bool = True   # False for the rules kept only to read old votes


def _committee_rule(book: str, basis: str, citation: str, quorum: Threshold,
                    approval: Threshold) -> Rule:
    return Rule(
        code=f"{book}.owners_committee",
        name_zh=f"业主委员会决定：{quorum.label_zh}委员出席，经全体委员{approval.label_zh}同意",
        basis_zh=basis, citation=citation + "；" + ART_1259, quorum=quorum, approval=approval)


# Where no verified text governs a property management committee (only Beijing's regulation has
# one), the same counting as its art. 57, without citing it.
_DEFAULT_MANAGEMENT = Rule(
    code="national_2018.management_committee",
    name_zh="物业管理委员会决定：过半数委员且过半数业主代表委员出席，经全体委员过半数同意",
    basis_zh="物业管理委员会过半数委员且过半数业主代表委员出席、全体委员过半数同意的规则"
             "（本地规定未收录）",
    citation="本地物业管理委员会组建规定未收录；" + ART_1259,
    quorum=MORE_THAN_HALF, approval=MORE_THAN_HALF)

# 物业管理条例 第十四条第一款: 召开业主大会会议，应当于会议召开15日以前通知全体业主 — for every
# meeting, and wherever a local text sets a notice only for the first meeting (Shanghai, Shandong,
# Henan). 第十二条第二款: 业主可以委托代理人参加业主大会会议 — with no cap.
NATIONAL_ASSEMBLY = AssemblyRules(
    notice_days_regular=15, notice_days_temporary=15,
    notice_basis="《物业管理条例》第十四条第一款", proxy_basis="《物业管理条例》第十二条第二款")

NATIONAL = Rulebook(
    code="national_2018", name_zh="全国通行（《物业管理条例》）",
    owners_committee=_committee_rule(
        "national_2018", "《物业管理条例》第十八条（业主委员会议事规则由业主大会议事规则约定，"
                         "未另行约定的按过半数委员出席、全体委员过半数同意计）",
        "《物业管理条例》（2018年3月19日修订）第十八条", MORE_THAN_HALF, MORE_THAN_HALF),
    management_committee=_DEFAULT_MANAGEMENT, assembly=NATIONAL_ASSEMBLY)

BEIJING = Rulebook(
    code="beijing_2024", name_zh="北京市（《北京市物业管理条例》2024年修正）",
    owners_committee=_committee_rule(
        "beijing_2024", "《北京市物业管理条例》第四十五条",
        "《北京市物业管理条例》（2024年3月29日修正）第四十五条第二款、第四款",
        MORE_THAN_HALF, MORE_THAN_HALF),
    management_committee=Rule(
        code="beijing_2024.management_committee",
        name_zh="物业管理委员会决定：过半数委员且过半数业主代表委员出席，经全体委员过半数同意",
        basis_zh="《北京市物业管理条例》第五十七条",
        citation="《北京市物业管理条例》（2024年3月29日修正）第五十七条第二款、第三款"
                 "（物业管理委员会见第五十二条至第五十九条）；" + ART_1259,
        quorum=MORE_THAN_HALF, approval=MORE_THAN_HALF),
    # 第三十五条第四款: 应当于会议召开十五日前通知全体业主 (regular and temporary alike).
    assembly=replace(NATIONAL_ASSEMBLY, notice_basis="《北京市物业管理条例》第三十五条第四款"))

SHANGHAI = Rulebook(
    code="shanghai_2020", name_zh="上海市（《上海市住宅物业管理规定》2020年修正）",
    owners_committee=_committee_rule(
        "shanghai_2020", "《上海市住宅物业管理规定》第二十六条",
        "《上海市住宅物业管理规定》第二十六条第二款、第三款", MORE_THAN_HALF, MORE_THAN_HALF),
    management_committee=_DEFAULT_MANAGEMENT,
    # Notice: the 规定 sets one only for the first meeting (第十六条第二款), so the national one.
    # 第十八条第三款: 业主可以委托代理人参加业主大会会议 — with no cap either.
    assembly=replace(NATIONAL_ASSEMBLY, proxy_basis="《上海市住宅物业管理规定》第十八条第三款"))

HANGZHOU = Rulebook(
    code="hangzhou_2021", name_zh="杭州市（《杭州市物业管理条例》2021年修订）",
    owners_committee=_committee_rule(
        "hangzhou_2021", "《杭州市物业管理条例》第二十九条",
        "《杭州市物业管理条例》第二十九条第二款", MORE_THAN_HALF, MORE_THAN_HALF),
    management_committee=_DEFAULT_MANAGEMENT,
    # 第十九条第一款: 定期会议召开十五日前或者临时会议召开七日前通知全体业主;
    # 第二十条第三款: 投票期限不少于五日且不超过六十日. 第二十条第一款 has owners vote
    # electronically unless one asks for paper, and says nothing of an owner who does both.
    assembly=replace(NATIONAL_ASSEMBLY, notice_days_temporary=7,
                     notice_basis="《杭州市物业管理条例》第十九条第一款",
                     e_vote_days=(5, 60), e_vote_basis="《杭州市物业管理条例》第二十条第三款"))

SHANDONG = Rulebook(
    code="shandong_2021", name_zh="山东省（《山东省物业管理条例》2021年修正）",
    owners_committee=_committee_rule(
        "shandong_2021", "《山东省物业管理条例》第三十二条",
        "《山东省物业管理条例》第三十二条第三款", TWO_THIRDS_OR_MORE, MORE_THAN_HALF),
    management_committee=_DEFAULT_MANAGEMENT,
    # Notice: the 条例 sets one only for the first meeting (第二十二条第二款), so the national one.
    assembly=NATIONAL_ASSEMBLY)

WEIFANG = Rulebook(
    code="weifang_2022", name_zh="潍坊市（《潍坊市物业管理条例》2022年）",
    owners_committee=_committee_rule(
        "weifang_2022", "《潍坊市物业管理条例》第三十七条",
        "《潍坊市物业管理条例》第三十七条第二款", TWO_THIRDS_OR_MORE, MORE_THAN_HALF),
    management_committee=_DEFAULT_MANAGEMENT,
    # 第三十二条第二款: 业主大会会议召开十五日前，业主委员会应当通知全体业主; 第三十二条第一款:
    # 每一业主接受的委托不得超过三人 (said of written ballots, signed for others with a
    # written authorisation).
    assembly=replace(NATIONAL_ASSEMBLY, notice_basis="《潍坊市物业管理条例》第三十二条第二款",
                     proxy_cap=3, proxy_basis="《潍坊市物业管理条例》第三十二条第一款"))

HENAN = Rulebook(
    code="henan_2017", name_zh="河南省（《河南省物业管理条例》）",
    owners_committee=_committee_rule(
        "henan_2017", "《河南省物业管理条例》第二十八条",
        "《河南省物业管理条例》第二十八条第三款", MORE_THAN_HALF, HALF_OR_MORE),
    management_committee=_DEFAULT_MANAGEMENT,
    # Notice: the 条例 sets one only for the first meeting (第二十一条第二款), so the national one.
    assembly=NATIONAL_ASSEMBLY)

# What every vote decided before places had rulebooks was counted by, citing Beijing and
# Shanghai wherever the compound was: kept to read those votes back, never offered.
LEGACY = Rulebook(
    code="legacy_beijing_shanghai", name_zh="（旧版：北京、上海条例）", offered=False,
    owners_committee=Rule(
        code="owners_committee_majority_of_all_members",
        name_zh="业主委员会决定：过半数委员出席，经全体委员过半数同意",
        basis_zh="《北京市物业管理条例》第四十五条、《上海市住宅物业管理规定》第二十六条",
        citation="《北京市物业管理条例》（2024年3月29日修正）第四十五条第二款、第四款；"
                 "《上海市住宅物业管理规定》第二十六条第二款、第三款；" + ART_1259,
        quorum=MORE_THAN_HALF, approval=MORE_THAN_HALF),
    # The same as Beijing's article 57, under the code those votes were stored with.
    management_committee=replace(BEIJING.management_committee,
                                 code="management_committee_majority_of_all_members"),
    assembly=NATIONAL_ASSEMBLY)

RULEBOOKS = {book.code: book for book in (NATIONAL, BEIJING, SHANGHAI, HANGZHOU, SHANDONG,
                                          WEIFANG, HENAN, LEGACY)}
OFFERED = [book for book in RULEBOOKS.values() if book.offered]


# --- rulebooks an administrator adds ------------------------------------------------------------

def local_rulebook(code: str, name_zh: str, quorum: str, approval: str, citation: str,
                   assembly: AssemblyRules) -> Rulebook:
    """A province's or city's rulebook as an administrator entered it: its owners' committee
    decides by the ``quorum`` and ``approval`` threshold codes and cites ``citation``; its
    management committee counts as the national default's (no local text is recorded for it).

    :raise ValueError: a threshold that is not one of :data:`THRESHOLDS`.
    """
    if quorum not in THRESHOLDS or approval not in THRESHOLDS:
        raise ValueError(f"{code}: unknown threshold {quorum!r} or {approval!r}")
    return Rulebook(
        code=code, name_zh=name_zh,
        owners_committee=_committee_rule(code, citation, citation, THRESHOLDS[quorum],
                                         THRESHOLDS[approval]),
        management_committee=_DEFAULT_MANAGEMENT, assembly=assembly)


# Where rulebooks that are not built in are read: ``source(code)`` answers the edition of that
# code, the current edition of a local rulebook's key, or None. The application registers it at
# start-up (tracker.rulebooks); without it only the built-in rulebooks exist.
_source: list[Callable[[str], Rulebook | None]] = []
# Editions read so far, by code. An edition never changes once written (a change adds the next
# one), so an edition read once is kept for the life of the process; what replaces the database
# under a running process (restoring a backup, a test's fresh tables) forgets them
# (:func:`forget_editions`). A key is asked every time: its current edition moves on.
_editions: dict[str, Rulebook] = {}


def register_source(source: Callable[[str], Rulebook | None]) -> None:
    """Read the rulebooks that are not built in from ``source`` (replacing any earlier one)."""
    _source[:] = [source]
    forget_editions()


def forget_editions() -> None:
    """Forget the editions read so far: the database they came from was replaced."""
    _editions.clear()


def rulebook(code: str | None) -> Rulebook:
    """The rulebook of ``code``: a built-in one, an edition of a local one (``hubei.2``), or the
    current edition of a local one named by its key (``hubei``); the national default for none.

    :raise ValueError: an unknown code.
    """
    if not code:
        return NATIONAL
    book = RULEBOOKS.get(code) or _editions.get(code)
    if book is None and _source:
        book = _source[0](code)
        if book is not None:
            _editions[book.code] = book
    if book is None:
        raise ValueError(f"unknown rulebook {code!r}")
    return book


# --- a compound's own rules ---------------------------------------------------------------------
# A compound's 业主大会议事规则 may ask more of its owners' committee than the regulation does
# (物业管理条例 第十八条 leaves the committee's procedure to it), never less.

_OWN = "本小区业主大会议事规则"


def own_rules(rule: Rule, quorum: str | None, approval: str | None) -> Rule:
    """``rule`` with the compound's own quorum and majority (threshold codes, None for the
    regulation's), cited after the regulation.

    :raise ValueError: an unknown threshold, or one looser than the regulation's.
    """
    own_quorum = THRESHOLDS[quorum] if quorum else rule.quorum
    own_approval = THRESHOLDS[approval] if approval else rule.approval
    if not (own_quorum.at_least_as_strict_as(rule.quorum)
            and own_approval.at_least_as_strict_as(rule.approval)):
        raise ValueError(f"a compound's own rules may only be stricter than {rule.code}")
    if (own_quorum, own_approval) == (rule.quorum, rule.approval):
        return rule
    return Rule(
        code=f"{rule.code}+own:{own_quorum.code}:{own_approval.code}",
        name_zh=f"业主委员会决定：{own_quorum.label_zh}委员出席，经全体委员{own_approval.label_zh}同意",
        basis_zh=f"{rule.basis_zh}及{_OWN}", citation=f"{rule.citation}；{_OWN}",
        quorum=own_quorum, approval=own_approval)


def rule_of_code(code: str, rules: dict[str, Rule]) -> Rule:
    """A stored rule code read back, a compound's own rules included.

    :raise ValueError: an unknown code.
    """
    base, _, own = code.partition("+own:")
    rule = rules.get(base) or _local_rule(base)
    if rule is None:
        raise ValueError(f"unknown rule {code!r}")
    if not own:
        return rule
    quorum, _, approval = own.partition(":")
    if quorum not in THRESHOLDS or approval not in THRESHOLDS:
        raise ValueError(f"unknown rule {code!r}")
    return own_rules(rule, quorum, approval)


def _local_rule(code: str) -> Rule | None:
    """A committee rule of a local rulebook's edition (``hubei.2.owners_committee``), or None."""
    book_code = code.rpartition(".")[0]
    try:
        book = rulebook(book_code) if book_code else None
    except ValueError:
        return None
    return next((rule for rule in (book.owners_committee, book.management_committee)
                 if rule.code == code), None) if book else None
