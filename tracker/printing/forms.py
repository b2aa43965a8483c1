from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import AnyOf, InputRequired, Optional, Regexp

from tracker.core.forms import Form
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import choices
from tracker.meetings.models import MeetingState
from tracker.printing.models import PrintFormat
from tracker.printing.queries import MONTH


class RegisterFilterForm(Form):
    """The register's filters; a GET form, so no CSRF token (it changes nothing).

    Street and community choices are set per request from the person's scope, so an edited URL
    naming a street outside it is an invalid choice, not a way in.
    """
    class Meta:
        csrf = False

    street = SelectField(_l("Street"), validators=[Optional()])
    community = SelectField(_l("Community"), validators=[Optional()])
    month = StringField(_l("Month"), validators=[
        Optional(), Regexp(MONTH, message=_l("Give the month as year-month, e.g. 2026-11."))])
    state = SelectField(_l("State"), choices=[("", _l("All states"))] + choices(MeetingState),
                        validators=[Optional()])


class IdListField(SelectMultipleField):
    """Meeting ids from checkboxes and hidden fields; the view checks each against the scope,
    so there is no fixed list of choices."""

    def process_formdata(self, valuelist):
        try:
            self.data = [int(value) for value in valuelist]
        except ValueError:
            self.data = []
            raise ValueError(_l("The selection could not be read. Please choose again.")) \
                from None

    def pre_validate(self, form):
        pass


FORMAT_VALUES = [f.value for f in PrintFormat]


class PrintForm(Form):
    meetings = IdListField(coerce=int)  # the table's checkboxes
    # The signed rows of the page shown, sent along so "all on this page" works without script.
    page_meetings = IdListField(coerce=int)
    all_on_page = BooleanField(_l("All signed minutes on this page"))
    all_matching = BooleanField(_l("All signed minutes matching the filters"))
    format = RadioField(_l("Format"), choices=choices(PrintFormat), default="merged_pdf",
                        validate_choice=False, validators=[
                            InputRequired(_l("Choose one PDF or a ZIP.")),
                            AnyOf(FORMAT_VALUES, message=_l("Choose one PDF or a ZIP."))])

    def chosen_ids(self) -> list[int]:
        """The ticked meetings, then the page's if "all" was ticked; each once, in order."""
        ids = list(self.meetings.data or [])
        if self.all_on_page.data:
            ids += self.page_meetings.data or []
        return list(dict.fromkeys(ids))
