"""The one cache layer: what a request asks twice, and what every worker may share.

Two kinds, and only these two:

* :func:`request_cached` — a function's answer kept for the rest of one request, keyed by the
  function and its arguments (where a person works does not change while one of their requests
  is served). Outside a request, and when ``REQUEST_CACHE`` is off, the function runs every time.
* :data:`cache` (Flask-Caching) — answers shared by every worker of a deployment: by default
  files in the instance folder (``make demo`` runs two workers on one host); with
  ``CACHE_REDIS_URL`` a Redis that several app servers share. A write that changes a shared
  answer forgets it in the same place it writes (:func:`forget`), so the next request of any
  worker reads it anew.

Nothing a person typed is a key or a value here: only ids, hashes and figures the app computed.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_request_context
from flask_caching import Cache
from sqlalchemy import event
from sqlalchemy.orm import Session

cache = Cache()
log = logging.getLogger(__name__)

T = TypeVar("T")

# A value the shared cache cannot tell from "not cached" (cachelib answers None for a miss).
_NONE = ("cached None",)


def configure_cache(app: Flask) -> None:
    """Files in the instance folder unless the configuration names another backend."""
    config = app.config
    if config.get("CACHE_REDIS_URL") and not config.get("CACHE_TYPE"):
        config["CACHE_TYPE"] = "RedisCache"
    if not config.get("CACHE_TYPE"):
        config["CACHE_TYPE"] = "FileSystemCache"
        config.setdefault("CACHE_DIR", str(Path(app.instance_path) / "cache"))
        # Entries beyond which the oldest files go: a badge per active person, an issued PDF
        # per meeting opened that day, a few dashboard areas.
        config.setdefault("CACHE_THRESHOLD", 5000)
    config.setdefault("CACHE_DEFAULT_TIMEOUT", 300)
    cache.init_app(app)


def shared(key: str, compute: Callable[[], T], timeout: int | None = None) -> T:
    """The answer every worker shares under ``key``, or ``compute()`` (and shared from now on).

    A backend that cannot be reached (Redis restarting) costs the answer being computed here,
    never an error page: the database remains the record."""
    found = peek_shared(key)
    if found is not None:
        return None if found == _NONE else found
    value = compute()
    share(key, _NONE if value is None else value, timeout)
    return value


def peek_shared(key: str) -> Any:
    """The shared answer under ``key``, or ``None`` when there is none (or no backend now)."""
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - whatever the backend's client raises: not shared now
        log.warning("shared cache unreachable; %s computed here", key, exc_info=True)
        return None


def share(key: str, value: Any, timeout: int | None = None) -> None:
    """Share ``value`` under ``key`` with every worker, for ``timeout`` seconds at most."""
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:  # noqa: BLE001 - as above: the answer is right, only not shared
        log.warning("shared cache unreachable; %s not shared", key, exc_info=True)


def forget(*keys: str) -> None:
    """Forget shared answers a write has changed. While the backend is unreachable they cannot
    be forgotten, so every shared answer has a timeout that bounds how long it can be stale."""
    try:
        cache.delete_many(*keys)
    except Exception:  # noqa: BLE001 - the write itself has been made; see above
        log.warning("shared cache unreachable; %s not forgotten", keys, exc_info=True)


def forget_after_commit(session: Session, *keys: str) -> None:
    """Forget shared answers once ``session``'s transaction, which changes them, commits: a
    worker asking meanwhile would otherwise share the old answer again."""
    session.info.setdefault(_TO_FORGET, set()).update(keys)


_TO_FORGET = "shared answers to forget"


@event.listens_for(Session, "after_commit")
def _forget_committed(session: Session) -> None:
    keys = session.info.pop(_TO_FORGET, None)
    if keys:
        forget(*keys)


@event.listens_for(Session, "after_transaction_end")
def _nothing_to_forget_after_rollback(session: Session, transaction) -> None:
    if transaction.parent is None:  # the whole transaction ended without a commit
        session.info.pop(_TO_FORGET, None)


def clear_all() -> None:
    """Forget every shared answer (tests; an operator after restoring a backup)."""
    cache.clear()


def request_cached(function: Callable[..., T]) -> Callable[..., T]:
    """Keep ``function``'s answer for the rest of the request, per arguments (hashable ones:
    ids, not ORM objects). ``function.prime(value, *args)`` hands in an answer read with
    something else; ``function.peek(*args)`` is the kept answer or ``None``;
    ``function.uncached(*args)`` always asks."""
    @functools.wraps(function)
    def cached(*args: Hashable) -> T:
        memo = _request_memo()
        if memo is None:
            return function(*args)
        key = (function, args)
        try:
            return memo[key]
        except KeyError:
            value = memo[key] = function(*args)
            return value

    def prime(value: Any, *args: Hashable) -> None:
        memo = _request_memo()
        if memo is not None:
            memo[(function, args)] = value

    def peek(*args: Hashable) -> T | None:
        memo = _request_memo()
        return None if memo is None else memo.get((function, args))

    cached.prime = prime
    cached.peek = peek
    cached.uncached = function
    return cached


def _request_memo() -> dict | None:
    if not has_request_context() or not current_app.config.get("REQUEST_CACHE", True):
        return None
    memo = g.get("request_cache")
    if memo is None:
        memo = g.request_cache = {}
    return memo


def forget_in_request() -> None:
    """Forget this request's kept answers (after a write that changes them, such as a person
    joining a party during the request that then shows the menu)."""
    if has_request_context():
        g.pop("request_cache", None)
