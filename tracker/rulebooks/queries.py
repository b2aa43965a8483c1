"""Reads of local rulebooks: an edition by its code, a rulebook's current edition by its key,
the current editions for the list and the district's choices, and every edition for the
history."""
from __future__ import annotations

from itertools import groupby

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.rulebooks.models import RulebookEdition
from tracker.voting.rulebooks import Rulebook


def edition(key: str, number: int | None = None) -> RulebookEdition | None:
    """Edition ``number`` of the rulebook ``key``; its current (latest) edition for None."""
    query = select(RulebookEdition).where(RulebookEdition.key == key)
    if number is not None:
        query = query.where(RulebookEdition.edition == number)
    return db.session.scalar(query.order_by(RulebookEdition.edition.desc()).limit(1))


def rulebook_of(code: str) -> Rulebook | None:
    """The rulebook a stored code names: an edition (``hubei.2``) or, for a key (``hubei``), the
    current edition; None for neither. What :func:`tracker.voting.rulebooks.rulebook` asks."""
    key, dot, number = code.partition(".")
    # Only an edition's code as it is written (``hubei.2``, never ``hubei.02``) names it.
    if dot and not (number.isascii() and number.isdigit() and len(number) <= 9
                    and number == str(int(number))):
        return None
    found = edition(key, int(number) if dot else None)
    return found.rulebook() if found else None


def key_taken(key: str) -> bool:
    return db.session.scalar(select(RulebookEdition.id).where(RulebookEdition.key == key)
                             .limit(1)) is not None


def current_editions() -> list[RulebookEdition]:
    """Each local rulebook's current edition, by name. Few rows (a province or city each): no
    paging."""
    latest = (select(RulebookEdition.key, func.max(RulebookEdition.edition).label("edition"))
              .group_by(RulebookEdition.key).subquery())
    return list(db.session.scalars(
        select(RulebookEdition).join(latest, (RulebookEdition.key == latest.c.key)
                                     & (RulebookEdition.edition == latest.c.edition))
        .order_by(RulebookEdition.name, RulebookEdition.key)))


def history() -> dict[str, list[RulebookEdition]]:
    """Every edition of every local rulebook, newest first, with who added it, by key."""
    editions = db.session.scalars(
        select(RulebookEdition).options(joinedload(RulebookEdition.created_by))
        .order_by(RulebookEdition.key, RulebookEdition.edition.desc()))
    return {key: list(rows) for key, rows in groupby(editions, key=lambda e: e.key)}
