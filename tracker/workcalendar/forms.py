from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.core.forms import Form
from tracker.core.i18n import lazy_gettext as _l


class DayForm(Form):
    """One click on the month grid: the clicked day's button carries its date."""
    day = DateField(_l("Day"), validators=[InputRequired(_l("Choose a day."))])
    version = HiddenField(validators=[Optional()])


class ConfirmYearForm(Form):
    notice_title = StringField(_l("Notice"), validators=[
        DataRequired(_l("Please give the notice's title.")), Length(max=200)],
        description=_l("e.g. 国务院办公厅关于2027年部分节假日安排的通知"))
    notice_number = StringField(_l("Notice number"), validators=[Optional(), Length(max=60)],
                                description=_l("e.g. 国办发明电〔2026〕7号"))
    version = HiddenField(validators=[Optional()])


class ImportYearForm(Form):
    file = FileField(_l("File (CSV: date,kind per line; kind off or work)"),
                     validators=[InputRequired(_l("Choose a file."))])
    notice_title = StringField(_l("Notice"), validators=[
        DataRequired(_l("Please give the notice's title.")), Length(max=200)])
    notice_number = StringField(_l("Notice number"), validators=[Optional(), Length(max=60)])
    version = HiddenField(validators=[Optional()])
