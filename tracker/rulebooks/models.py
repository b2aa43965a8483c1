"""Editions of the rulebooks administrators add for a province or city (湖北省, 武汉市).

One row is one edition, and a row never changes: editing a rulebook adds its next edition, and a
vote stores the code of the edition it opened under (``hubei.2``), so a later edition never
rewrites an old result.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from tracker.core.time import UTCDateTime, utcnow
from tracker.extensions import db
from tracker.voting.rulebooks import AssemblyRules, PrevailingBallot, Rulebook, local_rulebook
from tracker.voting.thresholds import THRESHOLDS

# What a rulebook's form accepts and the table holds: notice days 1–60, a proxy cap of 1–50,
# an electronic vote open 1–365 days.
NOTICE_DAYS = (1, 60)
PROXY_CAP = (1, 50)
E_VOTE_DAYS = (1, 365)
KEY_LENGTH = 20
_OFFERED_THRESHOLDS = ", ".join(f"'{code}'" for code in THRESHOLDS)


class RulebookEdition(db.Model):
    """An edition of a local rulebook: the owners' committee's thresholds (codes of
    ``tracker.voting.thresholds.THRESHOLDS``, all within what the law allows), the citation its
    results print, and how its owners' assembly meetings are called (see
    ``tracker.voting.rulebooks.AssemblyRules``)."""
    __tablename__ = "rulebook_editions"
    __table_args__ = (
        UniqueConstraint("key", "edition"),
        CheckConstraint("edition >= 1", name="edition_positive"),
        CheckConstraint(f"committee_quorum IN ({_OFFERED_THRESHOLDS}) AND "
                        f"committee_approval IN ({_OFFERED_THRESHOLDS})",
                        name="offered_thresholds"),
        CheckConstraint(f"notice_days_regular BETWEEN {NOTICE_DAYS[0]} AND {NOTICE_DAYS[1]} AND "
                        f"notice_days_temporary BETWEEN {NOTICE_DAYS[0]} AND {NOTICE_DAYS[1]}",
                        name="notice_days_in_range"),
        CheckConstraint(f"proxy_cap IS NULL OR proxy_cap BETWEEN {PROXY_CAP[0]} AND {PROXY_CAP[1]}",
                        name="proxy_cap_in_range"),
        CheckConstraint("(e_vote_min_days IS NULL AND e_vote_max_days IS NULL) OR "
                        f"(e_vote_min_days BETWEEN {E_VOTE_DAYS[0]} AND {E_VOTE_DAYS[1]} AND "
                        f"e_vote_max_days BETWEEN e_vote_min_days AND {E_VOTE_DAYS[1]})",
                        name="e_vote_window_in_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    # What a district stores to follow the rulebook's current edition: ASCII, never a built-in
    # rulebook's code.
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    edition: Mapped[int]
    name: Mapped[str] = mapped_column(String(100))
    committee_quorum: Mapped[str] = mapped_column(String(32))
    committee_approval: Mapped[str] = mapped_column(String(32))
    citation: Mapped[str] = mapped_column(String(300))
    notice_days_regular: Mapped[int]
    notice_days_temporary: Mapped[int]
    proxy_cap: Mapped[int | None]
    e_vote_min_days: Mapped[int | None]
    e_vote_max_days: Mapped[int | None]
    prevailing_ballot: Mapped[PrevailingBallot | None] = mapped_column(
        db.Enum(PrevailingBallot, native_enum=False, length=8,
                values_callable=lambda members: [m.value for m in members]))
    # The articles the assembly parameters come from; empty when the administrator named none.
    assembly_citation: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    created_by = relationship("User")

    @property
    def code(self) -> str:
        """The code a vote stores: ``hubei.2``."""
        return f"{self.key}.{self.edition}"

    def rulebook(self) -> Rulebook:
        """This edition as the voting rules read it."""
        window = (self.e_vote_min_days, self.e_vote_max_days) \
            if self.e_vote_min_days is not None else None
        cited = self.assembly_citation
        assembly = AssemblyRules(
            notice_days_regular=self.notice_days_regular,
            notice_days_temporary=self.notice_days_temporary, notice_basis=cited,
            proxy_cap=self.proxy_cap, proxy_basis=cited if self.proxy_cap else "",
            e_vote_days=window, e_vote_basis=cited if window else "",
            prevailing_ballot=self.prevailing_ballot,
            prevailing_basis=cited if self.prevailing_ballot else "")
        return local_rulebook(self.code, self.name, self.committee_quorum,
                              self.committee_approval, self.citation, assembly)


@event.listens_for(RulebookEdition, "before_update")
def _editions_never_change(_mapper, _connection, edition: RulebookEdition) -> None:
    if object_session(edition).is_modified(edition, include_collections=False):
        raise ValueError(f"rulebook edition {edition.code} changed: an edit adds an edition")
