from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.core.forms import Form
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import choices
from tracker.voting import rules
from tracker.voting.models import DeadlineTier, DecidingBody

CHOICES = [("for", _l("For")), ("against", _l("Against")), ("abstain", _l("Abstain"))]
MATTERS = [("", _l("— not an owners' joint decision —"))] + [
    (m.value, f"（{m.item}）{m.label_zh}") for m in rules.Matter]


class ProposeForm(Form):
    text = TextAreaField(_l("Proposed resolution"), validators=[
        DataRequired(_l("Please write the proposed resolution.")), Length(max=5000)])
    responsible_party = SelectField(_l("Responsible party"), coerce=int)
    responsible_text = StringField(_l("Responsible (if not a party above)"),
                                   validators=[Optional(), Length(max=120)])
    deadline_tier = SelectField(_l("Deadline"), choices=choices(DeadlineTier), default="general")
    body = SelectField(_l("Deciding body"), choices=choices(DecidingBody))
    matter = SelectField(_l("Matter under Civil Code art. 278"), choices=MATTERS,
                         validators=[Optional()])
    version = HiddenField(validators=[InputRequired()])


class OpenVoteForm(Form):
    at_meeting = RadioField(_l("How the vote is taken"), choices=[
        ("1", _l("At the meeting now")), ("0", _l("Online until a closing time"))], default="1")
    closes_at = DateTimeLocalField(_l("Closing time (online vote)"), format="%Y-%m-%dT%H:%M",
                                   validators=[Optional()])


class BallotForm(Form):
    choice = RadioField(_l("Your vote"), choices=CHOICES,
                        validators=[DataRequired(_l("Please choose for, against or abstain."))])


class PaperBallotForm(Form):
    voter = SelectField(_l("Member"), coerce=int)
    choice = RadioField(_l("Vote on the paper ballot"), choices=CHOICES,
                        validators=[DataRequired(_l("Please choose for, against or abstain."))])
    password = PasswordField(_l("Member's password (the member confirms)"),
                             validators=[DataRequired(_l("The member confirms with their "
                                                         "password."))])


class UnitBallotsForm(Form):
    """The unit choices are read by name (unit-<id>); the form carries the CSRF token."""


class CloseForm(Form):
    reason = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=1000)])
    confirm = BooleanField(_l("Close the vote now"),
                           validators=[DataRequired(_l("Tick to confirm."))])
