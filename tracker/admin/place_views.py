"""Districts, streets, communities and compounds: list, create, edit. Places are never deleted:
cases, meetings and minutes keep pointing at them."""
from flask import render_template, request, url_for

from tracker.admin import queries
from tracker.admin.crud import form_page, record_form, search_args
from tracker.admin.place_forms import CommunityForm, CompoundForm, DistrictForm, StreetForm
from tracker.admin.views import bp
from tracker.core.i18n import gettext as _
from tracker.extensions import db
from tracker.places.models import Community, Compound, District, GovernanceMode, Street


@bp.route("/districts/")
def districts():
    return render_template("admin/districts.html", page=queries.districts_page(search_args()))


@bp.route("/districts/new", methods=["GET", "POST"])
def district_new():
    record = District()
    return form_page(record_form(DistrictForm, record), record, "district",
                     title=_("New district"), back=url_for(".districts"))


@bp.route("/districts/<int:object_id>/edit", methods=["GET", "POST"])
def district_edit(object_id: int):
    record = db.get_or_404(District, object_id)
    return form_page(record_form(DistrictForm, record), record, "district",
                     title=_("Edit district %(name)s", name=record.name),
                     back=url_for(".districts"))


@bp.route("/streets/")
def streets():
    return render_template("admin/streets.html", page=queries.streets_page(search_args()))


@bp.route("/streets/new", methods=["GET", "POST"])
def street_new():
    record = Street()
    return form_page(record_form(StreetForm, record), record, "street", title=_("New street"),
                     back=url_for(".streets"))


@bp.route("/streets/<int:object_id>/edit", methods=["GET", "POST"])
def street_edit(object_id: int):
    record = db.get_or_404(Street, object_id)
    return form_page(record_form(StreetForm, record), record, "street",
                     title=_("Edit street %(name)s", name=record.name), back=url_for(".streets"))


@bp.route("/communities/")
def communities():
    return render_template("admin/communities.html",
                           page=queries.communities_page(search_args()))


@bp.route("/communities/new", methods=["GET", "POST"])
def community_new():
    record = Community()
    return form_page(record_form(CommunityForm, record), record, "community",
                     title=_("New community"), back=url_for(".communities"))


@bp.route("/communities/<int:object_id>/edit", methods=["GET", "POST"])
def community_edit(object_id: int):
    record = db.get_or_404(Community, object_id)
    return form_page(record_form(CommunityForm, record), record, "community",
                     title=_("Edit community %(name)s", name=record.name),
                     back=url_for(".communities"))


@bp.route("/compounds/")
def compounds():
    return render_template("admin/compounds.html", page=queries.compounds_page(search_args()))


@bp.route("/compounds/new", methods=["GET", "POST"])
def compound_new():
    record = Compound()
    form = record_form(CompoundForm, record)
    if request.method == "GET":
        form.governance_mode.data = GovernanceMode.owners_committee
        form.households.data, form.total_area.data = 0, 0
    # A new compound has no parties yet: go on to add them.
    return form_page(form, record, "compound", title=_("New compound"),
                     back=url_for(".compounds"),
                     done=lambda c: url_for(".parties", compound_id=c.id))


@bp.route("/compounds/<int:object_id>/edit", methods=["GET", "POST"])
def compound_edit(object_id: int):
    record = db.get_or_404(Compound, object_id)
    return form_page(record_form(CompoundForm, record), record, "compound",
                     title=_("Edit compound %(name)s", name=record.name),
                     back=url_for(".compounds"))
