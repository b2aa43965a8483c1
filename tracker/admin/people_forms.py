"""Forms for accounts and for what people may act on: memberships, liaison areas, scopes."""
from flask_login import current_user
from sqlalchemy import func
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from tracker.admin.fields import RecordForm, enum_select, name_field, record_select, rows, strip
from tracker.admin.queries import (
    communities_by_name,
    compounds_by_name,
    districts_by_name,
    parties_by_compound,
    streets_by_name,
    taken,
    users_by_name,
)
from tracker.auth.forms import MIN_PASSWORD_LENGTH
from tracker.auth.models import LiaisonAssignment, MemberRole, Membership, OfficialScope, User
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import label
from tracker.extensions import db
from tracker.places.models import Party, PartyKind

# Only members of the deciding body vote on resolutions (DESIGN §5 rules 1–2).
VOTING_KINDS = {PartyKind.owners_committee, PartyKind.management_committee}
# Browsers must not fill in the administrator's own saved password for someone else's account.
NEW_PASSWORD = {"autocomplete": "new-password"}


class UserForm(RecordForm):
    username = StringField(_l("Username"), filters=[strip], validators=[
        DataRequired(_l("Please enter a username.")),
        Length(max=64, message=_l("At most %(n)d characters.", n=64)),
        Regexp(r"^\S+$", message=_l("A username has no spaces."))])
    name = name_field(_l("Full name"), 64, _l("Please enter the person's name."))
    phone = StringField(_l("Phone"), filters=[strip], description=_l("Can be used to log in."),
                        validators=[Optional(), Regexp(r"^[0-9+\-]{5,20}$", message=_l(
                            "Please enter a valid phone number."))])
    email = StringField(_l("E-mail"), filters=[strip],
                        description=_l("Optional: reminders are also sent here."),
                        validators=[Optional(), Length(max=120),
                                    Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                                           message=_l("Please enter a valid e-mail address."))])
    is_admin = BooleanField(_l("Administrator"))
    active = BooleanField(_l("Active (may log in)"), default=True)
    password = PasswordField(_l("Password"), render_kw=NEW_PASSWORD,
                             validators=[Length(max=256)])
    confirm = PasswordField(_l("Repeat the password"), render_kw=NEW_PASSWORD, validators=[
        EqualTo("password", _l("The two passwords differ."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.record.id is not None:
            self.password.label.text = _l("New password")
            self.password.description = _l("Leave empty to keep the current password. A new "
                                           "password logs the person out everywhere.")

    def validate_username(self, field):
        # Case-insensitive: "Admin" and "admin" would be told apart by nobody reading a page.
        if taken(User, func.lower(User.username) == field.data.lower(), record=self.record):
            raise ValidationError(_l("This username is already taken."))

    def validate_phone(self, field):
        if field.data and taken(User, User.phone == field.data, record=self.record):
            raise ValidationError(_l("Another account already uses this phone number."))

    def validate_password(self, field):
        if not field.data:
            if self.record.id is None:
                raise ValidationError(_l("Please set a password for the new account."))
            return  # editing: keep the current password
        if len(field.data) < MIN_PASSWORD_LENGTH:
            raise ValidationError(_l("The password must have at least %(n)d characters.",
                                     n=MIN_PASSWORD_LENGTH))

    # An administrator locking themselves out would leave nobody to undo it.
    def validate_is_admin(self, field):
        if self.record.id == current_user.id and not field.data:
            raise ValidationError(_l("You cannot take away your own administrator rights."))

    def validate_active(self, field):
        if self.record.id == current_user.id and not field.data:
            raise ValidationError(_l("You cannot deactivate your own account."))

    def values(self):
        return {"username": self.username.data, "name": self.name.data,
                "phone": self.phone.data or None, "email": self.email.data or None,
                "is_admin": self.is_admin.data,
                "active": self.active.data}


def _user_choices():
    return rows(users_by_name(), lambda u: f"{u.name} ({u.username})" + ("" if u.active else " ✕"))


class MembershipForm(RecordForm):
    user_id = record_select(_l("Person"), _l("Please choose a person."))
    party_id = record_select(_l("Party"), _l("Please choose a party."))
    role = enum_select(_l("Role"), MemberRole, _l("Please choose a role."))
    votes = BooleanField(_l("Votes on resolutions"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id.choices = _user_choices()
        self.party_id.choices = rows(parties_by_compound(),
                                     lambda p: f"{p.compound.name} · {label(p.kind)} · {p.name}")

    def validate_party_id(self, field):
        if self.user_id.data and field.data and taken(
                Membership, Membership.user_id == self.user_id.data,
                Membership.party_id == field.data, record=self.record):
            raise ValidationError(_l("This person already sits for this party."))

    def validate_votes(self, field):
        party = db.session.get(Party, self.party_id.data) if self.party_id.data else None
        if field.data and party is not None and party.kind not in VOTING_KINDS:
            raise ValidationError(_l("Only members of the owners' committee or the management "
                                     "committee vote."))

    def values(self):
        return {"user_id": self.user_id.data, "party_id": self.party_id.data,
                "role": self.role.data, "votes": self.votes.data}


class _ExactlyOneForm(RecordForm):
    """A person and exactly one of two places (the table's CHECK constraint), not twice."""
    model = None
    first, second = "", ""
    user_id = record_select(_l("Person"), _l("Please choose a person."))
    both_or_neither = ""
    duplicate = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id.choices = _user_choices()

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        first, second = self[self.first], self[self.second]
        if bool(first.data) == bool(second.data):
            first.errors.append(self.both_or_neither)
            return False
        chosen, other = (first, second) if first.data else (second, first)
        # NULLs never collide in a unique constraint, so the database would let a twin pass.
        if ok and self.user_id.data and taken(
                self.model, self.model.user_id == self.user_id.data,
                getattr(self.model, chosen.name) == chosen.data,
                getattr(self.model, other.name).is_(None), record=self.record):
            chosen.errors.append(self.duplicate)
            return False
        return ok

    def values(self):
        return {"user_id": self.user_id.data, self.first: self[self.first].data,
                self.second: self[self.second].data}


class LiaisonForm(_ExactlyOneForm):
    model = LiaisonAssignment
    first, second = "community_id", "compound_id"
    community_id = record_select(_l("Community"))
    compound_id = record_select(_l("Compound"), description=_l(
        "Choose a whole community, or a single compound."))
    both_or_neither = _l("Choose either a community or a compound (exactly one).")
    duplicate = _l("This person already has this liaison area.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.community_id.choices = rows(communities_by_name())
        self.compound_id.choices = rows(compounds_by_name(),
                                        lambda c: f"{c.name}（{c.community.name}）")


class OfficialScopeForm(_ExactlyOneForm):
    model = OfficialScope
    first, second = "street_id", "district_id"
    street_id = record_select(_l("Street"))
    district_id = record_select(_l("District"), description=_l(
        "Choose a street, or a whole district."))
    both_or_neither = _l("Choose either a street or a district (exactly one).")
    duplicate = _l("This person already oversees this area.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.street_id.choices = rows(streets_by_name(),
                                      lambda s: f"{s.name}（{s.district.name}）")
        self.district_id.choices = rows(districts_by_name())
