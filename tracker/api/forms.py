from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class NewTokenForm(FlaskForm):
    name = StringField(_l("What the token is for"), validators=[
        DataRequired(_l("Please name the token, e.g. the system that will use it.")),
        Length(max=64)])


class RevokeTokenForm(FlaskForm):
    """Carries the CSRF token of the revoke button."""
