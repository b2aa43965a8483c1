"""What a person may act on: party memberships, liaison areas and official scopes.
Each can be listed, created, edited and removed (after a confirmation)."""
from flask import render_template, request, url_for

from tracker.admin import queries
from tracker.admin.crud import form_page, record_form, remove_page, search_args
from tracker.admin.operations import jsonable
from tracker.admin.people_forms import LiaisonForm, MembershipForm, OfficialScopeForm
from tracker.admin.views import bp
from tracker.auth.models import LiaisonAssignment, Membership, OfficialScope
from tracker.core.i18n import gettext as _
from tracker.core.labels import label
from tracker.extensions import db


def _new_form(form_cls, record):
    form = record_form(form_cls, record)
    if request.method == "GET":  # "add" links on an account's page name the person
        form.user_id.data = request.args.get("user_id", type=int)
    return form


def _columns(record, *names) -> dict:
    """What a removed record was, for its audit event."""
    return {name: jsonable(getattr(record, name)) for name in ("user_id", *names)}


# -- memberships ---------------------------------------------------------------------------

def membership_text(m: Membership) -> str:
    return (f"{m.user.name} · {m.party.compound.name} · {label(m.party.kind)}"
            f" · {label(m.role)}")


@bp.route("/memberships/")
def memberships():
    return render_template("admin/memberships.html",
                           page=queries.memberships_page(search_args()))


@bp.route("/memberships/new", methods=["GET", "POST"])
def membership_new():
    record = Membership()
    return form_page(_new_form(MembershipForm, record), record, "membership",
                     title=_("New membership"), back=url_for(".memberships"))


@bp.route("/memberships/<int:object_id>/edit", methods=["GET", "POST"])
def membership_edit(object_id: int):
    record = db.get_or_404(Membership, object_id)
    return form_page(record_form(MembershipForm, record), record, "membership",
                     title=_("Edit membership"), back=url_for(".memberships"))


@bp.route("/memberships/<int:object_id>/remove", methods=["GET", "POST"])
def membership_remove(object_id: int):
    record = db.get_or_404(Membership, object_id)
    return remove_page(record, "membership", _columns(record, "party_id", "role", "votes"),
                       title=_("Remove membership"), summary=membership_text(record),
                       back=url_for(".memberships"))


# -- liaison areas -------------------------------------------------------------------------

def liaison_text(a: LiaisonAssignment) -> str:
    area = a.community.name if a.community else a.compound.name
    return f"{a.user.name} · {area}"


@bp.route("/liaisons/")
def liaisons():
    return render_template("admin/liaisons.html", page=queries.liaisons_page(search_args()))


@bp.route("/liaisons/new", methods=["GET", "POST"])
def liaison_new():
    record = LiaisonAssignment()
    return form_page(_new_form(LiaisonForm, record), record, "liaison_assignment",
                     title=_("New liaison area"), back=url_for(".liaisons"))


@bp.route("/liaisons/<int:object_id>/edit", methods=["GET", "POST"])
def liaison_edit(object_id: int):
    record = db.get_or_404(LiaisonAssignment, object_id)
    return form_page(record_form(LiaisonForm, record), record, "liaison_assignment",
                     title=_("Edit liaison area"), back=url_for(".liaisons"))


@bp.route("/liaisons/<int:object_id>/remove", methods=["GET", "POST"])
def liaison_remove(object_id: int):
    record = db.get_or_404(LiaisonAssignment, object_id)
    return remove_page(record, "liaison_assignment",
                       _columns(record, "community_id", "compound_id"),
                       title=_("Remove liaison area"), summary=liaison_text(record),
                       back=url_for(".liaisons"))


# -- official scopes -----------------------------------------------------------------------

def scope_text(s: OfficialScope) -> str:
    area = s.street.name if s.street else s.district.name
    return f"{s.user.name} · {area}"


@bp.route("/official-scopes/")
def official_scopes():
    return render_template("admin/official_scopes.html",
                           page=queries.official_scopes_page(search_args()))


@bp.route("/official-scopes/new", methods=["GET", "POST"])
def official_scope_new():
    record = OfficialScope()
    return form_page(_new_form(OfficialScopeForm, record), record, "official_scope",
                     title=_("New oversight area"), back=url_for(".official_scopes"))


@bp.route("/official-scopes/<int:object_id>/edit", methods=["GET", "POST"])
def official_scope_edit(object_id: int):
    record = db.get_or_404(OfficialScope, object_id)
    return form_page(record_form(OfficialScopeForm, record), record, "official_scope",
                     title=_("Edit oversight area"), back=url_for(".official_scopes"))


@bp.route("/official-scopes/<int:object_id>/remove", methods=["GET", "POST"])
def official_scope_remove(object_id: int):
    record = db.get_or_404(OfficialScope, object_id)
    return remove_page(record, "official_scope", _columns(record, "street_id", "district_id"),
                       title=_("Remove oversight area"), summary=scope_text(record),
                       back=url_for(".official_scopes"))
