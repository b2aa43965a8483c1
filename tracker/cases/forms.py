from flask import current_app
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from tracker.cases.models import CaseCategory, CaseSource, CaseState
from tracker.cases.queries import CaseFilters
from tracker.core.forms import Form
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.images import MAX_PIXELS, ImageRejected, clean_image
from tracker.core.labels import choices
from tracker.core.storage import STORAGE_FULL, is_storage_full, mark_storage_full

TITLE_MAX = 120
DESCRIPTION_MAX = 5000
PHONE_PATTERN = r"^[0-9+\- ]{5,20}$"


def _enum_field(label, enum_cls, message):
    return SelectField(label, choices=[("", _l("— choose —"))] + choices(enum_cls),
                       validators=[DataRequired(message)])


class PhotosMixin:
    photos = MultipleFileField(_l("Photos (JPEG, PNG or WebP)"))

    def validate_photos(self, field):
        """Decode every photo now so a bad one is refused before anything is written."""
        files = [f for f in (field.data or []) if getattr(f, "filename", "")]
        limit = current_app.config["MAX_PHOTOS_PER_UPLOAD"]
        if len(files) > limit:
            raise ValidationError(_l("At most %(n)d photos at a time.", n=limit))
        max_bytes = current_app.config["MAX_PHOTO_BYTES"]
        cleaned = []
        for upload in files:
            try:
                raw = upload.read()  # ENOSPC if the disk was full when it was spooled
            except OSError as exc:
                if not is_storage_full(exc):
                    raise
                mark_storage_full()
                raise ValidationError(STORAGE_FULL) from exc
            try:
                cleaned.append((upload.filename, clean_image(raw, max_bytes)))
            except ImageRejected as exc:
                if exc.reason == "size":
                    raise ValidationError(_l("%(name)s is larger than %(mb)d MB.",
                                             name=upload.filename,
                                             mb=max_bytes // (1024 * 1024))) from exc
                if exc.reason == "pixels":
                    # A small file that decodes to a huge picture: a decompression bomb.
                    raise ValidationError(_l("%(name)s is too large a picture: at most %(n)d "
                                             "megapixels.", name=upload.filename,
                                             n=MAX_PIXELS // 1_000_000)) from exc
                raise ValidationError(_l("%(name)s is not a JPEG, PNG or WebP photo.",
                                         name=upload.filename)) from exc
        self.cleaned_photos = cleaned


class CaseDetailsForm(Form):
    title = StringField(_l("Title"), validators=[
        DataRequired(_l("Please give the case a title.")),
        Length(max=TITLE_MAX, message=_l("The title may have at most %(n)d characters.",
                                         n=TITLE_MAX))])
    category = _enum_field(_l("Category"), CaseCategory, _l("Please choose a category."))
    source = _enum_field(_l("Source"), CaseSource, _l("Please choose where the case came from."))
    description = TextAreaField(_l("Description"), validators=[
        DataRequired(_l("Please describe the problem.")),
        Length(max=DESCRIPTION_MAX, message=_l("The description may have at most %(n)d "
                                               "characters.", n=DESCRIPTION_MAX))])
    resident_name = StringField(_l("On behalf of resident (name)"), validators=[
        Optional(), Length(max=64)])
    resident_phone = StringField(_l("Resident's phone"), validators=[
        Optional(), Regexp(PHONE_PATTERN, message=_l("Please enter a valid phone number."))])

    def validate_resident_phone(self, field):
        if field.data and not self.resident_name.data:
            raise ValidationError(_l("Give the resident's name as well."))

    def values(self) -> dict:
        return {"title": self.title.data.strip(), "category": CaseCategory(self.category.data),
                "source": CaseSource(self.source.data),
                "description": self.description.data.strip(),
                "resident_name": (self.resident_name.data or "").strip(),
                "resident_phone": (self.resident_phone.data or "").strip()}


class RaiseCaseForm(PhotosMixin, CaseDetailsForm):
    compound = SelectField(_l("Compound"), coerce=str,
                           validators=[DataRequired(_l("Please choose a compound."))])


class EditCaseForm(CaseDetailsForm):
    version = HiddenField(validators=[InputRequired()])


class AddPhotosForm(PhotosMixin, Form):
    version = HiddenField()

    def validate_photos(self, field):
        super().validate_photos(field)
        if not self.cleaned_photos:
            raise ValidationError(_l("Please choose at least one photo."))


class ReasonForm(Form):
    """Confirmation of a state change that needs a reason (withdraw, reopen)."""
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Please give a reason.")), Length(max=1000)])
    version = HiddenField(validators=[InputRequired()])


class CaseFilterForm(Form):
    """The list's filters; a GET form, so no CSRF token (it changes nothing)."""
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    state = SelectField(_l("State"), choices=[("", _l("All states"))] + choices(CaseState),
                        validators=[Optional()])
    compound = SelectField(_l("Compound"), validators=[Optional()])
    category = SelectField(_l("Category"), choices=[("", _l("All categories"))]
                           + choices(CaseCategory), validators=[Optional()])
    source = SelectField(_l("Source"), choices=[("", _l("All sources"))] + choices(CaseSource),
                         validators=[Optional()])
    flag = SelectField(_l("Show"), validators=[Optional()])
    # Set by the dashboard's drill-down links (a street's or a community's cases), not shown.
    street = IntegerField(validators=[Optional()])
    community = IntegerField(validators=[Optional()])
    sort = SelectField(_l("Sort"), choices=[("newest", _l("Newest first")),
                                            ("oldest", _l("Oldest first")),
                                            ("updated", _l("Recently changed"))],
                       default="newest", validators=[Optional()])
    page = IntegerField(validators=[Optional()])

    def filters(self) -> CaseFilters:
        return CaseFilters(
            q=self.q.data or "", state=self.state.data or "",
            compound_id=int(self.compound.data) if self.compound.data else None,
            community_id=self.community.data or None, street_id=self.street.data or None,
            category=self.category.data or "", source=self.source.data or "",
            flag=self.flag.data or "")
