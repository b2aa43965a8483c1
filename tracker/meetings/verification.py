"""Checking a minutes PDF: is it the one this deployment issued, unchanged?

Anyone may upload a file here (the /verify page, its API twin, ``flask minutes verify``), so what
one check may cost is bounded before the file is believed to be a minutes PDF:

* its size: :data:`MAX_PDF_BYTES`;
* its shape: an issued minutes PDF has a few dozen objects in one or two revisions (the signature
  is an incremental update); a file with thousands of either is refused unparsed, since parsing
  time grows with them (:func:`too_complex`);
* its parsing: the signature is checked in a child process with ``VERIFY_SECONDS`` of time and
  :data:`CHECK_MEMORY_BYTES` of memory. A file built to be slow in ways no count above sees (a
  compressed cross-reference stream of millions of entries, a decompression bomb) is cut off
  there, without holding the worker longer or growing its memory.
"""
import gc
import math
import multiprocessing
import re
import resource
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from tracker.documents.signing import SignatureCheck, verify_pdf
from tracker.extensions import db
from tracker.meetings.issuing import digest, signing_identity
from tracker.meetings.models import MinutesDocument

# The largest PDF taken for checking: an issued minutes PDF is a few hundred kilobytes of text and
# fonts, plus each drawn signature (at most 512 kB, tracker/meetings/drawing.py).
MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_REVISIONS = 16
MAX_OBJECTS = 10_000
# What the child process may allocate beyond what it starts with.
CHECK_MEMORY_BYTES = 512 * 1024 * 1024

# "12 0 obj": an object's definition ("endobj" has no blank before "obj"). Linear: no nested
# repetition for a hostile file to make the search backtrack over.
_OBJECT = re.compile(rb"\sobj\b")


@dataclass
class Verdict:
    valid: bool
    reason: str       # ok, unsigned, unreadable, modified, untrusted, unknown, too_complex
    document: MinutesDocument | None = None


def verify_minutes_pdf(data: bytes) -> Verdict:
    """Valid means: the PDF signature holds against the deployment's certificate, and the file's
    SHA-256 matches a stored minutes document. ``too_complex``: refused unchecked, by the bounds
    above (the caller refuses files over :data:`MAX_PDF_BYTES` itself)."""
    if too_complex(data):
        return Verdict(False, "too_complex")
    check = _checked_within(data, Path(signing_identity().cert_path),
                            current_app.config["VERIFY_SECONDS"])
    if check is None:
        return Verdict(False, "too_complex")
    document = db.session.scalar(select(MinutesDocument).where(
        MinutesDocument.pdf_sha256 == digest(data)))
    if not check.valid:
        return Verdict(False, check.reason, document)
    if document is None:
        return Verdict(False, "unknown")
    return Verdict(True, "ok", document)


def too_complex(data: bytes) -> bool:
    """More revisions or object definitions than any minutes PDF has (counted in the raw bytes,
    without parsing)."""
    return data.count(b"startxref") > MAX_REVISIONS or \
        sum(1 for _ in islice(_OBJECT.finditer(data), MAX_OBJECTS + 1)) > MAX_OBJECTS


def _checked_within(data: bytes, cert: Path, seconds: float) -> SignatureCheck | None:
    """:func:`verify_pdf` in a forked child process; None when it did not answer in ``seconds``
    (it is killed) or died (out of memory, out of CPU time).

    Forked, the child shares the worker's loaded code and its clock (tests move the clock), and
    touches nothing else of it (no database connection): it only reads bytes and a certificate.

    :raise Exception: what :func:`verify_pdf` raised in the child (an unreadable certificate).
    """
    context = multiprocessing.get_context("fork")
    answer, sender = context.Pipe(duplex=False)
    child = context.Process(target=_check_in_child, args=(sender, data, cert, seconds),
                            daemon=True)
    child.start()
    sender.close()
    try:
        result = answer.recv() if answer.poll(seconds) else None
    except (EOFError, OSError):  # the child died before answering
        result = None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        answer.close()
    if isinstance(result, Exception):
        raise result
    return result


def _check_in_child(sender, data: bytes, cert: Path, seconds: float) -> None:
    gc.freeze()  # the collector leaves the worker's objects alone: their pages stay shared
    # The CPU limit ends the child even if the worker waiting for it is killed meanwhile.
    _lower_limit(resource.RLIMIT_CPU, math.ceil(seconds) + 1)
    if size := _address_space():
        _lower_limit(resource.RLIMIT_AS, size + CHECK_MEMORY_BYTES)
    try:
        sender.send(verify_pdf(data, cert))
    except Exception as error:  # noqa: BLE001 - the parent raises it
        sender.send(error)
    finally:
        sender.close()


def _lower_limit(kind: int, soft: int) -> None:
    _soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(kind, (soft, hard))


def _address_space() -> int:
    """This process's virtual memory size in bytes (0 where /proc does not say)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def find_by_content_hash(content_sha256: str) -> MinutesDocument | None:
    return db.session.scalar(select(MinutesDocument).where(
        MinutesDocument.content_sha256 == content_sha256))
