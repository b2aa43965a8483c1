from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from tracker.core.i18n import is_safe_redirect
from tracker.extensions import db
from tracker.notifications.models import Notification
from tracker.notifications.operations import mark_read

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.before_request
@login_required
def _require_login():
    pass


@bp.route("/")
def inbox():
    page = min(max(1, request.args.get("page", 1, type=int) or 1), 1_000_000)
    rows = list(db.session.scalars(select(Notification).where(
        Notification.user_id == current_user.id).order_by(Notification.id.desc())
        .limit(31).offset((page - 1) * 30)))
    return render_template("notifications/inbox.html", notifications=rows[:30], page=page,
                           has_next=len(rows) > 30, form=FlaskForm())


@bp.route("/read", methods=["POST"])
def read():
    """Mark one notification (``id``) or all as read, then follow its link if it has one."""
    form = FlaskForm()
    if form.validate_on_submit():
        raw = request.form.get("id", "")
        mark_read(current_user, int(raw) if raw.isdigit() else None)
        db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_redirect(target) else url_for("notifications.inbox"))
