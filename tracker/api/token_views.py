"""Personal access tokens on the password page: create (shown once) and revoke."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.api import tokens
from tracker.api.forms import NewTokenForm, RevokeTokenForm
from tracker.api.models import ApiToken
from tracker.auth.forms import ChangePasswordForm
from tracker.core.i18n import gettext as _
from tracker.extensions import db

bp = Blueprint("api_tokens", __name__, url_prefix="/account/tokens")


@bp.before_request
@login_required
def _require_login():
    pass


def section_context() -> dict:
    """What the password page's token section shows (the template asks for it)."""
    return {"tokens": tokens.tokens_of(current_user), "token_form": NewTokenForm(),
            "revoke_form": RevokeTokenForm()}


@bp.route("/", methods=["POST"])
def create():
    form = NewTokenForm()
    if not form.validate_on_submit():
        return render_template("auth/change_password.html",
                               form=ChangePasswordForm(formdata=None), token_form=form), 400
    _record, token = tokens.create_token(current_user, form.name.data.strip())
    db.session.commit()
    # Shown on this page only, never stored: no redirect, no flash message (which would keep it
    # in the session cookie).
    return render_template("auth/change_password.html", form=ChangePasswordForm(formdata=None),
                           new_token=token)


@bp.route("/<int:token_id>/revoke", methods=["POST"])
def revoke(token_id: int):
    record = db.session.get(ApiToken, token_id)
    if record is None or record.user_id != current_user.id:
        abort(404)
    if RevokeTokenForm().validate_on_submit():
        tokens.revoke_token(record, current_user)
        db.session.commit()
        flash(_("The token %(name)s has been revoked.", name=record.name), "success")
    return redirect(url_for("auth.change_password") + "#api-tokens")
