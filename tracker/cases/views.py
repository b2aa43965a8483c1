"""Case pages. Thin: parse → check → call the operation → commit once → redirect."""
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from tracker.auth import scope
from tracker.cases import operations, policy, queries
from tracker.cases.forms import (
    AddPhotosForm,
    CaseFilterForm,
    EditCaseForm,
    RaiseCaseForm,
    ReasonForm,
)
from tracker.cases.models import CaseCategory, CasePhoto, CaseState
from tracker.cases.shown import ShownCase, shown_case
from tracker.cases.workflow import (
    Action,
    CaseChanged,
    NotPermitted,
    TransitionRefused,
    available_actions,
    transition,
)
from tracker.core import storage
from tracker.core.i18n import gettext as _
from tracker.core.labels import label
from tracker.core.session import reads_only
from tracker.extensions import db
from tracker.places.models import Community, Compound, Street

bp = Blueprint("cases", __name__, url_prefix="/cases")

# Actions taken from the case page with a reason form; the others belong to meetings, votes
# and follow-up and have their own pages.
REASON_ACTIONS = {Action.withdraw, Action.reopen}


@bp.before_request
@login_required
def _require_login():
    pass


def _version(form_field) -> int:
    try:
        return int(form_field.data)
    except (TypeError, ValueError):
        return -1  # a forged or missing version can only be stale


@bp.route("/")
@reads_only
def case_list():
    # The person itself, not the proxy: the queries below ask it a dozen questions, and each
    # through ``current_user`` is a context lookup.
    person = current_user._get_current_object()
    compounds, all_compounds = queries.compound_choices(person, request.args.get("compound"))
    form = _filter_form(request.args, compounds)
    if not form.validate():
        # Unknown filter values (an edited URL) show the unfiltered list rather than an error.
        form = _filter_form(None, compounds)
    page = queries.filtered_cases(
        person, form.filters(), sort=form.sort.data or "newest", page=form.page.data or 1,
        per_page=current_app.config["CASES_PER_PAGE"], after=request.args.get("after"),
        before=request.args.get("before"))
    args = {k: v for k, v in request.args.items() if k not in ("page", "after", "before") and v}
    return render_template("cases/list.html", form=form, page=page, args=args,
                           area=_area_named(form.street.data, form.community.data),
                           offer_compounds=all_compounds or bool(form.compound.data),
                           can_raise=scope.roles(person).may_raise,
                           category_labels={c.name: label(c) for c in CaseCategory},
                           state_labels={s.name: label(s) for s in CaseState})


def _filter_form(formdata, compounds: list[tuple[str, str]]) -> CaseFilterForm:
    """The list's filters read from ``formdata`` (the URL's arguments), offering ``compounds``
    (those the person may filter by)."""
    form = CaseFilterForm(formdata)
    form.compound.choices = [("", _("All compounds"))] + compounds
    form.flag.choices = [("", _("All cases"))] + [
        (name, shown) for name, (shown, _narrow) in queries.LIST_FLAGS.items()]
    return form


def _area_named(street_id: int | None, community_id: int | None) -> str:
    """The street or community a drill-down link narrowed the list to, for the page to say so
    (only if the person sees some compound there: a name is not revealed by editing the URL)."""
    if not (street_id or community_id):
        return ""
    visible = scope.visible_compound_ids(current_user)
    if community_id:
        return db.session.scalar(
            select(Community.name).join(Compound, Compound.community_id == Community.id)
            .where(Community.id == community_id, Compound.id.in_(visible)).limit(1)) or ""
    if street_id:
        return db.session.scalar(
            select(Street.name).join(Community, Community.street_id == Street.id)
            .join(Compound, Compound.community_id == Community.id)
            .where(Street.id == street_id, Compound.id.in_(visible)).limit(1)) or ""
    return ""


@bp.route("/new", methods=["GET", "POST"])
def raise_case():
    compounds = scope.raisable_compounds(current_user)
    if not compounds:
        abort(403)
    form = RaiseCaseForm()
    form.compound.choices = [(str(c.id), f"{c.name}（{c.community.name}）") for c in compounds]
    if request.method == "GET" and len(compounds) == 1:
        form.compound.data = str(compounds[0].id)
    if form.validate_on_submit():
        compound = next(c for c in compounds if str(c.id) == form.compound.data)
        try:
            case = operations.raise_case(current_user, compound, photos=form.cleaned_photos,
                                         display_zone=current_app.config["DISPLAY_TIMEZONE"],
                                         **form.values())
            db.session.commit()
        except (SQLAlchemyError, OSError) as exc:
            if not storage.is_storage_full(exc):
                raise
            storage.refuse_upload(form.photos)
            return render_template("cases/raise.html", form=form), 507
        flash(_("Case %(number)s has been raised.", number=case.number), "success")
        return redirect(url_for("cases.case_detail", case_id=case.id))
    return render_template("cases/raise.html", form=form)


@bp.route("/<int:case_id>")
@reads_only
def case_detail(case_id: int):
    person = current_user._get_current_object()  # not the proxy: see case_list
    case = shown_case(person, case_id)
    actions = [a for a in available_actions(case, person) if a in REASON_ACTIONS]
    return _case_page(case, actions, lambda: AddPhotosForm(version=case.version))


def _case_page(case: ShownCase, actions: list, make_photo_form):
    """The case page; ``make_photo_form()`` makes its form for adding photos, if the person
    may add them (empty, or after a refused upload with its errors)."""
    person = current_user._get_current_object()
    photos = policy.can_add_photos(person, case)
    return render_template(
        "cases/detail.html", case=case, events=queries.timeline_shown(case), actions=actions,
        can_edit=policy.can_edit_case(person, case), can_add_photos=photos,
        photo_form=make_photo_form() if photos else None)


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
def edit_case(case_id: int):
    case = queries.get_visible_case(current_user, case_id)
    if not policy.can_edit_case(current_user, case):
        abort(403)
    form = EditCaseForm(obj=case if request.method == "GET" else None)
    if request.method == "GET":
        form.category.data = case.category.value
        form.source.data = case.source.value
    if form.validate_on_submit():
        try:
            changed = operations.edit_case(case, current_user,
                                           expected_version=_version(form.version),
                                           **form.values())
            db.session.commit()
        except CaseChanged as exc:
            db.session.rollback()
            flash(exc.message, "error")
            # The page asks to look at the current case and save again: the next save is
            # compared with the version just read, not the one that was already outdated.
            form.version.data = str(case.version)
            return render_template("cases/edit.html", form=form, case=case, stale=True), 409
        flash(_("The case has been updated.") if changed else _("Nothing was changed."),
              "success")
        return redirect(url_for("cases.case_detail", case_id=case.id))
    return render_template("cases/edit.html", form=form, case=case)


@bp.route("/<int:case_id>/actions/<action>", methods=["GET", "POST"])
def case_action(case_id: int, action: str):
    """Confirm and carry out a state change that needs a reason (withdraw, reopen)."""
    case = queries.get_visible_case(current_user, case_id)
    try:
        chosen = Action(action)
    except ValueError:
        abort(404)
    if chosen not in REASON_ACTIONS:
        abort(404)
    if chosen not in available_actions(case, current_user):
        abort(403)
    form = ReasonForm(version=case.version)
    if form.validate_on_submit():
        try:
            transition(case, chosen, current_user, expected_version=_version(form.version),
                       reason=form.reason.data)
            db.session.commit()
        except NotPermitted:
            db.session.rollback()
            abort(403)
        except TransitionRefused as exc:
            db.session.rollback()
            flash(exc.message, "error")
            status = 409 if isinstance(exc, CaseChanged) else 400
            return render_template("cases/action.html", form=form, case=case,
                                   action=chosen), status
        flash(_("Done: %(action)s.", action=label(chosen)), "success")
        return redirect(url_for("cases.case_detail", case_id=case.id))
    return render_template("cases/action.html", form=form, case=case, action=chosen)


@bp.route("/<int:case_id>/photos", methods=["POST"])
def add_photos(case_id: int):
    case = queries.get_visible_case(current_user, case_id)
    if not policy.can_add_photos(current_user, case):
        abort(403)
    form = AddPhotosForm()
    if form.validate_on_submit():
        try:
            operations.add_photos(case, current_user, form.cleaned_photos)
            db.session.commit()
        except (SQLAlchemyError, OSError) as exc:
            if not storage.is_storage_full(exc):
                raise
            storage.refuse_upload(form.photos)
        else:
            flash(_("The photos have been added."), "success")
            return redirect(url_for("cases.case_detail", case_id=case.id))
    for error in form.photos.errors:
        flash(error, "error")
    return _case_page(ShownCase.of(case), [], lambda: form), 400


@bp.route("/<int:case_id>/photos/<int:photo_id>")
def photo(case_id: int, photo_id: int):
    case = queries.get_visible_case(current_user, case_id)
    stored = db.session.get(CasePhoto, photo_id)
    if stored is None or stored.case_id != case.id:
        abort(404)
    response = Response(stored.data, mimetype=stored.content_type)
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
