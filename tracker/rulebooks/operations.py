"""The only code that writes local rulebooks: a new rulebook is its edition 1, and every edit
adds the next edition, never changing one that votes may have been decided by. Each writes its
audit event in the same transaction; functions flush, never commit.

Two administrators saving the same rulebook at the same moment both ask for the same next
edition: the unique (key, edition) constraint lets one through and the other gets an
``IntegrityError`` (the page says someone else saved at the same moment)."""
from __future__ import annotations

import enum

from tracker.audit.operations import log
from tracker.auth.models import User
from tracker.extensions import db
from tracker.rulebooks.models import RulebookEdition

# What an edition holds besides its key and number, as an edit may change it.
FIELDS = ("name", "committee_quorum", "committee_approval", "citation", "notice_days_regular",
          "notice_days_temporary", "proxy_cap", "e_vote_min_days", "e_vote_max_days",
          "prevailing_ballot", "assembly_citation")


def _jsonable(value):
    return value.value if isinstance(value, enum.Enum) else value


def add_rulebook(actor: User, key: str, values: dict) -> RulebookEdition:
    """Edition 1 of a new local rulebook ``key`` with ``values`` (every name of :data:`FIELDS`).

    :raise sqlalchemy.exc.IntegrityError: the key was taken at the same moment.
    """
    first = RulebookEdition(key=key, edition=1, created_by_id=actor.id,
                            **{name: values[name] for name in FIELDS})
    db.session.add(first)
    db.session.flush()
    log(actor, "rulebook", first.id, "create",
        data={"code": first.code, **{name: _jsonable(values[name]) for name in FIELDS}})
    return first


def edit_rulebook(actor: User, current: RulebookEdition, values: dict) -> RulebookEdition | None:
    """The next edition of ``current``'s rulebook with ``values``; None when they change nothing
    (no edition is added). ``current`` itself is never changed: votes opened under it keep it.

    :raise sqlalchemy.exc.IntegrityError: another edition was added at the same moment.
    """
    changes = {name: [_jsonable(getattr(current, name)), _jsonable(values[name])]
               for name in FIELDS if getattr(current, name) != values[name]}
    if not changes:
        return None
    following = RulebookEdition(key=current.key, edition=current.edition + 1,
                                created_by_id=actor.id,
                                **{name: values[name] for name in FIELDS})
    db.session.add(following)
    db.session.flush()
    log(actor, "rulebook", following.id, "edit",
        data={"code": following.code, "replaces": current.code, **changes})
    return following
