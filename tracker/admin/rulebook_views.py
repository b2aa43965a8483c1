"""Rulebooks: the built-in ones to read, and those an administrator adds for a province or city,
kept in editions: saving an edit adds the next edition, and votes keep the one they opened
under."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from tracker.admin.crud import conflict
from tracker.admin.rulebook_forms import EditRulebookForm, NewRulebookForm
from tracker.admin.views import bp
from tracker.core.i18n import gettext as _
from tracker.extensions import db
from tracker.rulebooks import operations, queries
from tracker.rulebooks.models import KEY_LENGTH
from tracker.voting.rulebooks import NATIONAL, OFFERED


@bp.route("/rulebooks/")
def rulebooks():
    return render_template("admin/rulebooks.html", built_in=OFFERED,
                           local=queries.current_editions(), history=queries.history())


def _form_page(form, *, title: str, current=None, status: int = 200):
    return render_template("admin/rulebook_form.html", form=form, title=title, current=current,
                           back=url_for(".rulebooks")), status


@bp.route("/rulebooks/new", methods=["GET", "POST"])
def rulebook_new():
    form = NewRulebookForm()
    if request.method == "GET":
        # The national notice as a start: most local texts keep its 15 days.
        form.notice_days_regular.data = NATIONAL.assembly.notice_days_regular
        form.notice_days_temporary.data = NATIONAL.assembly.notice_days_temporary
    status = 200
    if form.validate_on_submit():
        try:
            first = operations.add_rulebook(current_user, form.key.data, form.values())
            db.session.commit()
        except IntegrityError:
            conflict(form)
            status = 409
        else:
            flash(_("Saved as edition %(n)d of %(name)s.", n=first.edition, name=first.name),
                  "success")
            return redirect(url_for(".rulebooks"))
    return _form_page(form, title=_("New rulebook"), status=status)


@bp.route(f"/rulebooks/<string(maxlength={KEY_LENGTH}):key>/edit", methods=["GET", "POST"])
def rulebook_edit(key: str):
    current = queries.edition(key)
    if current is None:
        abort(404)
    form = EditRulebookForm(obj=current if request.method == "GET" else None)
    status = 200
    if form.validate_on_submit():
        if form.edition.data != str(current.edition):
            # Another administrator saved an edition since this form was drawn: say so, keep
            # what was typed, and let a second save go ahead on the edition now current.
            form.form_errors.append(_("Edition %(n)d was saved in the meantime: check it, "
                                      "then save again.", n=current.edition))
            form.edition.data = current.edition
            status = 409
        else:
            try:
                following = operations.edit_rulebook(current_user, current, form.values())
                db.session.commit()
            except IntegrityError:
                conflict(form)
                status = 409
            else:
                flash(_("Saved as edition %(n)d of %(name)s.", n=following.edition,
                        name=following.name) if following else _("Nothing was changed."),
                      "success")
                return redirect(url_for(".rulebooks"))
    return _form_page(form, title=_("Edit rulebook %(name)s", name=current.name),
                      current=current, status=status)
