"""The public verification page: no login, anyone with a minutes PDF or its QR code.

Each upload costs a PDF parse, so an address gets ``VERIFY_LIMIT_PER_ADDRESS`` of them, and a file
too large or too complex to be a minutes PDF is refused with a message beside the field
(tracker/meetings/verification.py bounds the check itself)."""
import re

from flask import Blueprint, current_app, make_response, render_template
from flask_wtf.file import FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge

from tracker.core.forms import Form
from tracker.core.i18n import gettext as _
from tracker.core.i18n import lazy_gettext as _l
from tracker.extensions import limiter
from tracker.meetings.queries import valid_signatures
from tracker.meetings.verification import (
    MAX_PDF_BYTES,
    find_by_content_hash,
    verify_minutes_pdf,
)

bp = Blueprint("verify", __name__, url_prefix="/verify")


class VerifyForm(Form):
    pdf = FileField(_l("Minutes PDF"), validators=[FileRequired(_l("Please choose a PDF file."))])


def _too_large() -> str:
    return _("The file is larger than %(megabytes)d MB; a minutes PDF issued by this system is "
             "much smaller.", megabytes=MAX_PDF_BYTES // (1024 * 1024))


def _refused(message: str, status: int):
    """The page again, the file refused unread, with ``message`` beside the field."""
    form = VerifyForm(formdata=None)
    form.pdf.errors = [message]
    return make_response(render_template("meetings/verify.html", form=form, verdict=None,
                                         document=None, signatures=[]), status)


@bp.errorhandler(RequestEntityTooLarge)
def _over_request_limit(_error):
    """A request over MAX_CONTENT_LENGTH, refused unread (by the CSRF check, the first to read
    the form): this page with its message rather than the site's page about photos."""
    return _refused(_too_large(), 413)


def _throttled(_limit):
    # Flask-Limiter uses what this returns only if it is a Response.
    return _refused(_("Too many files were checked from this address in a short time. "
                      "Please try again later."), 429)


@bp.route("/", methods=["GET", "POST"])
# Shared with the API's POST /api/v1/verify: one allowance an address, whichever way it asks.
@limiter.shared_limit(lambda: current_app.config["VERIFY_LIMIT_PER_ADDRESS"], "verify-address",
                      methods=["POST"], on_breach=_throttled)
def upload():
    form = VerifyForm()
    verdict = None
    if form.validate_on_submit():
        data = form.pdf.data.read(MAX_PDF_BYTES + 1)
        if len(data) > MAX_PDF_BYTES:
            return _refused(_too_large(), 413)
        verdict = verify_minutes_pdf(data)
        if verdict.reason == "too_complex":
            return _refused(_("The file is far more complex than a minutes PDF issued by this "
                              "system; it was not checked."), 200)
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
