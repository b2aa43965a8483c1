"""Dashboard figures kept for a few minutes in each worker.

At a district's size the dashboard's aggregates read every case of the area: seconds on a
million cases, for figures that move by a handful an hour. Each worker keeps the figures of the
areas it was asked for ``DASHBOARD_CACHE_SECONDS`` (5 minutes by default; 0 turns this off) and
the page says when they were computed. Nothing here is state: a worker that never saw an area,
or a second app server, computes the figures itself, so several servers need nothing shared.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Select

from tracker.core.time import utcnow
from tracker.extensions import db


class FigureCache:
    # At most this many areas per worker: a district has a few hundred streets and communities.
    MAX_ENTRIES = 2000

    def __init__(self) -> None:
        self._entries: dict[tuple, tuple[float, Any, datetime]] = {}
        self._lock = threading.Lock()  # print jobs run a thread beside the request

    def get(self, key: tuple, seconds: float, compute: Callable[[], Any]) -> tuple[Any, datetime]:
        """(value, when it was computed): the kept value if younger than ``seconds``."""
        if seconds <= 0:
            return compute(), utcnow()
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and now - entry[0] < seconds:
            return entry[1], entry[2]
        value, computed_at = compute(), utcnow()
        with self._lock:
            if len(self._entries) >= self.MAX_ENTRIES:
                self._entries = {k: e for k, e in self._entries.items() if now - e[0] < seconds}
            self._entries[key] = (now, value, computed_at)
        return value, computed_at


def area_key(area: Select) -> str:
    """The area's SQL with its values written in: two people over the same compounds get
    equal keys only if their statements are equal, so nothing leaks between scopes."""
    return str(area.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
