"""What belongs to one compound: its units (the property register) and its parties."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from tracker.admin import operations, queries
from tracker.admin.crud import conflict, form_page, record_form, search_args
from tracker.admin.place_forms import ImportUnitsForm, PartyForm, UnitForm
from tracker.admin.views import bp
from tracker.core.i18n import gettext as _
from tracker.extensions import db
from tracker.places.importing import UnitImportError
from tracker.places.models import Compound, Party, Unit


@bp.route("/compounds/<int:compound_id>/units/")
def units(compound_id: int):
    compound = db.get_or_404(Compound, compound_id)
    page = queries.units_page(compound, search_args())
    return render_template("admin/units.html", compound=compound, page=page)


@bp.route("/compounds/<int:compound_id>/units/new", methods=["GET", "POST"])
def unit_new(compound_id: int):
    compound = db.get_or_404(Compound, compound_id)
    # The id, not the relationship: assigning ``compound`` would put the half-filled unit into
    # the session, and the form's duplicate check would flush it.
    record = Unit(compound_id=compound.id)
    return form_page(record_form(UnitForm, record), record, "unit",
                     title=_("New unit in %(compound)s", compound=compound.name),
                     back=url_for(".units", compound_id=compound.id))


@bp.route("/units/<int:object_id>/edit", methods=["GET", "POST"])
def unit_edit(object_id: int):
    record = db.get_or_404(Unit, object_id)
    return form_page(record_form(UnitForm, record), record, "unit",
                     title=_("Edit unit %(building)s-%(number)s", building=record.building,
                             number=record.number),
                     back=url_for(".units", compound_id=record.compound_id))


@bp.route("/compounds/<int:compound_id>/units/import", methods=["GET", "POST"])
def units_import(compound_id: int):
    """Import units from a CSV export of the property register, all or nothing."""
    compound = db.get_or_404(Compound, compound_id)
    form = ImportUnitsForm()
    if form.validate_on_submit():
        try:
            count = operations.import_register(current_user, compound, form.csv_file.data)
            db.session.commit()
        except UnitImportError as exc:
            db.session.rollback()
            form.csv_file.errors.extend(_("Line %(line)d: %(problem)s", line=line, problem=text)
                                        for line, text in exc.errors)
        except IntegrityError:  # the same units imported by someone else at the same moment
            conflict(form)
        else:
            flash(_("%(n)d units imported.", n=count), "success")
            return redirect(url_for(".units", compound_id=compound.id))
    return render_template("admin/import_units.html", form=form, compound=compound)


@bp.route("/compounds/<int:compound_id>/parties/")
def parties(compound_id: int):
    compound = db.get_or_404(Compound, compound_id)
    return render_template("admin/parties.html", compound=compound,
                           items=queries.parties_of(compound))


@bp.route("/compounds/<int:compound_id>/parties/new", methods=["GET", "POST"])
def party_new(compound_id: int):
    compound = db.get_or_404(Compound, compound_id)
    record = Party(compound_id=compound.id)
    return form_page(record_form(PartyForm, record), record, "party",
                     title=_("New party in %(compound)s", compound=compound.name),
                     back=url_for(".parties", compound_id=compound.id))


@bp.route("/parties/<int:object_id>/edit", methods=["GET", "POST"])
def party_edit(object_id: int):
    record = db.get_or_404(Party, object_id)
    return form_page(record_form(PartyForm, record), record, "party",
                     title=_("Edit party %(name)s", name=record.name),
                     back=url_for(".parties", compound_id=record.compound_id))
