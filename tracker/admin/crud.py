"""What every admin page shares: a searchable page of records, a form that creates or edits one
record, and a confirmation that removes one. Each change is audited and committed once."""
import enum
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError

from tracker.audit.operations import log
from tracker.extensions import db

MAX_PAGE = 100_000  # a larger offset is an edited URL; PostgreSQL would overflow on it


@dataclass
class Page:
    items: list
    page: int
    has_next: bool
    q: str


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_page(query: Select, *columns) -> Page:
    """One page of ``query``, narrowed by the ``q`` argument to rows where any of ``columns``
    contains it. Fetches one row more than shown to know whether a next page exists, so no
    request counts the whole table."""
    q = request.args.get("q", "", type=str).strip()[:100]
    page = min(max(1, request.args.get("page", 1, type=int)), MAX_PAGE)
    per_page = current_app.config.get("ADMIN_PER_PAGE", 50)
    if q:
        query = query.where(or_(*(c.ilike(_like(q), escape="\\") for c in columns)))
    rows = list(db.session.scalars(query.limit(per_page + 1).offset((page - 1) * per_page)))
    return Page(items=rows[:per_page], page=page, has_next=len(rows) > per_page, q=q)


def taken(model, *criteria, record=None) -> bool:
    """Whether another row than ``record`` already matches ``criteria`` (a unique key)."""
    query = select(model.id).where(*criteria)
    if record is not None and record.id is not None:
        query = query.where(model.id != record.id)
    return db.session.execute(query.limit(1)).first() is not None


def jsonable(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def apply_changes(record, values: dict) -> dict:
    """Set ``values`` on ``record``; return ``{field: [old, new]}`` for those that changed."""
    changes = {}
    for name, new in values.items():
        old = getattr(record, name)
        if old != new:
            setattr(record, name, new)
            changes[name] = [jsonable(old), jsonable(new)]
    return changes


def save(record, values: dict, entity: str, extra: dict | None = None) -> bool:
    """Create ``record`` or change it with ``values`` and write the audit event; flush, never
    commit. Returns whether anything changed."""
    created = record.id is None
    changes = apply_changes(record, values)
    if created:
        db.session.add(record)
        data = {name: jsonable(value) for name, value in values.items()}
    else:
        data = changes
    data.update(extra or {})
    if not data:
        return False
    db.session.flush()
    log(current_user, entity, record.id, "create" if created else "edit", data=data)
    return True


def conflict(form: FlaskForm) -> None:
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


def form_page(form: FlaskForm, record, entity: str, *, title: str, back: str, done=None,
              template: str = "admin/form.html", **context):
    """Show ``form``; when it validates, save ``form.values()`` on ``record``, audit, commit
    once and go to ``done(record)`` (default: ``back``). What was typed stays on error."""
    status = 200
    if form.validate_on_submit():
        try:
            changed = save(record, form.values(), entity)
            db.session.commit()
        except IntegrityError:
            conflict(form)
            status = 409
        else:
            flash(_("Saved.") if changed else _("Nothing was changed."), "success")
            return redirect(done(record) if done else back)
    return render_template(template, form=form, record=record, title=title, back=back,
                           **context), status


class ConfirmForm(FlaskForm):
    """A confirmation with nothing to fill in but the CSRF token."""


def remove_page(record, entity: str, data: dict, *, title: str, summary: str, back: str):
    """GET asks "are you sure?"; POST removes ``record`` and audits ``data`` (what it was)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        log(current_user, entity, record.id, "remove", data=data)
        db.session.delete(record)
        db.session.commit()
        flash(_("Removed: %(what)s", what=summary), "success")
        return redirect(back)
    return render_template("admin/remove.html", form=form, title=title, summary=summary,
                           back=back)
