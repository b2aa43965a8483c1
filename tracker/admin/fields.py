"""Form building blocks shared by the admin forms."""
from decimal import Decimal

from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from tracker.core.forms import Form
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import choices

PLACEHOLDER = ("", _l("— choose —"))
MAX_ID = 2**31 - 1  # the largest id an integer column holds (PostgreSQL); larger names nothing


def strip(value):
    return value.strip() if isinstance(value, str) else value


def optional(coerce):
    """A select's coerce that reads the "— choose —" placeholder as None, so that DataRequired
    shows our message instead of WTForms' "Invalid choice"."""
    def convert(value):
        if value in ("", None):
            return None
        value = coerce(value)
        # An edited form may send an id no column can hold; the database would fail on it in
        # the unique checks that run before the choice is refused ("Invalid Choice").
        if isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
            raise ValueError("not an id")
        return value
    return convert


def record_select(label, message=None, **kwargs) -> SelectField:
    """A select of database rows by id; the form fills in the choices (see :func:`rows`)."""
    validators = [DataRequired(message)] if message else []
    return SelectField(label, coerce=optional(int), validators=validators, **kwargs)


def rows(records, text=str) -> list[tuple[str, str]]:
    return [PLACEHOLDER] + [(str(r.id), text(r)) for r in records]


def enum_select(label, enum_cls, message) -> SelectField:
    return SelectField(label, coerce=optional(enum_cls),
                       choices=[PLACEHOLDER] + choices(enum_cls),
                       validators=[DataRequired(message)])


def name_field(label=_l("Name"), max_length=64, message=_l("Please enter a name.")):
    return StringField(label, filters=[strip], validators=[
        DataRequired(message),
        Length(max=max_length, message=_l("At most %(n)d characters.", n=max_length))])


class Amount:
    """A finite decimal within [minimum, below), or above ``minimum`` when ``exclusive``.

    WTForms' DecimalField accepts "NaN" and "Infinity", which NumberRange cannot compare and the
    database cannot store, so they are refused here first.
    """

    def __init__(self, minimum: Decimal, below: Decimal, *, exclusive=False, message=None):
        self.minimum, self.below, self.exclusive, self.message = minimum, below, exclusive, message

    def __call__(self, form, field):
        value = field.data
        if value is None:
            return
        if (not value.is_finite() or value >= self.below
                or value < self.minimum or (self.exclusive and value == self.minimum)):
            raise ValidationError(self.message)


class RecordForm(Form):
    """A form that creates or edits ``record`` (whose ``id`` is None while it is new); unique
    checks use it to leave the record itself out."""

    def __init__(self, *args, record=None, **kwargs):
        self.record = record
        super().__init__(*args, **kwargs)

    def values(self) -> dict:
        """The record's attributes as typed, ready for :func:`tracker.admin.operations.save`."""
        raise NotImplementedError
