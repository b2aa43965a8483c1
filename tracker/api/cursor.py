"""Keyset pagination of the case list (newest first): the cursor is an opaque token for the
(raised_at, id) of the last case shown, so a page is one indexed range scan, however deep."""
import base64
import binascii
import json
from datetime import datetime, timezone

from sqlalchemy import Select, and_, or_

from tracker.api.fields import MAX_ID
from tracker.cases.models import Case
from tracker.extensions import db


class BadCursor(ValueError):
    pass


def encode(case: Case) -> str:
    raw = json.dumps([case.raised_at.astimezone(timezone.utc).isoformat(), case.id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str) -> tuple[datetime, int]:
    """:raise BadCursor: not a cursor this API gave out."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        stamp, case_id = json.loads(raw)
        at = datetime.fromisoformat(stamp).astimezone(timezone.utc)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, OverflowError) as exc:
        raise BadCursor(cursor) from exc
    if not isinstance(case_id, int) or isinstance(case_id, bool) or not 0 < case_id <= MAX_ID:
        raise BadCursor(cursor)
    return at, case_id


def page_after(query: Select, cursor: str | None, limit: int) -> tuple[list[Case], str | None]:
    """One page of ``query`` newest first after ``cursor``; returns (cases, next cursor)."""
    if cursor:
        at, case_id = decode(cursor)
        query = query.where(or_(Case.raised_at < at,
                                and_(Case.raised_at == at, Case.id < case_id)))
    rows = list(db.session.scalars(query.order_by(Case.raised_at.desc(), Case.id.desc())
                                   .limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode(rows[-1]) if more else None
