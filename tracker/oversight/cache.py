"""Dashboard figures kept in each worker, refreshed in the background.

At a district's size the dashboard's aggregates read every case of the area: 17 s on a million
cases on the reference machine, for figures that move by a handful an hour. Each worker keeps the
figures of the areas it was asked for; once they are older than ``DASHBOARD_CACHE_SECONDS`` (5
minutes by default; 0 turns keeping off) the next view still gets them at once while a thread
computes fresh ones, and the page says when its figures were computed. Only the first view of an
area in a worker waits for the computation. Nothing here is state: a worker that never saw an
area, or a second app server, computes the figures itself, so several servers share nothing.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import Select

from tracker.core.time import utcnow
from tracker.extensions import db

log = logging.getLogger(__name__)


class FigureCache:
    def __init__(self, max_entries: int = 500) -> None:
        # Beyond this many areas a worker drops the expired ones (a district has a few hundred
        # streets and communities; an entry is tens of kilobytes).
        self.max_entries = max_entries
        self._entries: dict[tuple, tuple[float, Any, datetime]] = {}
        self._refreshing: dict[tuple, threading.Thread] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple, seconds: float, compute: Callable[[], Any],
            app: Flask | None = None) -> tuple[Any, datetime]:
        """(value, when it was computed). A kept value younger than ``seconds`` is returned as
        it is; an older one too, while a thread (in ``app``'s context) computes its successor."""
        if seconds <= 0:
            return compute(), utcnow()
        with self._lock:
            entry = self._entries.get(key)
        if entry is None:
            return self._store(key, compute(), seconds)
        if time.monotonic() - entry[0] >= seconds:
            if app is None:
                return self._store(key, compute(), seconds)
            self._refresh(key, compute, seconds, app)
        return entry[1], entry[2]

    def wait(self) -> None:
        """Until the refreshes under way have finished (tests)."""
        for thread in list(self._refreshing.values()):
            thread.join()

    def _store(self, key: tuple, value: Any, seconds: float) -> tuple[Any, datetime]:
        now, computed_at = time.monotonic(), utcnow()
        with self._lock:
            if len(self._entries) >= self.max_entries:
                fresh = sorted(((k, e) for k, e in self._entries.items() if now - e[0] < seconds),
                               key=lambda item: item[1][0])
                self._entries = dict(fresh[-(self.max_entries // 2):])  # the newest half
            self._entries[key] = (now, value, computed_at)
        return value, computed_at

    def _refresh(self, key: tuple, compute: Callable[[], Any], seconds: float,
                 app: Flask) -> None:
        def run() -> None:
            try:
                with app.app_context():  # its own database session
                    self._store(key, compute(), seconds)
            except Exception:  # the kept figures stay; the next view tries again
                log.exception("refreshing dashboard figures failed")
            finally:
                with self._lock:
                    self._refreshing.pop(key, None)

        with self._lock:
            if key in self._refreshing:
                return
            thread = threading.Thread(target=run, name="dashboard-figures", daemon=True)
            self._refreshing[key] = thread
        thread.start()


def area_key(area: Select) -> str:
    """The area's SQL with its values written in: two people over the same compounds get
    equal keys only if their statements are equal, so nothing leaks between scopes."""
    return str(area.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
