from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.core.forms import Form
from tracker.core.i18n import lazy_gettext as _l

MIN_PASSWORD_LENGTH = 8


class LoginForm(Form):
    login = StringField(_l("Phone number or username"),
                        validators=[DataRequired(_l("Please enter your phone number or username.")),
                                    Length(max=64)])
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(_l("Please enter your password.")),
                                         Length(max=256)])
    remember = BooleanField(_l("Stay logged in on this device"))


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Please enter your current password."))])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Please enter a new password.")),
                    Length(min=MIN_PASSWORD_LENGTH, max=256,
                           message=_l("The password must have at least %(n)d characters.",
                                      n=MIN_PASSWORD_LENGTH))])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[EqualTo("new_password", _l("The two passwords differ."))])
    # Asked, ticked at first, only of a person who has active API tokens (the page says how many).
    revoke_api_tokens = BooleanField(_l("Also revoke my API tokens"), default=True)


class LogoutEverywhereForm(Form):
    everywhere = BooleanField(_l("Log me out on every device, this one included"),
                              validators=[DataRequired(_l("Tick to confirm."))])
