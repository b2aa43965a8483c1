"""Verifying a minutes PDF: public, as the /verify page is."""
import marshmallow as ma
from flask import current_app
from flask_smorest.fields import Upload

from tracker.api.base import api_blueprint
from tracker.api.problems import ApiProblem
from tracker.extensions import limiter
from tracker.meetings.verification import MAX_PDF_BYTES, verify_minutes_pdf

blp = api_blueprint("api_verify", "Verify a minutes PDF (no token needed).", public=True)


class PdfUploadSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # other form fields are ignored, as the document says

    pdf = Upload(required=True, metadata={"description": "the minutes PDF"})


class VerdictSchema(ma.Schema):
    valid = ma.fields.Boolean(required=True)
    reason = ma.fields.String(required=True, metadata={
        "description": "ok, unsigned, unreadable, modified, untrusted, unknown, or "
                       "too_complex (refused unchecked: far more complex than issued minutes)"})
    meeting_number = ma.fields.String(required=True, allow_none=True)
    community = ma.fields.String(required=True, allow_none=True)
    signed_at = ma.fields.DateTime(required=True, allow_none=True)
    content_sha256 = ma.fields.String(required=True, allow_none=True)


@blp.route("/verify", methods=["POST"])
# Counted with the /verify page's uploads: one allowance an address, whichever way it asks.
@limiter.shared_limit(lambda: current_app.config["VERIFY_LIMIT_PER_ADDRESS"], "verify-address")
@blp.arguments(PdfUploadSchema, location="files")
@blp.response(200, VerdictSchema)
@blp.doc(security=[])
def verify(files):
    """Verify a minutes PDF.

    Is this the minutes PDF the deployment issued, unchanged and validly signed?"""
    data = files["pdf"].read(MAX_PDF_BYTES + 1)
    if len(data) > MAX_PDF_BYTES:
        raise ApiProblem(413)
    verdict = verify_minutes_pdf(data)
    document = verdict.document
    meeting = document.meeting if document else None
    return {"valid": verdict.valid, "reason": verdict.reason,
            "meeting_number": meeting.number if meeting else None,
            "community": meeting.community.name if meeting else None,
            "signed_at": meeting.signed_at if meeting else None,
            "content_sha256": document.content_sha256 if document else None}
