"""The public verification page: no login, anyone with a minutes PDF or its QR code."""
import re

from flask import Blueprint, render_template
from flask_wtf.file import FileField, FileRequired

from tracker.core.forms import Form
from tracker.core.i18n import lazy_gettext as _l
from tracker.meetings.queries import valid_signatures
from tracker.meetings.verification import (
    MAX_PDF_BYTES,
    find_by_content_hash,
    verify_minutes_pdf,
)

bp = Blueprint("verify", __name__, url_prefix="/verify")


class VerifyForm(Form):
    pdf = FileField(_l("Minutes PDF"), validators=[FileRequired(_l("Please choose a PDF file."))])


@bp.route("/", methods=["GET", "POST"])
def upload():
    form = VerifyForm()
    verdict = None
    if form.validate_on_submit():
        data = form.pdf.data.read(MAX_PDF_BYTES + 1)
        if len(data) > MAX_PDF_BYTES:
            form.pdf.errors = [_l("The file is larger than 20 MB; it is not a minutes PDF.")]
        else:
            verdict = verify_minutes_pdf(data)
    document = verdict.document if verdict else None
    return render_template("meetings/verify.html", form=form, verdict=verdict,
                           document=document,
                           signatures=valid_signatures(document.meeting) if document else [])


@bp.route("/<sha>")
def by_hash(sha: str):
    """Where the QR code on a printed copy leads: the stored record for that content hash."""
    document = find_by_content_hash(sha) if re.fullmatch(r"[0-9a-f]{64}", sha) else None
    return render_template("meetings/verify_record.html", document=document, sha=sha,
                           signatures=valid_signatures(document.meeting) if document else []), \
        200 if document else 404
