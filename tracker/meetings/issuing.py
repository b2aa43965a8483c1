"""Issuing the signed minutes PDF: rendered once, signed (PAdES), stored with its hashes."""
import base64
import hashlib
from pathlib import Path

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy import select

from tracker.core.i18n import speaking
from tracker.documents.pdf import render_pdf
from tracker.documents.qr import qr_svg_data_uri
from tracker.documents.signing import SigningIdentity, ensure_demo_identity, sign_pdf
from tracker.extensions import db
from tracker.meetings import minutes as minutes_content
from tracker.meetings.models import Meeting, MinutesDocument, Signature
from tracker.meetings.queries import valid_signatures
from tracker.meetings.quorum import joint_quorum


def digest(data: bytes) -> str:
    """The SHA-256 of a PDF's bytes: how an issued document is stored and later recognised."""
    return hashlib.sha256(data).hexdigest()


def signing_identity() -> SigningIdentity:
    cert, key = current_app.config["SIGNING_CERT"], current_app.config["SIGNING_KEY"]
    if cert and key:
        return SigningIdentity(Path(cert), Path(key))
    return ensure_demo_identity(Path(current_app.instance_path) / "signing")


def verify_url(content_sha256: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + f"/verify/{content_sha256}"


def minutes_context(meeting: Meeting, *, for_pdf: bool) -> dict:
    revision = minutes_content.current_revision(meeting)
    content = minutes_content.content_of(meeting, revision)
    sha = minutes_content.content_sha256(meeting)
    signatures = valid_signatures(meeting)
    drawings = {}
    if for_pdf:
        for signature in signatures:
            png = db.session.scalar(select(Signature.drawing_png).where(
                Signature.id == signature.id))
            if png:
                drawings[signature.id] = "data:image/png;base64," + base64.b64encode(png).decode()
    return {"meeting": meeting, "revision": revision, "content": content,
            "quorum": joint_quorum(meeting), "signatures": signatures, "drawings": drawings,
            "attendance": minutes_content.attendance_groups(meeting),
            "content_sha256": sha, "verify_url": verify_url(sha),
            "qr": qr_svg_data_uri(verify_url(sha))}


def document_html(context: dict) -> Markup:
    """The minutes as the issued document reads, for the signing page and the print view: the
    same template the PDF is printed from, in Chinese whatever the reader's language, so what
    people read and sign is what is issued."""
    with speaking("zh"):
        return Markup(render_template("meetings/_minutes_document.html", **context))  # nosec B704 - the template's own autoescaped output


def render_minutes_pdf(meeting: Meeting) -> bytes:
    # A filed government record is in Chinese whatever language the last signer reads.
    with speaking("zh"):
        html = render_template("meetings/minutes_pdf.html",
                               **minutes_context(meeting, for_pdf=True))
    return render_pdf(html)


def issue_minutes_pdf(meeting: Meeting) -> MinutesDocument:
    pdf = render_minutes_pdf(meeting)
    signed = sign_pdf(pdf, signing_identity(), reason=f"{meeting.community.name}三方联席会议纪要 "
                      f"{meeting.number}", location=meeting.community.name)
    document = MinutesDocument(meeting_id=meeting.id,
                               content_sha256=minutes_content.content_sha256(meeting),
                               pdf_sha256=digest(signed), pdf=signed, size=len(signed))
    db.session.add(document)
    db.session.flush()
    return document
