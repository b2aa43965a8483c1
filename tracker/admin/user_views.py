"""Accounts: list, create, edit, (re)set the password, deactivate. Accounts are never deleted:
their names stay on cases, ballots and signed minutes."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_user
from sqlalchemy.exc import IntegrityError

from tracker.admin import operations, queries
from tracker.admin.crud import conflict, record_form, search_args
from tracker.admin.people_forms import UserForm
from tracker.admin.views import bp
from tracker.auth.models import User
from tracker.core.i18n import gettext as _
from tracker.extensions import db


@bp.route("/users/")
def users():
    return render_template("admin/users.html", page=queries.users_page(search_args()))


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    record = User()
    return _user_page(record_form(UserForm, record), record, _("New account"))


@bp.route("/users/<int:object_id>/edit", methods=["GET", "POST"])
def user_edit(object_id: int):
    record = db.get_or_404(User, object_id)
    return _user_page(record_form(UserForm, record), record,
                      _("Edit account %(name)s", name=record.name))


def _user_page(form: UserForm, record: User, title: str):
    status = 200
    if form.validate_on_submit():
        try:
            changed = operations.save_account(current_user, record, form.values(),
                                              password=form.password.data)
            db.session.commit()
        except IntegrityError:
            conflict(form)
            status = 409
        else:
            if record.id == current_user.id and form.password.data:
                login_user(record)  # stay logged in here under the new epoch
            flash(_("Saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for(".users"))
    return render_template("admin/user_form.html", form=form, record=record, title=title,
                           back=url_for(".users")), status
