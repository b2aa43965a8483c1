"""The case list as a spreadsheet: one row per case with a timestamp per stage and its vote.

The rows come from the same filtered query as the list page (``narrowed_cases``), joined to
place names and to the case's latest decided vote in the same statement, so an export of
thousands of cases is one query, read in batches.
"""
from __future__ import annotations

from collections.abc import Iterator

from flask import current_app
from sqlalchemy import func, select

from tracker.auth.models import User
from tracker.cases.queries import CaseFilters, narrowed_cases
from tracker.core.i18n import gettext as _
from tracker.core.labels import label
from tracker.core.time import to_local
from tracker.extensions import db
from tracker.places.models import Community, Compound, Street
from tracker.voting.models import Resolution, Vote, VoteState

# A spreadsheet is for reading, not a backup; beyond this the official should narrow the filter.
MAX_ROWS = 50_000


def headers() -> list[str]:
    return [_("Number"), _("Title"), _("Street"), _("Community"), _("Compound"), _("Category"),
            _("Source"), _("State"), _("Raised at"), _("Put on the agenda at"),
            _("Put to the vote at"), _("Follow-up started at"), _("Closed at"),
            _("Deciding body"), _("Rule applied"), _("Passed"), _("For"), _("Against"),
            _("Abstain"), _("Vote explanation")]


def _latest_decided_votes():
    """Per case, the vote of its newest resolution that has been decided."""
    newest = (select(Resolution.case_id, func.max(Resolution.id).label("resolution_id"))
              .join(Vote, Vote.resolution_id == Resolution.id)
              .where(Vote.state == VoteState.closed)
              .group_by(Resolution.case_id).subquery())
    return (select(newest.c.case_id, Vote.body, Vote.result)
            .join(Vote, Vote.resolution_id == newest.c.resolution_id).subquery())


def rows(user: User, filters: CaseFilters) -> Iterator[list]:
    cases = narrowed_cases(user, filters).subquery()
    votes = _latest_decided_votes()
    query = (select(cases.c.number, cases.c.title, Street.name, Community.name, Compound.name,
                    cases.c.category, cases.c.source, cases.c.state, cases.c.raised_at,
                    cases.c.on_agenda_at, cases.c.resolution_at, cases.c.follow_up_at,
                    cases.c.closed_at, votes.c.body, votes.c.result)
             .join(Compound, Compound.id == cases.c.compound_id)
             .join(Community, Community.id == Compound.community_id)
             .join(Street, Street.id == Community.street_id)
             .outerjoin(votes, votes.c.case_id == cases.c.id)
             .order_by(cases.c.raised_at, cases.c.id).limit(MAX_ROWS))
    zone = current_app.config["DISPLAY_TIMEZONE"]
    stamp = lambda value: to_local(value, zone) if value else None  # noqa: E731
    for row in db.session.execute(query).yield_per(500):
        result = row.result or {}
        yield [row.number, row.title, row[2], row[3], row[4],
               label(row.category), label(row.source), label(row.state),
               *(stamp(v) for v in row[8:13]),
               label(row.body) if row.body else "",
               result.get("rule_zh", ""),
               "" if not result else (_("yes") if result.get("passed") else _("no")),
               result.get("votes_for", ""), result.get("against", ""), result.get("abstain", ""),
               result.get("explanation_zh", "")]
