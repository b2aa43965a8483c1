"""Meeting pages: planning, agenda, roll call, holding and cancelling."""
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.auth.models import User
from tracker.cases.workflow import TransitionRefused
from tracker.core.i18n import gettext as _
from tracker.core.production import public_address_problem
from tracker.core.labels import choices
from tracker.core.session import reads_only
from tracker.core.templating import localtime
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.meetings import minutes as minutes_content
from tracker.meetings import operations, policy, queries
from tracker.meetings.forms import (
    AgendaAddForm,
    DisposalForm,
    GuestForm,
    MeetingForm,
    ReasonForm,
    RetimeForm,
    RollCallForm,
)
from tracker.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ItemDisposal,
    MeetingKind,
)
from tracker.meetings.quorum import joint_quorum

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


@bp.before_request
@login_required
def _require_login():
    pass


def _managed(meeting_id: int):
    meeting = queries.get_visible_meeting(current_user, meeting_id)
    if not policy.can_manage_meeting(current_user, meeting):
        abort(403)
    return meeting


def _refused(exc, meeting_id: int):
    db.session.rollback()
    flash(exc.message, "error")
    return redirect(url_for("meetings.meeting_detail", meeting_id=meeting_id))


@bp.route("/")
@reads_only
def meeting_list():
    state = request.args.get("state", "")
    if state not in {"", "planned", "held", "signed", "cancelled"}:
        state = ""
    page = queries.meeting_page(current_user, state=state,
                                page=request.args.get("page", 1, type=int) or 1,
                                per_page=current_app.config["MEETINGS_PER_PAGE"])
    return render_template("meetings/list.html", page=page, state=state,
                           can_convene=bool(policy.convenable_compounds(current_user)))


def _people_choices(compounds) -> list[tuple[int, str]]:
    return [(u.id, u.name) for u in policy.chair_candidates(current_user, compounds)]


@bp.route("/new", methods=["GET", "POST"])
def new_meeting():
    compounds = policy.convenable_compounds(current_user)
    if not compounds:
        abort(403)
    form = MeetingForm()
    form.community_of = {c.id: c.community_id for c in compounds}
    form.compounds.choices = [(c.id, f"{c.name}（{c.community.name}）") for c in compounds]
    people = _people_choices(compounds)
    form.chair.choices = people
    form.recorder.choices = people
    if request.method == "GET":
        form.chair.data = form.recorder.data = current_user.id
        if len(compounds) == 1:
            form.compounds.data = [compounds[0].id]
    if form.validate_on_submit():
        chosen = [c for c in compounds if c.id in form.compounds.data]
        zone = ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])
        starts_at = form.starts_at.data.replace(tzinfo=zone)
        meeting = operations.create_meeting(
            current_user, chosen[0].community, chosen, kind=MeetingKind(form.kind.data),
            title=form.title.data.strip(), starts_at=starts_at, place=form.place.data.strip(),
            convener=current_user, chair=db.session.get(User, form.chair.data),
            recorder=db.session.get(User, form.recorder.data), year=starts_at.year)
        db.session.commit()
        flash(_("Meeting %(number)s has been planned.", number=meeting.number), "success")
        return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))
    return render_template("meetings/new.html", form=form)


@bp.route("/<int:meeting_id>")
@reads_only
def meeting_detail(meeting_id: int):
    meeting = queries.get_visible_meeting(current_user, meeting_id,
                                          options=queries.FOR_THE_PAGE)
    manage = policy.can_manage_meeting(current_user, meeting)
    agenda_form = None
    if manage and meeting.state.value == "planned":
        agenda_form = AgendaAddForm()
        agenda_form.case_id.choices = [
            (c.id, f"{'【' + _('carried over') + '】' if c.carried_over else ''}"
                   f"{c.number} {c.title}") for c in queries.agenda_candidates(meeting)]
    revision = minutes_content.current_revision(meeting)
    return render_template(
        "meetings/detail.html", meeting=meeting, manage=manage, agenda_form=agenda_form,
        quorum=joint_quorum(meeting), revision=revision,
        content=minutes_content.content_of(meeting, revision),
        signatures=queries.valid_signatures(meeting),
        can_edit_minutes=policy.can_edit_minutes(current_user, meeting),
        my_signer=policy.required_signer_for(current_user, meeting),
        document=queries.meeting_document(meeting), started=utcnow() >= meeting.starts_at,
        unreachable_address=manage and meeting.state.value in ("held", "signed")
        and public_address_problem(current_app.config) is not None)


@bp.route("/<int:meeting_id>/agenda", methods=["POST"])
def agenda_add(meeting_id: int):
    meeting = _managed(meeting_id)
    form = AgendaAddForm()
    case = queries.agenda_candidate(meeting, request.form.get("case_id", type=int))
    form.case_id.choices = [(case.id, case.number)] if case else []
    if not form.validate_on_submit():
        flash(_("Please choose a case from the list."), "error")
        return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))
    try:
        operations.add_to_agenda(meeting, case, current_user, expected_version=case.version)
        db.session.commit()
    except (TransitionRefused, operations.MeetingRefused) as exc:
        return _refused(exc, meeting.id)
    flash(_("%(number)s is on the agenda.", number=case.number), "success")
    return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))


def _agenda_item(meeting, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        abort(404)
    return item


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/move", methods=["POST"])
def agenda_move(meeting_id: int, item_id: int):
    meeting = _managed(meeting_id)
    item = _agenda_item(meeting, item_id)
    step = -1 if request.form.get("direction") == "up" else 1
    try:
        operations.move_agenda_item(meeting, item, current_user, step)
        db.session.commit()
    except operations.MeetingRefused as exc:
        return _refused(exc, meeting.id)
    return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id) + "#agenda")


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/remove", methods=["GET", "POST"])
def agenda_remove(meeting_id: int, item_id: int):
    meeting = _managed(meeting_id)
    item = _agenda_item(meeting, item_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            operations.remove_from_agenda(meeting, item, current_user, form.reason.data.strip())
            db.session.commit()
        except (TransitionRefused, operations.MeetingRefused) as exc:
            return _refused(exc, meeting.id)
        flash(_("The case was taken off the agenda."), "success")
        return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))
    return render_template("meetings/reason.html", form=form, meeting=meeting,
                           heading=_("Take %(number)s off the agenda", number=item.case.number),
                           danger=True)


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/outcome", methods=["GET", "POST"])
def item_disposal(meeting_id: int, item_id: int):
    """Record that the held meeting deferred an item, or found no decision needed."""
    meeting = _managed(meeting_id)
    item = _agenda_item(meeting, item_id)
    form = DisposalForm()
    status = 200
    if form.validate_on_submit():
        try:
            operations.dispose_item(meeting, item, current_user, ItemDisposal(form.disposal.data),
                                    form.note.data or "")
            db.session.commit()
        except operations.MeetingRefused as exc:
            db.session.rollback()
            form.disposal.errors = [exc.message]  # next to the choice; the note stays as typed
            status = 409
        else:
            flash(_("The item's outcome is recorded in the minutes."), "success")
            return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id) + "#agenda")
    elif request.method == "POST":
        status = 400
    return render_template("meetings/disposal.html", form=form, meeting=meeting,
                           item=item), status


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/outcome/withdraw", methods=["POST"])
def item_disposal_withdraw(meeting_id: int, item_id: int):
    meeting = _managed(meeting_id)
    item = _agenda_item(meeting, item_id)
    try:
        operations.withdraw_disposal(meeting, item, current_user)
        db.session.commit()
    except operations.MeetingRefused as exc:
        return _refused(exc, meeting.id)
    flash(_("The record was withdrawn: the item has no outcome yet."), "success")
    return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id) + "#agenda")


@bp.route("/<int:meeting_id>/attendance", methods=["GET", "POST"])
def attendance(meeting_id: int):
    meeting = _managed(meeting_id)
    people = queries.expected_people(meeting)
    guest_form = GuestForm(prefix="guest")
    roll_call = RollCallForm(prefix="roll")
    if request.method == "POST" and "roll-submit" in request.form and roll_call.validate():
        statuses = {}
        valid = {s.value for s in AttendanceStatus}
        for party, membership in people:
            value = request.form.get(f"status-{membership.user_id}", "")
            statuses[membership.user_id] = (party.id,
                                            AttendanceStatus(value) if value in valid else None)
        try:
            operations.record_attendance(meeting, current_user, statuses)
            db.session.commit()
        except operations.MeetingRefused as exc:
            return _refused(exc, meeting.id)
        flash(_("The roll call has been saved."), "success")
        return redirect(url_for("meetings.attendance", meeting_id=meeting.id))
    if request.method == "POST" and guest_form.validate_on_submit():
        try:
            operations.add_guest(meeting, current_user, guest_form.name.data.strip(),
                                 (guest_form.unit.data or "").strip(),
                                 AttendanceStatus(guest_form.status.data))
            db.session.commit()
        except operations.MeetingRefused as exc:
            return _refused(exc, meeting.id)
        flash(_("The guest has been added."), "success")
        return redirect(url_for("meetings.attendance", meeting_id=meeting.id))
    lines = {a.user_id: a for a in meeting.attendance if a.user_id}
    guests = [a for a in meeting.attendance if not a.user_id]
    return render_template("meetings/attendance.html", meeting=meeting, people=people,
                           roll_call=roll_call,
                           lines=lines, guests=guests, guest_form=guest_form,
                           statuses=choices(AttendanceStatus), quorum=joint_quorum(meeting),
                           has_signatures=bool(queries.valid_signatures(meeting)))


@bp.route("/<int:meeting_id>/attendance/guests/<int:line_id>/remove", methods=["POST"])
def guest_remove(meeting_id: int, line_id: int):
    meeting = _managed(meeting_id)
    line = db.session.get(Attendance, line_id)
    if line is None or line.meeting_id != meeting.id or line.user_id is not None:
        abort(404)
    try:
        operations.remove_guest(meeting, current_user, line)
        db.session.commit()
    except operations.MeetingRefused as exc:
        return _refused(exc, meeting.id)
    return redirect(url_for("meetings.attendance", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/held", methods=["POST"])
def mark_held(meeting_id: int):
    meeting = _managed(meeting_id)
    try:
        operations.mark_held(meeting, current_user)
        db.session.commit()
    except operations.MeetingRefused as exc:
        return _refused(exc, meeting.id)
    flash(_("The meeting is marked as held. Write the minutes next."), "success")
    return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/time", methods=["GET", "POST"])
def retime(meeting_id: int):
    """A planned meeting's time changed: moved, or set to when it really began."""
    meeting = _managed(meeting_id)
    zone = ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])
    form = RetimeForm()
    if request.method == "GET":
        form.starts_at.data = meeting.starts_at.astimezone(zone).replace(tzinfo=None)
    status = 200
    if form.validate_on_submit():
        try:
            operations.retime_meeting(meeting, current_user,
                                      form.starts_at.data.replace(tzinfo=zone))
            db.session.commit()
        except operations.MeetingRefused as exc:
            db.session.rollback()
            form.starts_at.errors = [exc.message]  # shown next to the time, as typed
            status = 409
        else:
            flash(_("The meeting's time is now %(start)s.", start=localtime(meeting.starts_at)),
                  "success")
            return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))
    return render_template("meetings/retime.html", form=form, meeting=meeting), status


@bp.route("/<int:meeting_id>/cancel", methods=["GET", "POST"])
def cancel(meeting_id: int):
    meeting = _managed(meeting_id)
    form = ReasonForm()
    status = 200
    if form.validate_on_submit():
        try:
            operations.cancel_meeting(meeting, current_user, form.reason.data.strip())
            db.session.commit()
        except (TransitionRefused, operations.MeetingRefused) as exc:
            # Shown next to the reason, which stays as typed (a redirect would lose it).
            db.session.rollback()
            form.reason.errors = [exc.message]
            status = 409
        else:
            flash(_("The meeting was cancelled; its cases are offered for the next meeting."),
                  "success")
            return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))
    return render_template("meetings/reason.html", form=form, meeting=meeting,
                           heading=_("Cancel meeting %(number)s", number=meeting.number),
                           danger=True), status

