"""The minutes register, its export, and bulk prints of signed minutes with their progress."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from tracker.core import spreadsheets
from tracker.core.downloads import attachment
from tracker.core.i18n import gettext as _
from tracker.core.labels import label
from tracker.core.time import to_local
from tracker.extensions import db
from tracker.meetings.models import MeetingState
from tracker.meetings.queries import MeetingPage
from tracker.printing import jobs, operations, policy, queries
from tracker.printing.forms import PrintForm, RegisterFilterForm
from tracker.printing.models import PrintFormat, PrintJob, PrintState

bp = Blueprint("printing", __name__)

MAX_ID = 2**31 - 1  # the largest id an integer column holds; a larger one names nothing
RECENT_JOBS = 5


@bp.before_request
@login_required
def _require_login():
    pass


def _zone() -> str:
    return current_app.config["DISPLAY_TIMEZONE"]


def _filter_form() -> RegisterFilterForm:
    form = RegisterFilterForm(request.args)
    form.street.choices = [("", _("All streets"))] + [
        (str(s.id), s.name) for s in queries.streets_in_scope(current_user)]
    form.community.choices = [("", _("All communities"))] + [
        (str(c.id), f"{c.name}（{c.street.name}）")
        for c in queries.communities_in_scope(current_user)]
    return form


def _chosen(form: RegisterFilterForm) -> queries.RegisterFilter | None:
    """The filter the form asks for, or None when a value is invalid (shown next to it)."""
    if not form.validate():
        return None
    return queries.RegisterFilter(
        street_id=int(form.street.data) if form.street.data else None,
        community_id=int(form.community.data) if form.community.data else None,
        month=form.month.data or "",
        state=MeetingState(form.state.data) if form.state.data else None)


def _filter_args() -> dict:
    return {k: v for k, v in request.args.items()
            if k in ("street", "community", "month", "state") and v}


def _page_number() -> int:
    # A number past any real page still must not overflow the database's OFFSET.
    return min(max(1, request.args.get("page", 1, type=int) or 1), 100_000)


def _render(filter_form, chosen, print_form, status: int = 200):
    if chosen is None:
        page = MeetingPage([], 1, False)
    else:
        page = queries.register_page(current_user, chosen, _zone(),
                                     page=_page_number(),
                                     per_page=current_app.config["MEETINGS_PER_PAGE"])
    return render_template("printing/register.html", filter_form=filter_form, page=page,
                           print_form=print_form, args=_filter_args(),
                           recent_jobs=queries.recent_jobs(current_user, RECENT_JOBS),
                           filters_valid=chosen is not None), status


@bp.route("/minutes-register/")
def register():
    form = _filter_form()
    chosen = _chosen(form)
    return _render(form, chosen, PrintForm(formdata=None), 200 if chosen else 400)


# --- export ------------------------------------------------------------------------------------

def _export_table(rows: list[queries.RegisterRow]) -> tuple[list[str], list[list]]:
    zone = _zone()

    def local(value):
        return to_local(value, zone) if value else None

    headers = [_("Meeting number"), _("Community"), _("Street"), _("Compounds"), _("Type"),
               _("Subject"), _("Date and time"), _("Place"), _("State"), _("Held at"),
               _("Signed at"), _("Signers"), _("Agenda cases"), _("PDF SHA-256")]
    table = [[r.meeting.number, r.meeting.community.name, r.meeting.community.street.name,
              "、".join(c.name for c in r.meeting.compounds), label(r.meeting.kind),
              r.meeting.title, local(r.meeting.starts_at), r.meeting.place,
              label(r.meeting.state), local(r.meeting.held_at), local(r.meeting.signed_at),
              "、".join(r.signers), "、".join(i.case.number for i in r.meeting.agenda),
              r.pdf_sha256] for r in rows]
    return headers, table


@bp.route("/minutes-register/export.<fmt>")
def export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    form = _filter_form()
    chosen = _chosen(form)
    if chosen is None:
        return _render(form, chosen, PrintForm(formdata=None), 400)
    rows = queries.register_rows(queries.register_query(current_user, chosen, _zone()))
    headers, table = _export_table(rows)
    part = chosen.month or "all"
    name = f"会议纪要登记-{chosen.month or '全部'}.{fmt}"
    fallback = f"minutes-register-{part}.{fmt}"
    data, content_type = spreadsheets.as_file(fmt, _("Minutes register"), headers, table)
    return attachment(data, content_type, name, fallback)


# --- bulk print --------------------------------------------------------------------------------

def _selection(form: PrintForm, chosen: queries.RegisterFilter | None) -> list[int]:
    ids = form.chosen_ids()
    if form.all_matching.data and chosen is not None:
        ids += queries.all_matching_signed_ids(current_user, chosen, _zone(),
                                               limit=operations.MAX_MEETINGS + 1)
    return list(dict.fromkeys(ids))


@bp.route("/minutes-register/print", methods=["POST"])
def create_job():
    filter_form = _filter_form()
    chosen = _chosen(filter_form)
    form = PrintForm()
    if not form.validate_on_submit():
        return _render(filter_form, chosen, form, 400)
    ids = _selection(form, chosen)
    try:
        operations.check_size(len(ids))  # before a query looks for each of them
        meetings = queries.printable_meetings(current_user,
                                              [i for i in ids if 0 < i <= MAX_ID])
        if len(meetings) != len(ids):
            # The same answer for "not signed", "outside your area" and "no such meeting".
            raise operations.PrintRefused(_(
                "Some of the chosen meetings (%(n)d) are not signed minutes you may print. "
                "Nothing was prepared; please choose again.", n=len(ids) - len(meetings)))
        job = operations.create_job(current_user, meetings, PrintFormat(form.format.data))
    except operations.PrintRefused as exc:
        db.session.rollback()
        form.meetings.errors = [str(exc.message)]
        return _render(filter_form, chosen, form, 400)
    db.session.commit()
    jobs.start(job)
    return redirect(url_for("printing.job", job_id=job.id))


def _own_job(job_id: int) -> PrintJob:
    """:raise NotFound: no such job, or another person's (its existence is not revealed)."""
    job = db.session.get(PrintJob, job_id)
    if job is None or not policy.can_follow_job(current_user, job):
        abort(404)
    jobs.settle_if_abandoned(job)
    return job


@bp.route("/print-jobs/<int:job_id>")
def job(job_id: int):
    return render_template("printing/job.html", job=_own_job(job_id))


@bp.route("/print-jobs/<int:job_id>/progress")
def progress(job_id: int):
    job = _own_job(job_id)
    response = {"state": job.state.value, "label": label(job.state), "done": job.done,
                "total": job.total, "finished": job.state == PrintState.finished,
                "failed": job.state == PrintState.failed}
    return response, 200, {"Cache-Control": "no-store"}


@bp.route("/print-jobs/<int:job_id>/download")
def download(job_id: int):
    job = _own_job(job_id)
    if job.state != PrintState.finished:
        flash(_("The file is not ready yet."), "error")
        return redirect(url_for("printing.job", job_id=job.id))
    data = queries.job_file(job)
    extension = job.filename.rsplit(".", 1)[-1]
    fallback = f"minutes-{job.id}-{job.total}.{extension}"
    mimetype = "application/pdf" if job.format == PrintFormat.merged_pdf else "application/zip"
    return attachment(data, mimetype, job.filename, fallback)
