"""Minutes pages: editing with revisions, history, signers, signing, the PDF and print view."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from tracker.core.i18n import gettext as _
from tracker.core.images import ImageRejected
from tracker.core.session import reads_only
from tracker.extensions import db, limiter
from tracker.meetings import issuing, operations, policy, queries
from tracker.meetings import minutes as minutes_content
from tracker.meetings.drawing import (
    NotPng,
    decode_drawing,
    drawing_content_type,
    not_png_message,
)
from tracker.meetings.forms import TEXT_MAX, MinutesForm, SignersForm, SignForm
from tracker.meetings.models import MinutesRevision, Signature
from tracker.meetings.queries import expected_people
from tracker.meetings.views import bp

PARTY_VIEW_KINDS = ("residents_committee", "owners_committee", "management_committee",
                    "property_company")


def _content_from_form(meeting) -> tuple[dict, list[str]]:
    """Read item fields named item-<case id>-<field>; return content and over-long field names."""
    content = {"items": {}, "other_business": request.form.get("other_business", "").strip()}
    too_long = []
    for item in meeting.agenda:
        key = str(item.case_id)
        entry = minutes_content.blank_item()
        for field in minutes_content.ITEM_FIELDS:
            entry[field] = request.form.get(f"item-{key}-{field}", "").strip()
        for kind in PARTY_VIEW_KINDS:
            view = request.form.get(f"item-{key}-view-{kind}", "").strip()
            if view:
                entry["views"][kind] = view
        for name, value in [(f, entry[f]) for f in minutes_content.ITEM_FIELDS] + \
                list(entry["views"].items()):
            if len(value) > TEXT_MAX:
                too_long.append(f"{item.case.number} {name}")
        content["items"][key] = entry
    return content, too_long


@bp.route("/<int:meeting_id>/minutes", methods=["GET", "POST"])
def minutes_edit(meeting_id: int):
    meeting = queries.get_visible_meeting(current_user, meeting_id)
    if not policy.can_edit_minutes(current_user, meeting):
        abort(403)
    current = minutes_content.current_revision(meeting)
    has_signatures = bool(queries.valid_signatures(meeting))
    form = MinutesForm()
    conflict = None
    status = 200
    content = minutes_content.content_of(meeting, current)
    if request.method == "GET":
        form.base_revision.data = str(current.number if current else 0)
        form.other_business.data = content["other_business"]
    elif form.validate_on_submit():
        content, too_long = _content_from_form(meeting)
        try:
            base = int(form.base_revision.data)
        except ValueError:
            base = -1
        if too_long:
            flash(_("These texts are longer than %(n)d characters: %(fields)s",
                    n=TEXT_MAX, fields="、".join(too_long)), "error")
            status = 400
        elif has_signatures and not form.confirm_clear.data:
            form.confirm_clear.errors = [_("Saving now clears the signatures already given. "
                                           "Tick the box to confirm.")]
            status = 400
        else:
            try:
                revision = operations.save_minutes(meeting, current_user, base_revision=base,
                                                   content=content)
                db.session.commit()
            except operations.MeetingChanged as exc:
                # Something else of the meeting changed at the same moment: nothing was saved,
                # the text stays in the form, and the current revision is shown beside it.
                db.session.rollback()
                flash(exc.message, "error")
                current = minutes_content.current_revision(meeting)
                if current is not None:
                    conflict = minutes_content.content_of(meeting, current)
                form.base_revision.data = str(current.number if current else 0)
                status = 409
            except operations.MinutesConflict as exc:
                db.session.rollback()
                current = exc.current
                conflict = minutes_content.content_of(meeting, current)
                form.base_revision.data = str(current.number)
                status = 409
            else:
                flash(_("Minutes saved as revision %(n)d.", n=revision.number), "success")
                return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))
    else:
        status = 400
        content, _too_long = _content_from_form(meeting)
    return render_template("meetings/minutes_edit.html", meeting=meeting, form=form,
                           content=content, conflict=conflict, current=current,
                           has_signatures=has_signatures, view_kinds=PARTY_VIEW_KINDS), status


@bp.route("/<int:meeting_id>/minutes/history")
def minutes_history(meeting_id: int):
    meeting = queries.get_visible_meeting(current_user, meeting_id)
    revisions = list(db.session.scalars(
        db.select(MinutesRevision).where(MinutesRevision.meeting_id == meeting.id)
        .options(db.joinedload(MinutesRevision.author))
        .order_by(MinutesRevision.number.desc())))
    return render_template("meetings/minutes_history.html", meeting=meeting,
                           revisions=revisions)


def _signer_choice(raw: str) -> int | None:
    """A signer select's value: None for nobody, else the id it names (-1 names nobody who
    could be chosen, so that anything typed into the request is refused as no member)."""
    if not raw:
        return None
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else -1


@bp.route("/<int:meeting_id>/signers", methods=["GET", "POST"])
def signers(meeting_id: int):
    meeting = queries.get_visible_meeting(current_user, meeting_id)
    if not policy.can_manage_meeting(current_user, meeting):
        abort(403)
    if meeting.state.value != "held":
        flash(_("Signers are chosen after the meeting is held and before the minutes lock."),
              "error")
        return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))
    parties = {}
    for party, membership in expected_people(meeting):
        parties.setdefault(party, []).append(membership.user)
    chosen = {r.party_id: r.user_id for r in meeting.required_signers}
    problems, status = {}, 200
    form = SignersForm()
    if form.validate_on_submit():
        choices = {party: _signer_choice(request.form.get(f"signer-{party.id}", ""))
                   for party in parties}
        chosen = {party.id: user_id for party, user_id in choices.items()}
        try:
            operations.choose_signers(meeting, current_user, choices)
            db.session.commit()
        except operations.SignersRefused as exc:
            # Shown next to each select, which keeps what was chosen; nothing is saved.
            db.session.rollback()
            flash(exc.message, "error")
            problems, status = exc.problems, 400
        except operations.MeetingRefused as exc:
            db.session.rollback()
            flash(exc.message, "error")
            status = 409
        else:
            flash(_("The required signers have been saved."), "success")
            return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))
    elif request.method == "POST":
        status = 400
    return render_template("meetings/signers.html", meeting=meeting, parties=parties,
                           chosen=chosen, present=queries.present_party_ids(meeting),
                           problems=problems, form=form), status


@bp.route("/<int:meeting_id>/sign", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"],
               key_func=lambda: f"sign:{getattr(current_user, 'id', None)}")
def sign(meeting_id: int):
    meeting = queries.get_visible_meeting(current_user, meeting_id)
    required = policy.required_signer_for(current_user, meeting)
    if required is None or meeting.state.value != "held":
        abort(403)
    form = SignForm()
    status = 200
    if form.validate_on_submit():
        try:
            drawing = decode_drawing(form.drawing.data or "")
        except NotPng as exc:
            form.drawing.errors = [not_png_message(exc)]
            drawing, status = None, 400
        except ImageRejected:
            form.drawing.errors = [_("The drawn signature could not be read; "
                                     "please draw it again.")]
            drawing, status = None, 400
        if status == 200:
            try:
                locked = operations.sign_and_issue(
                    meeting, current_user, password=form.password.data,
                    client_address=request.remote_addr or "", drawing_png=drawing,
                    expected_sha256=form.content_sha256.data)
                db.session.commit()
            except operations.MeetingRefused as exc:
                db.session.rollback()
                form.password.errors = [exc.message]
                status = 400
            else:
                flash(_("Signed. All signatures are in: the minutes are locked and the PDF "
                        "has been issued.") if locked else _("Signed."), "success")
                return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))
    context = issuing.minutes_context(meeting, for_pdf=False)
    form.content_sha256.data = context["content_sha256"]
    return render_template("meetings/sign.html", form=form, required=required,
                           document=issuing.document_html(context), **context), status


@bp.route("/<int:meeting_id>/signatures/<int:signature_id>.png")
def signature_drawing(meeting_id: int, signature_id: int):
    meeting = queries.get_visible_meeting(current_user, meeting_id)
    signature = db.session.get(Signature, signature_id)
    if signature is None or signature.meeting_id != meeting.id or not signature.drawing_png:
        abort(404)
    # Served as what the bytes are (a drawing stored before only PNGs were taken may be a JPEG).
    mimetype = drawing_content_type(signature.drawing_png)
    if mimetype is None:
        abort(404)
    return Response(signature.drawing_png, mimetype=mimetype,
                    headers={"X-Content-Type-Options": "nosniff"})


@bp.route("/<int:meeting_id>/minutes.pdf")
@reads_only
def minutes_pdf(meeting_id: int):
    """Serve the stored, signed bytes; nothing is rendered on download."""
    issued = queries.issued_minutes(current_user, meeting_id)
    if issued is None:  # 404 whether the meeting is out of sight, missing or not yet signed
        abort(404)
    if issued.sha256 in request.if_none_match:
        # A browser opening the same minutes again: "304 Not Modified", no bytes needed.
        response = Response(status=304)
        response.set_etag(issued.sha256)
        return response
    pdf = queries.issued_pdf_bytes(meeting_id, issued.sha256)
    if pdf is None:  # re-issued between the two reads: the next request finds the new one
        abort(404)
    response = Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{issued.file_name}"',
        "X-Content-Type-Options": "nosniff"})
    response.set_etag(issued.sha256)
    return response


@bp.route("/<int:meeting_id>/print")
def minutes_print(meeting_id: int):
    """The same minutes as a print-friendly page (for reading, or printing unsigned drafts)."""
    meeting = queries.get_visible_meeting(current_user, meeting_id)
    context = issuing.minutes_context(meeting, for_pdf=False)
    return render_template("meetings/minutes_print.html", document=issuing.document_html(context),
                           **context)

