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

A feature that keeps rows which never change in its own process (the rulebook editions of
:mod:`tracker.voting.rulebooks`) registers with :func:`on_clear`, so that replacing the database
forgets them too.

Nothing a person typed is a key or a value here: only ids, hashes and figures the app computed.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import time
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
    """Files in the instance folder unless the configuration names another backend.

    Every key carries the database it was computed from (a hash of its URL), so a cache folder or
    a Redis that outlives its database, or serves two deployments, never answers for another."""
    config = app.config
    if config.get("CACHE_REDIS_URL") and not config.get("CACHE_TYPE"):
        config["CACHE_TYPE"] = "RedisCache"
    if not config.get("CACHE_TYPE"):
        config["CACHE_TYPE"] = "FileSystemCache"
    if config["CACHE_TYPE"] == "FileSystemCache":
        folder = Path(config.get("CACHE_DIR") or Path(app.instance_path) / "cache")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            writable = os.access(folder, os.W_OK | os.X_OK)
        except OSError:
            writable = False
        if not writable:
            # A read-only instance folder: the app works, every answer is computed where asked.
            log.warning("shared cache folder %s is not writable: nothing is shared", folder)
            config["CACHE_TYPE"] = "NullCache"
        config["CACHE_DIR"] = str(folder)
        # Entries beyond which the oldest files go: a badge per active person, an issued PDF
        # per meeting opened that day, a few dashboard areas.
        config.setdefault("CACHE_THRESHOLD", 5000)
    if config["CACHE_TYPE"] == "RedisCache":
        # A Redis that does not answer must cost a page a moment, not a worker's timeout.
        config.setdefault("CACHE_OPTIONS", {"socket_timeout": 0.5,
                                            "socket_connect_timeout": 0.5})
    if config["CACHE_TYPE"] == "RedisCache" and not config.get("CACHE_KEY_PREFIX"):
        # Without a prefix, clearing the cache would empty the whole Redis database.
        config["CACHE_KEY_PREFIX"] = "tracker/"
    config.setdefault("CACHE_DEFAULT_TIMEOUT", 300)
    database = str(config.get("SQLALCHEMY_DATABASE_URI", ""))
    config["CACHE_DATABASE_KEY"] = hashlib.sha256(database.encode()).hexdigest()[:16]
    cache.init_app(app)


def _key(key: str) -> str:
    return f"{current_app.config['CACHE_DATABASE_KEY']}/{key}"


# After a failure the backend is left alone this long: a Redis that is down costs each page
# nothing more than computing its answers.
RETRY_AFTER_SECONDS = 30
_down_until = [0.0]


def _backend_up() -> bool:
    return time.monotonic() >= _down_until[0]


def _backend_failed(what: str, key) -> None:
    _down_until[0] = time.monotonic() + RETRY_AFTER_SECONDS
    log.warning("shared cache unreachable (%s %s); not used for %d s", what, key,
                RETRY_AFTER_SECONDS, exc_info=True)


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
    if not _backend_up():
        return None
    try:
        return cache.get(_key(key))
    except Exception:  # noqa: BLE001 - whatever the backend's client raises: not shared now
        _backend_failed("reading", key)
        return None


def share(key: str, value: Any, timeout: int | None = None) -> None:
    """Share ``value`` under ``key`` with every worker, for ``timeout`` seconds at most."""
    if not _backend_up():
        return
    try:
        cache.set(_key(key), value, timeout=timeout)
    except Exception:  # noqa: BLE001 - as above: the answer is right, only not shared
        _backend_failed("sharing", key)


def forget(*keys: str) -> None:
    """Forget shared answers a write has changed. While the backend is unreachable they cannot
    be forgotten, so every shared answer has a timeout that bounds how long it can be stale."""
    try:
        cache.delete_many(*(_key(key) for key in keys))
    except Exception:  # noqa: BLE001 - the write itself has been made; see above
        _backend_failed("forgetting", keys)


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


# What a feature keeps in its process from the database and must forget with the shared answers
# when the database is replaced (tracker.rulebooks: the rulebook editions read).
_ON_CLEAR: list[Callable[[], None]] = []


def on_clear(forget: Callable[[], None]) -> None:
    """Call ``forget`` whenever :func:`clear_all` runs in this process."""
    if forget not in _ON_CLEAR:
        _ON_CLEAR.append(forget)


def clear_all() -> bool:
    """Forget every shared answer (tests; after restoring a backup, loading the demo or
    migrating), and what this process keeps (:func:`on_clear`). Whether it could forget the
    shared answers: False while the backend is unreachable."""
    for forget in _ON_CLEAR:
        forget()
    try:
        cache.clear()
    except Exception:  # noqa: BLE001 - whatever the backend's client raises
        log.warning("shared cache unreachable; not cleared", exc_info=True)
        return False
    _down_until[0] = 0.0  # it answers: use it again
    return True


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
    if not has_request_context():
        return None
    memo = g.get("request_cache")
    if memo is None:
        # Whether tests turned memoisation off is read once a request: a page asks for its
        # memo a few hundred times (every translated message).
        memo = g.request_cache = {} if current_app.config.get("REQUEST_CACHE", True) else False
    return memo if memo is not False else None


