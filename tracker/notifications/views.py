from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.core.forms import Form
from tracker.core.i18n import is_safe_redirect
from tracker.extensions import db
from tracker.notifications.operations import mark_read
from tracker.notifications.queries import inbox_page

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.before_request
@login_required
def _require_login():
    pass


@bp.route("/")
def inbox():
    page = min(max(1, request.args.get("page", 1, type=int) or 1), 1_000_000)
    notifications, has_next = inbox_page(current_user, page)
    return render_template("notifications/inbox.html", notifications=notifications, page=page,
                           has_next=has_next, form=Form())


@bp.route("/read", methods=["POST"])
def read():
    """Mark one notification (``id``) or all as read, then follow its link if it has one."""
    form = Form()
    if form.validate_on_submit():
        raw = request.form.get("id", "")
        mark_read(current_user, int(raw) if raw.isdigit() else None)
        db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_redirect(target) else url_for("notifications.inbox"))
