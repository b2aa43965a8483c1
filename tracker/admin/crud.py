"""What every admin page shares: a searchable page of records, a form that creates or edits one
record, and a confirmation that removes one. The change itself is an operation
(:mod:`tracker.admin.operations`); the page commits it once."""
from flask import current_app, flash, redirect, render_template, request
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from tracker.admin import operations
from tracker.admin.queries import Search
from tracker.core.forms import Form
from tracker.core.i18n import gettext as _
from tracker.extensions import db

MAX_PAGE = 100_000  # a larger offset is an edited URL; PostgreSQL would overflow on it


def search_args() -> Search:
    """The ``q`` and ``page`` arguments of a list page."""
    return Search(q=request.args.get("q", "", type=str).strip()[:100],
                  page=min(max(1, request.args.get("page", 1, type=int)), MAX_PAGE),
                  per_page=current_app.config.get("ADMIN_PER_PAGE", 50))


def conflict(form: Form) -> None:
    """Undo after an IntegrityError and tell the form. The form's own checks passed just
    before, so someone else saved the same unique key at the same moment: say so, keep what
    was typed, and do not fail with a 500."""
    db.session.rollback()
    form.form_errors.append(_("Someone else saved a conflicting record at the same moment. "
                              "Check the values and save again."))


def record_form(form_cls, record):
    """``form_cls`` for ``record``: filled from the record when an existing one is opened,
    from what was typed when posted, from the form's defaults when the record is new."""
    opened = request.method == "GET" and record.id is not None
    return form_cls(obj=record if opened else None, record=record)


def form_page(form: Form, record, entity: str, *, title: str, back: str, done=None,
              template: str = "admin/form.html", **context):
    """Show ``form``; when it validates, save ``form.values()`` on ``record``, audit, commit
    once and go to ``done(record)`` (default: ``back``). What was typed stays on error."""
    status = 200
    if form.validate_on_submit():
        try:
            changed = operations.save(current_user, record, form.values(), entity)
            db.session.commit()
        except IntegrityError:
            conflict(form)
            status = 409
        else:
            flash(_("Saved.") if changed else _("Nothing was changed."), "success")
            return redirect(done(record) if done else back)
    return render_template(template, form=form, record=record, title=title, back=back,
                           **context), status


class ConfirmForm(Form):
    """A confirmation with nothing to fill in but the CSRF token."""


def remove_page(record, entity: str, data: dict, *, title: str, summary: str, back: str):
    """GET asks "are you sure?"; POST removes ``record`` and audits ``data`` (what it was)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        operations.remove(current_user, record, entity, data)
        db.session.commit()
        flash(_("Removed: %(what)s", what=summary), "success")
        return redirect(back)
    return render_template("admin/remove.html", form=form, title=title, summary=summary,
                           back=back)
