"""The administration blueprint: administrators only, and the index of what can be managed.

The pages themselves live in ``place_views``, ``compound_views``, ``user_views``,
``role_views`` and ``rulebook_views``; they all register on :data:`bp`.
"""
from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from tracker.admin.policy import can_administer

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _require_admin():
    if not can_administer(current_user):
        abort(403)


@bp.route("/")
def index():
    return render_template("admin/index.html")
