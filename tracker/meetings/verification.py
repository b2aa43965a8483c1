"""Checking a minutes PDF: is it the one this deployment issued, unchanged?"""
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from tracker.documents.signing import verify_pdf
from tracker.extensions import db
from tracker.meetings.issuing import digest, signing_identity
from tracker.meetings.models import MinutesDocument

# The largest PDF taken for checking: an issued minutes PDF is a few hundred kilobytes.
MAX_PDF_BYTES = 20 * 1024 * 1024


@dataclass
class Verdict:
    valid: bool
    reason: str       # ok, unsigned, unreadable, modified, untrusted, unknown
    document: MinutesDocument | None = None


def verify_minutes_pdf(data: bytes) -> Verdict:
    """Valid means: the PDF signature holds against the deployment's certificate, and the file's
    SHA-256 matches a stored minutes document."""
    check = verify_pdf(data, Path(signing_identity().cert_path))
    document = db.session.scalar(select(MinutesDocument).where(
        MinutesDocument.pdf_sha256 == digest(data)))
    if not check.valid:
        return Verdict(False, check.reason, document)
    if document is None:
        return Verdict(False, "unknown")
    return Verdict(True, "ok", document)


def find_by_content_hash(content_sha256: str) -> MinutesDocument | None:
    return db.session.scalar(select(MinutesDocument).where(
        MinutesDocument.content_sha256 == content_sha256))
