from wtforms import (
    BooleanField,
    RadioField,
    DateTimeLocalField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.core.forms import Form
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import choices
from tracker.meetings.models import AttendanceStatus, MeetingKind

TEXT_MAX = 5000


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MeetingForm(Form):
    compounds = MultiCheckboxField(_l("Compounds covered"), coerce=int, validators=[
        DataRequired(_l("Choose at least one compound."))])
    kind = SelectField(_l("Type"), choices=choices(MeetingKind), default="regular")
    title = StringField(_l("Subject"), validators=[
        DataRequired(_l("Please give the meeting a subject.")), Length(max=120)])
    starts_at = DateTimeLocalField(_l("Date and time"), format="%Y-%m-%dT%H:%M", validators=[
        DataRequired(_l("Please give a valid date and time."))])
    place = StringField(_l("Place"), validators=[
        DataRequired(_l("Please give the place.")), Length(max=120)])
    chair = SelectField(_l("Chaired by"), coerce=int)
    recorder = SelectField(_l("Recorder"), coerce=int)

    def validate_compounds(self, field):
        communities = {self.community_of.get(cid) for cid in field.data or []}
        if len(communities) > 1:
            raise ValidationError(_l("A meeting belongs to one community: choose compounds of "
                                     "the same community."))


class RetimeForm(Form):
    starts_at = DateTimeLocalField(_l("Date and time"), format="%Y-%m-%dT%H:%M", validators=[
        DataRequired(_l("Please give a valid date and time."))])

    def validate_starts_at(self, field):
        # The API's meetings take the same range (tracker.api.meeting_schemas).
        if not 2000 <= field.data.year <= 2199:
            raise ValidationError(_l("Please give a valid date and time."))


class ReasonForm(Form):
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Please give a reason.")), Length(max=1000)])


class DisposalForm(Form):
    """What the meeting recorded on an item it votes nothing on."""
    disposal = RadioField(_l("Outcome"), choices=[
        ("deferred", _l("Deferred to the next meeting")),
        ("no_decision", _l("No decision needed (the case ends when the minutes issue)"))],
        validators=[InputRequired(_l("Please choose an outcome."))])
    note = TextAreaField(_l("Reason"), validators=[Length(max=500)],
                         description=_l("Printed in the minutes under the item. Required when "
                                        "no decision is needed."))

    def validate_note(self, field):
        if self.disposal.data == "no_decision" and not (field.data or "").strip():
            raise ValidationError(_l("Please say why no decision is needed."))


class AgendaAddForm(Form):
    case_id = SelectField(_l("Case"), coerce=int, validators=[
        DataRequired(_l("Please choose a case."))])
    version = HiddenField()


class GuestForm(Form):
    name = StringField(_l("Guest's name"), validators=[
        DataRequired(_l("Please give the guest's name.")), Length(max=64)])
    unit = StringField(_l("Unit or role"), validators=[Optional(), Length(max=100)])
    status = SelectField(_l("Attendance"), choices=choices(AttendanceStatus),
                         default="non_voting")


class MinutesForm(Form):
    """The item fields are read from the request by name (item-<case id>-<field>)."""
    base_revision = HiddenField(validators=[InputRequired()])
    other_business = TextAreaField(_l("Other business"), validators=[Length(max=TEXT_MAX)])
    confirm_clear = BooleanField(_l("I understand that saving clears the signatures "
                                    "collected so far."))


class SignForm(Form):
    password = PasswordField(_l("Your password"), validators=[
        DataRequired(_l("Please enter your password to sign."))])
    drawing = HiddenField()
    content_sha256 = HiddenField(validators=[InputRequired()])


class RollCallForm(Form):
    """The statuses are read by name (status-<user id>); the form carries the CSRF token."""
    submit = HiddenField(default="1")


class SignersForm(Form):
    """The selects (signer-<party id>) are read by name; the form carries the CSRF token."""
