"""Issued minutes PDFs kept in the worker's memory, by the SHA-256 of their bytes.

An issued PDF never changes: re-issuing makes new bytes with a new hash. So the download reads
only the small facts from the database (may this person see it, its hash, its file name) and
takes the ~200 KB of bytes from here when this worker has served them before; reading them
from PostgreSQL again cost more than everything else the download does.

The database stays the only record (several app servers each keep their own copies, see
docs/scaling.md): an entry is found by the hash the database gives now, so bytes of a
replaced document are never served for the new one, and an entry is kept only if its bytes
hash to that value. The oldest-used entries go first beyond ``MINUTES_PDF_KEEP_MB``.
"""
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app

_kept: OrderedDict[str, bytes] = OrderedDict()
_kept_bytes = 0
_lock = threading.Lock()  # tests and threaded servers share one worker's memory


def pdf_bytes(sha256: str, read: Callable[[], bytes | None]) -> bytes | None:
    """The bytes whose hash is ``sha256``: kept ones, or ``read()`` from the database (and kept
    if they match). ``None`` if the database no longer has them."""
    with _lock:
        data = _kept.get(sha256)
        if data is not None:
            _kept.move_to_end(sha256)
            return data
    data = read()
    if data is not None and hashlib.sha256(data).hexdigest() == sha256:
        _keep(sha256, bytes(data))
    return data


def _keep(sha256: str, data: bytes) -> None:
    global _kept_bytes
    limit = current_app.config["MINUTES_PDF_KEEP_MB"] * 1024 * 1024
    if len(data) > limit:
        return
    with _lock:
        if sha256 in _kept:
            return
        _kept[sha256] = data
        _kept_bytes += len(data)
        while _kept_bytes > limit:
            _sha, dropped = _kept.popitem(last=False)
            _kept_bytes -= len(dropped)


def forget_all() -> None:
    """Drop every kept PDF (tests)."""
    global _kept_bytes
    with _lock:
        _kept.clear()
        _kept_bytes = 0


def kept_count() -> int:
    return len(_kept)
