"""The only code that changes API tokens: create (shown once), revoke (one, or all of a person's),
recognise on a request."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func, select, update

from tracker.api.models import ApiToken
from tracker.audit.operations import log
from tracker.auth.models import User
from tracker.core.time import utcnow
from tracker.extensions import db

# Recognisable in logs and by secret scanners; the rest is 256 random bits.
PREFIX = "sfld_"
# "Last used" is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the record and the token, which is never stored."""
    token = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, name=name, token_sha256=digest(token))
    db.session.add(record)
    db.session.flush()
    log(user, "user", user.id, "api_token_create", data={"token": record.id, "name": name})
    return record, token


def revoke_token(record: ApiToken, actor: User) -> None:
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        log(actor, "user", record.user_id, "api_token_revoke",
            data={"token": record.id, "name": record.name})
        db.session.flush()


def revoke_all(user: User) -> int:
    """Revoke every active token of ``user``, by ``user``, each audited; → how many."""
    active = list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                            ApiToken.revoked_at.is_(None))))
    for record in active:
        revoke_token(record, user)
    return len(active)


def active_count(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.revoked_at.is_not(None),
                                             ApiToken.id.desc())))


def user_for_token(token: str) -> User | None:
    """The active owner of an active token, or None. Notes the use (committed on its own, so a
    refused change later in the request does not undo it)."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    record = db.session.scalar(select(ApiToken).where(ApiToken.token_sha256 == digest(token)))
    if record is None or record.revoked_at is not None or not record.user.active:
        return None
    now = utcnow()
    if record.last_used_at is None or now - record.last_used_at > LAST_USED_RESOLUTION:
        db.session.execute(update(ApiToken).where(ApiToken.id == record.id)
                           .values(last_used_at=now))
        db.session.commit()
    return record.user
