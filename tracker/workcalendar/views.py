"""The working calendar's pages: the years and their status, and a year as a month grid where
district officials and administrators click a day to mark it off or working."""
from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from tracker.core.i18n import gettext as _
from tracker.core.session import reads_only
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.workcalendar import operations, policy, queries
from tracker.workcalendar.calendar_file import parse_year_file
from tracker.workcalendar.forms import ConfirmYearForm, DayForm, ImportYearForm
from tracker.workcalendar.labels import EVENT_LABELS
from tracker.workcalendar.rules import BEIJING, DayKind

bp = Blueprint("workcalendar", __name__, url_prefix="/calendar")
HISTORY_SHOWN = 50


@bp.before_request
@login_required
def _require_login():
    pass


def today() -> date:
    return utcnow().astimezone(BEIJING).date()


def banner_year() -> int | None:
    """The year whose arrangement district officials and administrators are asked to enter,
    from 1 November until it is entered (base.html shows the banner); None for anyone else."""
    if not has_request_context() or not current_user.is_authenticated \
            or not policy.can_edit_calendar(current_user):
        return None
    return queries.awaited_year(today())


@bp.route("/")
@reads_only
def index():
    now = today()
    records = {record.year: record for record in queries.all_years()}
    years = sorted(set(records) | {now.year, now.year + 1}, reverse=True)
    return render_template("workcalendar/index.html", years=years, records=records,
                           today=now, can_edit=policy.can_edit_calendar(current_user))


def _year_page(year: int, confirm_form=None, import_form=None, status: int = 200):
    if not operations.FIRST_YEAR <= year <= operations.LAST_YEAR:
        abort(404)
    record = queries.year_record(year)
    can_edit = policy.can_edit_calendar(current_user)
    history = queries.year_history(year, HISTORY_SHOWN)
    if can_edit and confirm_form is None:
        confirm_form = ConfirmYearForm(
            notice_title=record.notice_title if record else "",
            notice_number=record.notice_number if record else "",
            version=record.version if record else "")
    if can_edit and import_form is None:
        import_form = ImportYearForm(version=record.version if record else "")
    return render_template("workcalendar/year.html", year=year, record=record,
                           months=queries.month_grid(year), can_edit=can_edit, history=history,
                           event_labels=EVENT_LABELS, confirm_form=confirm_form,
                           import_form=import_form, today=today()), status


@bp.route("/<int:year>")
@reads_only
def year_page(year: int):
    return _year_page(year)


def _expected_version(form) -> int:
    """The year's version the page was drawn with; 0 for a year not entered then. A value that
    is no version at all never matches, so the change is refused as outdated."""
    value = (form.version.data or "").strip()
    if not value:
        return 0
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else -1


def _save(year: int, form, form_name: str, write, done: str):
    """Run ``write`` and commit, then back to the year; refused as outdated, the year's page
    again with ``form`` as typed, carrying the year's current version so that sending it
    again, after a look, goes through."""
    try:
        write()
        db.session.commit()
    except operations.CalendarRefused as exc:
        db.session.rollback()
        flash(exc.message, "error")
        record = queries.year_record(year)
        form.version.data = str(record.version) if record else ""
        return _year_page(year, **{form_name: form}, status=409)
    flash(done, "success")
    return redirect(url_for("workcalendar.year_page", year=year))


def _editor(year: int) -> None:
    if not operations.FIRST_YEAR <= year <= operations.LAST_YEAR:
        abort(404)
    if not policy.can_edit_calendar(current_user):
        abort(403)


@bp.route("/<int:year>/day", methods=["POST"])
def toggle_day(year: int):
    """A weekday toggles between working and off, a weekend day between off and working."""
    _editor(year)
    form = DayForm()
    if not form.validate_on_submit() or form.day.data.year != year:
        flash(_("Choose a day of %(year)s on the calendar.", year=year), "error")
        return redirect(url_for("workcalendar.year_page", year=year))
    day = form.day.data
    kind = DayKind.off if queries.year_as_entered(year).is_working_day(day) else DayKind.work
    try:
        operations.set_day(current_user, day, kind,
                           expected_version=_expected_version(form))
        db.session.commit()
    except operations.CalendarRefused as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("workcalendar.year_page", year=year))
    flash(_("%(day)s is now %(kind)s.", day=day.isoformat(),
            kind=_("a day off") if kind is DayKind.off else _("a working day")), "success")
    return redirect(url_for("workcalendar.year_page", year=year) + f"#m{day.month}")


@bp.route("/<int:year>/confirm", methods=["POST"])
def confirm(year: int):
    _editor(year)
    form = ConfirmYearForm()
    if not form.validate_on_submit():
        return _year_page(year, confirm_form=form, status=400)
    return _save(year, form, "confirm_form", lambda: operations.confirm_year(
        current_user, year, notice_title=form.notice_title.data.strip(),
        notice_number=(form.notice_number.data or "").strip(),
        expected_version=_expected_version(form)),
        _("The arrangement for %(year)s is confirmed; open deadlines counted in it have "
          "been recomputed.", year=year))


@bp.route("/<int:year>/import", methods=["POST"])
def import_file(year: int):
    _editor(year)
    form = ImportYearForm()
    if not form.validate_on_submit():
        return _year_page(year, import_form=form, status=400)
    try:
        text = request.files["file"].read().decode("utf-8-sig")
    except UnicodeDecodeError:
        form.file.errors.append(_("The file is not UTF-8 text."))
        return _year_page(year, import_form=form, status=400)
    parsed = parse_year_file(text, year)
    if parsed.errors:
        form.file.errors.extend(str(error) for error in parsed.errors)
        return _year_page(year, import_form=form, status=400)
    return _save(year, form, "import_form", lambda: operations.import_year(
        current_user, year, parsed.days, notice_title=form.notice_title.data.strip(),
        notice_number=(form.notice_number.data or "").strip(),
        expected_version=_expected_version(form)),
        _("The arrangement for %(year)s is imported and confirmed; open deadlines counted in "
          "it have been recomputed.", year=year))
