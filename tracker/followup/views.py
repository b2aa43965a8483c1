"""Follow-up on the case page: adding tasks, reporting progress with photos, the return visit
(what the page shows of it: tracker.followup.case_section)."""
from flask import Blueprint, Response, abort, flash, g, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from tracker.auth import scope
from tracker.cases import queries as case_queries
from tracker.cases.workflow import TransitionRefused
from tracker.core import storage
from tracker.core.i18n import gettext as _
from tracker.extensions import db
from tracker.followup import case_section, operations
from tracker.followup.forms import ProgressForm, VisitForm
from tracker.followup.models import FollowUpTask, ProgressPhoto, Satisfaction, VisitMethod
from tracker.places.models import Party

bp = Blueprint("followup", __name__, url_prefix="/followup")


@bp.before_request
@login_required
def _require_login():
    pass


def _back(case_id: int):
    return redirect(url_for("cases.case_detail", case_id=case_id) + "#follow-up")


def _fail(message, case_id: int, status: int = 400):
    """Refused: the case page again with the message, and with what was typed still in the
    follow-up forms (they read the posted values), rather than a redirect that would lose it.
    400 for what was typed, 409 for a case or task whose state does not allow the step."""
    from tracker.cases.views import case_detail
    db.session.rollback()
    flash(message, "error")
    return case_detail(case_id), status


@bp.route("/cases/<int:case_id>/tasks", methods=["POST"])
def add_task(case_id: int):
    case = case_queries.get_visible_case(current_user, case_id)
    if not scope.is_liaison(current_user, case.compound_id):
        abort(403)
    parties = case_section.party_choices(case.compound_id)
    form = case_section.task_form(parties)
    if not form.validate_on_submit():
        return _fail("；".join(str(e) for errs in form.errors.values() for e in errs), case.id)
    # The menu offered only the compound's own parties (and 0, none): the form checked that.
    party = db.session.get(Party, form.responsible_party.data) \
        if form.responsible_party.data else None
    try:
        task = operations.create_task(
            case, current_user, description=form.description.data.strip(),
            responsible_party=party, responsible_text=(form.responsible_text.data or "").strip(),
            tier=form.tier.data or None, due_on=form.due_on.data)
        db.session.commit()
    except operations.FollowUpRefused as exc:
        return _fail(exc.message, case.id, 409)
    flash(_("The task has been added."), "success")
    notice = operations.provisional_notice(task)
    if notice:
        flash(notice, "warning")
    return _back(case.id)


def _visible_task(task_id: int) -> FollowUpTask:
    task = db.session.get(FollowUpTask, task_id)
    if task is None:
        abort(404)
    case_queries.get_visible_case(current_user, task.case_id)
    return task


@bp.route("/tasks/<int:task_id>/progress", methods=["POST"])
def report(task_id: int):
    task = _visible_task(task_id)
    if not operations.can_report(current_user, task):
        abort(403)
    form = ProgressForm()
    case_id = task.case_id  # read now: a failed flush leaves the task unreadable until rollback
    if not form.validate_on_submit():
        if g.get("storage_full"):  # the case page again, with what was typed
            return _fail(storage.STORAGE_FULL, case_id, 507)
        return _fail("；".join(str(e) for errs in form.errors.values() for e in errs), case_id)
    try:
        operations.report_progress(task, current_user, note=form.note.data.strip(),
                                   progress=form.progress.data, photos=form.cleaned_photos)
        db.session.commit()
    except operations.FollowUpRefused as exc:
        return _fail(exc.message, case_id, 409)
    except (SQLAlchemyError, OSError) as exc:
        if not storage.is_storage_full(exc):
            raise
        return _fail(storage.STORAGE_FULL, case_id, 507)
    flash(_("Progress reported."), "success")
    return _back(task.case_id)


@bp.route("/tasks/<int:task_id>/photos/<int:photo_id>")
def photo(task_id: int, photo_id: int):
    task = _visible_task(task_id)
    stored = db.session.get(ProgressPhoto, photo_id)
    if stored is None or stored.report_id not in {r.id for r in task.reports}:
        abort(404)
    return Response(stored.data, mimetype=stored.content_type,
                    headers={"X-Content-Type-Options": "nosniff",
                             "Cache-Control": "private, max-age=86400"})


@bp.route("/cases/<int:case_id>/visit", methods=["POST"])
def visit(case_id: int):
    case = case_queries.get_visible_case(current_user, case_id)
    if not scope.is_liaison(current_user, case.compound_id):
        abort(403)
    form = VisitForm()
    if not form.validate_on_submit():
        return _fail("；".join(str(e) for errs in form.errors.values() for e in errs), case.id)
    try:
        version = int(form.version.data)
    except ValueError:
        version = -1
    satisfaction = Satisfaction(form.satisfaction.data)
    try:
        operations.record_visit(case, current_user, method=VisitMethod(form.method.data),
                                satisfaction=satisfaction,
                                comment=(form.comment.data or "").strip(),
                                expected_version=version)
        db.session.commit()
    except (operations.FollowUpRefused, TransitionRefused) as exc:
        return _fail(exc.message, case.id, 409)
    if satisfaction == Satisfaction.unsatisfied:
        flash(_("The resident is not satisfied: the case stays in follow-up. Add a new task."),
              "error")
    else:
        flash(_("Return visit recorded; the case is closed."), "success")
    return _back(case.id)
