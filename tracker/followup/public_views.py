"""Public case status: a resident looks up their case by number and the last four digits of
the phone number they gave — no account, no names or phone numbers of anyone shown."""
from flask import Blueprint, render_template
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from tracker.audit.models import AuditEvent
from tracker.cases.models import Case
from tracker.core.forms import Form
from tracker.core.i18n import lazy_gettext as _l
from tracker.extensions import db, limiter
from tracker.followup.operations import tasks_of
from tracker.voting.models import Resolution

bp = Blueprint("public", __name__, url_prefix="/status")

# Steps a resident may see, by audit action (no actor, no note).
PUBLIC_STEPS = {"raise", "put_on_agenda", "propose_resolution", "close_vote_passed",
                "close_vote_rejected", "close_after_visit", "reopen", "withdraw", "carry_over",
                "take_off_agenda"}


class LookupForm(Form):
    number = StringField(_l("Case number"), validators=[
        DataRequired(_l("Please enter the case number.")), Length(max=40)])
    phone_tail = StringField(_l("Last four digits of your phone number"), validators=[
        Regexp(r"^\d{4}$", message=_l("Please enter the last four digits."))])


def find_case(number: str, phone_tail: str) -> Case | None:
    case = db.session.scalar(select(Case).where(Case.number == number.strip().upper()))
    # The same answer for "no such case" and "wrong digits": guessing learns nothing.
    if case is None or len(case.resident_phone) < 4 or \
            not case.resident_phone.endswith(phone_tail):
        return None
    return case


@bp.route("/", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def lookup():
    form = LookupForm()
    case = steps = resolution = tasks = None
    not_found = False
    if form.validate_on_submit():
        case = find_case(form.number.data, form.phone_tail.data)
        not_found = case is None
        if case is not None:
            steps = list(db.session.scalars(select(AuditEvent).where(
                AuditEvent.subject_type == "case", AuditEvent.subject_id == case.id,
                AuditEvent.action.in_(PUBLIC_STEPS)).order_by(AuditEvent.id)))
            resolution = db.session.scalar(select(Resolution).where(
                Resolution.case_id == case.id, Resolution.passed.is_(True))
                .order_by(Resolution.id.desc()).limit(1))
            tasks = tasks_of(case)
    return render_template("followup/status.html", form=form, case=case, steps=steps,
                           resolution=resolution, tasks=tasks, not_found=not_found)
