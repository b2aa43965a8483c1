"""Rulebooks administrators add for a province or city whose regulation the app does not ship
(湖北省, 武汉市), kept in editions: each change adds one, and votes keep the one they opened under.

A small feature of its own, with the usual files: ``models`` (the editions table), ``queries``
(reads, and the lookup the voting rules ask), ``operations`` (a new rulebook, an edit; audited),
``labels``. What an edition means — thresholds, citation, assembly parameters — is decided by
the pure :mod:`tracker.voting.rulebooks`, which this package stands on; that module knows no
database and reads editions through the lookup :func:`init_app` registers. The pages are the
administration's (``tracker.admin.rulebook_views``), open to administrators only like every
/admin/ page (``tracker.admin.policy.can_administer``), so there are no views or policy here.
"""
from flask import Flask, has_app_context

from tracker.core.cache import on_clear
from tracker.rulebooks import labels  # noqa: F401  (registers the enum labels)
from tracker.rulebooks import queries
from tracker.voting import rulebooks
from tracker.voting.rulebooks import Rulebook


def _stored(code: str) -> Rulebook | None:
    # The rules used outside the application (a script, a pure test) have no database to ask:
    # only the built-in rulebooks exist there.
    return queries.rulebook_of(code) if has_app_context() else None


def init_app(app: Flask) -> None:
    rulebooks.register_source(_stored)
    # Editions read are kept per process; a replaced database (a restored backup, the demo
    # loaded again, a test's fresh tables) forgets them with the shared answers.
    on_clear(rulebooks.forget_editions)
