"""The oversight dashboard and its exports (officials: their street or district; liaisons: their
community; administrators: everything)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from tracker.cases.forms import CaseFilterForm
from tracker.cases.models import CaseState
from tracker.cases.queries import LIST_FLAGS, compound_choices
from tracker.core import spreadsheets
from tracker.core.downloads import attachment
from tracker.core.i18n import gettext as _
from tracker.core.labels import label
from tracker.core.session import reads_only
from tracker.core.time import to_local, utcnow
from tracker.oversight import charts, exports, policy
from tracker.oversight.cache import SharedFigures, area_key
from tracker.oversight.figures import Figures, Level, Window, compute, table
from tracker.oversight.queries import Focus, focus_of

bp = Blueprint("oversight", __name__, url_prefix="/oversight")

FORMATS = {"csv", "xlsx"}


@bp.before_request
@login_required
def _require_overseer():
    if not policy.can_oversee(current_user):
        abort(403)


def _focus() -> Focus:
    """Read ?street= / ?community=; a place outside the person's area is 404, like a case."""
    focus = focus_of(policy.oversight_compound_ids(current_user),
                     street_id=request.args.get("street", type=int),
                     community_id=request.args.get("community", type=int))
    if focus is None:
        abort(404)
    return focus


def _window() -> Window:
    return Window.ending(utcnow(), current_app.config["DISPLAY_TIMEZONE"],
                         current_app.config.get("DASHBOARD_MONTHS", 12))


_figures = SharedFigures("figures")
# Charts are keyed by the time their figures were computed: gone soon after a refresh.
_charts = SharedFigures("charts", keep_for=lambda seconds: 2 * seconds)


@bp.route("/")
@reads_only
def dashboard():
    focus = _focus()
    window = _window()

    def figures():
        return (compute(focus.area, window).get(None, Figures()),
                table(focus.area, window, focus.level))

    key = repr((area_key(focus.area), focus.level.name, window.months, window.zone))
    (totals, rows), computed_at = _figures.get(
        key, current_app.config["DASHBOARD_CACHE_SECONDS"], figures,
        app=current_app._get_current_object())
    # Drawing the three charts costs more than the rest of the page: cached with the figures.
    graphs = _charts.get(repr((key, computed_at.isoformat(), str(get_locale()))),
                         current_app.config["DASHBOARD_CACHE_SECONDS"],
                         lambda: _draw(totals, list(window.months)))[0]
    graphs = {name: charts.with_nonce(chart) for name, chart in graphs.items()}
    return render_template("oversight/dashboard.html", focus=focus, totals=totals, rows=rows,
                           graphs=graphs, window=window, computed_at=computed_at,
                           drill=_drill_links,
                           case_args=_case_args)


def _draw(totals: Figures, months: list[str]) -> dict:
    state_counts = [(label(state), totals.open_by_state.get(state, 0))
                    for state in (CaseState.raised, CaseState.meeting, CaseState.resolution,
                                  CaseState.follow_up)]
    return {
        "states": charts.by_state(_("Open cases by state"), state_counts),
        "cases": charts.monthly(_("Cases opened and closed per month"), months,
                                {_("Cases opened"): totals.opened,
                                 _("Cases closed"): totals.closed}),
        "meetings": charts.monthly(_("Meetings held and minutes signed per month"), months,
                                   {_("Meetings held"): totals.held,
                                    _("Minutes signed"): totals.signed}),
    }


def _drill_links(focus: Focus, row) -> str | None:
    """Where a row's name leads: one level down, or (for a compound) to its cases."""
    if row.level == Level.street:
        return url_for("oversight.dashboard", street=row.id)
    if row.level == Level.community:
        return url_for("oversight.dashboard", community=row.id)
    return None


def _case_args(row, **extra) -> dict:
    key = {Level.street: "street", Level.community: "community", Level.compound: "compound"}
    return {key[row.level]: row.id, **extra}


def _send(data: bytes, content_type: str, stem: str, ascii_stem: str, fmt: str):
    """The file named ``stem``, in the reader's language, and the time it was made."""
    stamp = to_local(utcnow(), current_app.config["DISPLAY_TIMEZONE"]).strftime("%Y%m%d-%H%M")
    return attachment(data, content_type, f"{stem}-{stamp}.{fmt}", f"{ascii_stem}-{stamp}.{fmt}")


@bp.route("/table.<fmt>")
def table_export(fmt: str):
    """The dashboard's table as a spreadsheet: the same rows and figures as on the page."""
    if fmt not in FORMATS:
        abort(404)
    focus = _focus()
    rows = table(focus.area, _window(), focus.level)
    head = [_("Name"), _("Open cases"), _("Cases opened"), _("Cases closed"),
            _("Median days to close"), _("Open follow-up tasks"), _("Overdue"),
            _("Return visits"), _("Satisfied"), _("Meetings held"), _("Minutes signed")]
    body = ([r.name, r.figures.open_cases, r.figures.total("opened"), r.figures.total("closed"),
             round(r.figures.median_days, 1) if r.figures.median_days is not None else "",
             r.figures.open_tasks, r.figures.overdue_tasks, r.figures.visits,
             r.figures.satisfied_visits, r.figures.total("held"), r.figures.total("signed")]
            for r in rows)
    data, content_type = spreadsheets.as_file(fmt, _("Oversight"), head, body)
    return _send(data, content_type, _("oversight"), "oversight", fmt)


@bp.route("/cases.<fmt>")
def case_export(fmt: str):
    """The case list with its current filters, as a spreadsheet."""
    if fmt not in FORMATS:
        abort(404)
    form = CaseFilterForm(request.args)
    compounds, _complete = compound_choices(current_user, request.args.get("compound"))
    form.compound.choices = [("", "")] + compounds
    form.flag.choices = [("", "")] + [(name, name) for name in LIST_FLAGS]
    if not form.validate():
        abort(400)
    data, content_type = spreadsheets.as_file(fmt, _("Cases"), exports.headers(),
                                              exports.rows(current_user, form.filters()))
    return _send(data, content_type, _("cases"), "cases", fmt)

