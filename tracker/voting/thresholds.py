"""The shares a vote must reach, and the rule that combines them with its legal source.

"过半数"/"超过" are strictly greater than; "以上" includes the number itself (民法典 art. 1259:
民法所称的“以上”……包括本数；所称的……“超过”……不包括本数). Pure data: no Flask, no database.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Threshold:
    """A share to reach: ``inclusive`` for 以上 (≥), strict for 过半数/超过 (>) — 民法典 art. 1259.
    ``reached_of_zh``/``missed_of_zh`` say it of a whole ("超过{whole}半数")."""
    ratio: Fraction
    inclusive: bool
    label_zh: str
    reached_zh: str
    missed_zh: str
    reached_of_zh: str
    missed_of_zh: str
    code: str = ""
    label_en: str = ""    # "more than half", as the English explanation says it
    missed_en: str = ""   # "not more than half"

    def met(self, part: int | Fraction, whole: int | Fraction) -> bool:
        """Whether ``part`` of ``whole`` reaches the threshold; a share of nothing never does."""
        if whole <= 0:
            return False
        share = Fraction(part) / Fraction(whole)
        return share >= self.ratio if self.inclusive else share > self.ratio

    def verdict_zh(self, reached: bool) -> str:
        return self.reached_zh if reached else self.missed_zh

    def verdict_of_zh(self, whole: str, reached: bool) -> str:
        """The verdict said of ``whole``: 超过全体委员半数, 不足全体委员三分之二."""
        return (self.reached_of_zh if reached else self.missed_of_zh).format(whole=whole)

    def verdict_en(self, reached: bool, whole: str = "") -> str:
        """The verdict in English: "more than half of all members", "less than two thirds"."""
        said = self.label_en if reached else self.missed_en
        return f"{said} of {whole}" if whole else said

    def at_least_as_strict_as(self, other: Threshold) -> bool:
        """Whether every share that meets this one meets ``other`` too (more than half is
        stricter than half or more, which includes exactly half)."""
        return (self.ratio, not self.inclusive) >= (other.ratio, not other.inclusive)


MORE_THAN_HALF = Threshold(Fraction(1, 2), False, "过半数", "超过半数", "未超过半数",
                           "超过{whole}半数", "未超过{whole}半数", "more_than_half",
                           "more than half", "not more than half")
HALF_OR_MORE = Threshold(Fraction(1, 2), True, "半数以上", "达到半数以上", "不足半数",
                         "达到{whole}半数以上", "不足{whole}半数", "half_or_more",
                         "half or more", "less than half")
TWO_THIRDS_OR_MORE = Threshold(Fraction(2, 3), True, "三分之二以上", "达到三分之二以上", "不足三分之二",
                               "达到{whole}三分之二以上", "不足{whole}三分之二", "two_thirds_or_more",
                               "two thirds or more", "less than two thirds")
THREE_QUARTERS_OR_MORE = Threshold(Fraction(3, 4), True, "四分之三以上", "达到四分之三以上",
                                   "不足四分之三", "达到{whole}四分之三以上", "不足{whole}四分之三",
                                   "three_quarters_or_more", "three quarters or more",
                                   "less than three quarters")
THRESHOLDS = {t.code: t for t in (HALF_OR_MORE, MORE_THAN_HALF, TWO_THIRDS_OR_MORE,
                                  THREE_QUARTERS_OR_MORE)}


@dataclass(frozen=True)
class Rule:
    """A decision rule: who must take part (``quorum``), who must agree (``approval``), and the
    articles it comes from. ``basis_zh`` is the short form named in explanations."""
    code: str
    name_zh: str
    basis_zh: str
    citation: str
    quorum: Threshold
    approval: Threshold


ART_1259 = "《中华人民共和国民法典》第一千二百五十九条（“以上”包括本数，“超过”不包括本数）"
