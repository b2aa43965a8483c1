from wtforms import StringField
from wtforms.validators import DataRequired, Length

from tracker.core.forms import Form
from tracker.core.i18n import lazy_gettext as _l


class NewTokenForm(Form):
    name = StringField(_l("What the token is for"), validators=[
        DataRequired(_l("Please name the token, e.g. the system that will use it.")),
        Length(max=64)])


class RevokeTokenForm(Form):
    """Carries the CSRF token of the revoke button."""
