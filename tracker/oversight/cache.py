"""Dashboard figures shared by every worker, refreshed in the background.

At a district's size the dashboard's aggregates read every case of the area (many seconds on a
million cases) for figures that move by a handful an hour. So the figures of an area are kept
in the shared cache (tracker.core.cache) for every worker; once older than
``DASHBOARD_CACHE_SECONDS`` (5 minutes by default; 0 turns keeping off) the next view still
gets them at once while a thread computes fresh ones, and the page says when its figures were
computed. Only the first view of an area waits for the computation.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import Select

from tracker.core.cache import peek_shared, share
from tracker.core.time import utcnow
from tracker.extensions import db

log = logging.getLogger(__name__)

# An area nobody has looked at for a day is computed afresh when someone does.
KEPT_UNUSED_SECONDS = 24 * 3600


class SharedFigures:
    """Figures of one kind (``kind``: the totals and table, or the charts drawn from them)."""

    def __init__(self, kind: str, keep_for: Callable[[float], float] | None = None) -> None:
        """``keep_for(seconds)``: how long an entry stays shared, from how long it is fresh
        (default: a day unused). Charts are drawn per set of figures, so theirs is short."""
        self.kind = kind
        self.keep_for = keep_for
        self._refreshing: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()

    def get(self, key: str, seconds: float, compute: Callable[[], Any],
            app: Flask | None = None) -> tuple[Any, datetime]:
        """(value, when it was computed). A shared value younger than ``seconds`` is returned
        as it is; an older one too, while a thread (in ``app``'s context) computes its
        successor."""
        if seconds <= 0:
            return compute(), utcnow()
        cache_key = f"dashboard {self.kind}/{hashlib.sha256(key.encode()).hexdigest()}"
        entry = peek_shared(cache_key)
        if entry is None:
            return self._store(cache_key, compute(), seconds)
        value, computed_at = entry
        if utcnow() - computed_at >= timedelta(seconds=seconds):
            if app is None:
                return self._store(cache_key, compute(), seconds)
            self._refresh(cache_key, compute, seconds, app)
        return value, computed_at

    def wait(self) -> None:
        """Until the refreshes under way in this worker have finished (tests)."""
        for thread in list(self._refreshing.values()):
            thread.join()

    def _store(self, cache_key: str, value: Any, seconds: float) -> tuple[Any, datetime]:
        computed_at = utcnow()
        keep = self.keep_for(seconds) if self.keep_for else KEPT_UNUSED_SECONDS
        share(cache_key, (value, computed_at), int(keep))
        return value, computed_at

    def _refresh(self, cache_key: str, compute: Callable[[], Any], seconds: float,
                 app: Flask) -> None:
        def run() -> None:
            try:
                with app.app_context():  # its own database session
                    self._store(cache_key, compute(), seconds)
            except Exception:  # the shared figures stay; the next view tries again
                log.exception("refreshing dashboard figures failed")
            finally:
                with self._lock:
                    self._refreshing.pop(cache_key, None)

        with self._lock:
            if cache_key in self._refreshing:
                return
            thread = threading.Thread(target=run, name="dashboard-figures", daemon=True)
            self._refreshing[cache_key] = thread
        thread.start()


def area_key(area: Select) -> str:
    """The area's SQL with its values written in: two people over the same compounds get
    equal keys only if their statements are equal, so nothing leaks between scopes."""
    return str(area.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
