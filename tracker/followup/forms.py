from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tracker.cases.forms import PhotosMixin
from tracker.core.forms import Form
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import choices
from tracker.followup.models import Satisfaction, VisitMethod
from tracker.voting.models import DeadlineTier


class TaskForm(Form):
    description = TextAreaField(_l("Task"), validators=[
        DataRequired(_l("Please describe the task.")), Length(max=2000)])
    responsible_party = SelectField(_l("Responsible party"), coerce=int)
    responsible_text = StringField(_l("Responsible (if not a party above)"),
                                   validators=[Optional(), Length(max=120)])
    tier = SelectField(_l("Deadline"), choices=[("", _l("— a date below —"))]
                       + choices(DeadlineTier), default="general", validators=[Optional()])
    due_on = DateField(_l("Or an explicit date"), validators=[Optional()])


class ProgressForm(PhotosMixin, Form):
    note = TextAreaField(_l("Progress note"), validators=[
        DataRequired(_l("Please say what was done.")), Length(max=2000)])
    progress = IntegerField(_l("Progress (%)"), validators=[
        InputRequired(_l("Please give the progress in percent.")),
        NumberRange(0, 100, message=_l("Progress is a percentage from 0 to 100."))])


class VisitForm(Form):
    method = SelectField(_l("How"), choices=choices(VisitMethod))
    satisfaction = SelectField(_l("Resident's satisfaction"), choices=choices(Satisfaction))
    comment = TextAreaField(_l("What the resident said"), validators=[Optional(),
                                                                      Length(max=2000)])
    version = HiddenField(validators=[InputRequired()])
