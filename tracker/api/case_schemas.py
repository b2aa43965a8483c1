"""Marshmallow schemas of places and cases: what the API reads and what it answers."""
import marshmallow as ma
from marshmallow import validate

from tracker.api.auth import api_user
from tracker.api.fields import Id, Text, Version
from tracker.cases.forms import DESCRIPTION_MAX, PHONE_PATTERN, TITLE_MAX
from tracker.cases.models import CaseCategory, CaseSource, CaseState
from tracker.cases.privacy import resident_phone_for
from tracker.cases.queries import CaseFilters
from tracker.cases.workflow import Action
from tracker.core.labels import label
from tracker.places.models import GovernanceMode, PartyKind


def _label(attribute: str) -> ma.fields.Function:
    """The Chinese label of an enum attribute (the default language)."""
    return ma.fields.Function(lambda obj: label(getattr(obj, attribute)), dump_only=True)


class NamedSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class PartySchema(NamedSchema):
    kind = ma.fields.Enum(PartyKind, required=True)


class CompoundSchema(NamedSchema):
    code = ma.fields.String(required=True)
    governance_mode = ma.fields.Enum(GovernanceMode, required=True)
    community = ma.fields.Nested(NamedSchema, required=True)
    street = ma.fields.Nested(NamedSchema, attribute="community.street", required=True)
    district = ma.fields.Nested(NamedSchema, attribute="community.street.district",
                                required=True)
    parties = ma.fields.List(ma.fields.Nested(PartySchema), required=True)
    can_raise = ma.fields.Boolean(required=True, metadata={
        "description": "whether the caller may raise a case here"})


class CompoundRefSchema(NamedSchema):
    code = ma.fields.String(required=True)


class PhotoSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    filename = ma.fields.String(required=True)
    content_type = ma.fields.String(required=True)
    size = ma.fields.Integer(required=True)
    uploaded_at = ma.fields.DateTime(required=True)


class CaseSummarySchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    number = ma.fields.String(required=True, metadata={"example": "DFHY-2026-007"})
    title = ma.fields.String(required=True)
    category = ma.fields.Enum(CaseCategory, required=True)
    category_label = _label("category")
    source = ma.fields.Enum(CaseSource, required=True)
    state = ma.fields.Enum(CaseState, required=True)
    state_label = _label("state")
    compound = ma.fields.Nested(CompoundRefSchema, required=True)
    raised_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)
    closed_at = ma.fields.DateTime(required=True, allow_none=True)
    version = ma.fields.Integer(required=True)
    carried_over = ma.fields.Boolean(required=True)


class EventSchema(ma.Schema):
    at = ma.fields.DateTime(attribute="created_at", required=True)
    actor = ma.fields.String(attribute="actor.name", required=True, allow_none=True)
    action = ma.fields.String(required=True)
    from_state = ma.fields.String(required=True, allow_none=True)
    to_state = ma.fields.String(required=True, allow_none=True)
    note = ma.fields.String(required=True)


class CaseSchema(CaseSummarySchema):
    description = ma.fields.String(required=True)
    resident_name = ma.fields.String(required=True)
    resident_phone = ma.fields.Function(
        lambda case: resident_phone_for(api_user(), case), required=True, metadata={
            "type": "string",
            "description": "in full for the case's liaison and whoever filed the case, "
                           "otherwise masked as 138****1234"})
    raised_by = ma.fields.Nested(NamedSchema, required=True)
    photos = ma.fields.List(ma.fields.Nested(PhotoSchema), required=True)
    timeline = ma.fields.List(ma.fields.Nested(EventSchema), required=True)
    actions = ma.fields.List(ma.fields.Enum(Action), required=True, metadata={
        "description": "workflow actions the caller may take now (POST …/actions)"})


class CasePageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CaseSummarySchema), required=True)
    next_cursor = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "pass as ?cursor= for the next page; null on the last page"})


class CaseQuerySchema(ma.Schema):
    """The case list's filters, as in the app's case list."""
    q = Text(max_length=100, load_default="")
    state = ma.fields.Enum(CaseState, load_default=None)
    compound_id = Id(strict=False, load_default=None)
    community_id = Id(strict=False, load_default=None)
    street_id = Id(strict=False, load_default=None)
    category = ma.fields.Enum(CaseCategory, load_default=None)
    source = ma.fields.Enum(CaseSource, load_default=None)
    overdue = ma.fields.Boolean(load_default=False, metadata={
        "description": "only cases with an overdue follow-up task"})
    cursor = ma.fields.String(load_default=None, validate=validate.Length(max=200))
    limit = ma.fields.Integer(load_default=20, validate=validate.Range(1, 100))

    def filters(self, args: dict) -> CaseFilters:
        def value(member):
            return member.value if member else ""
        return CaseFilters(q=args["q"], state=value(args["state"]),
                           compound_id=args["compound_id"], community_id=args["community_id"],
                           street_id=args["street_id"], category=value(args["category"]),
                           source=value(args["source"]),
                           flag="overdue" if args["overdue"] else "")


class NewCaseSchema(ma.Schema):
    compound_id = Id(required=True)
    title = Text(max_length=TITLE_MAX, min_length=1, required=True)
    category = ma.fields.Enum(CaseCategory, required=True)
    source = ma.fields.Enum(CaseSource, required=True, metadata={
        "description": "hotline_12345 for a case from the 12345 hotline"})
    description = Text(max_length=DESCRIPTION_MAX, min_length=1, required=True)
    resident_name = Text(max_length=64, load_default="", metadata={
        "description": "the resident the case is filed on behalf of"})
    resident_phone = Text(max_length=20, load_default="",
                          validate=validate.Regexp(PHONE_PATTERN + "|^$"))

    @ma.validates_schema
    def _phone_needs_name(self, data, **_kwargs):
        if data.get("resident_phone") and not data.get("resident_name"):
            raise ma.ValidationError("Give the resident's name as well.", "resident_name")


class CaseActionSchema(ma.Schema):
    action = ma.fields.Enum(Action, required=True, metadata={
        "description": "withdraw, reopen (with a reason), put_on_agenda (meeting_id), "
                       "take_off_agenda (meeting_id, reason)"})
    version = Version()
    reason = Text(max_length=1000, load_default="")
    meeting_id = Id(load_default=None)


class VisitSchema(ma.Schema):
    method = ma.fields.String(required=True, validate=validate.OneOf(
        ["phone", "home_visit", "wechat"]))
    satisfaction = ma.fields.String(required=True, validate=validate.OneOf(
        ["satisfied", "basically_satisfied", "unsatisfied"]))
    comment = Text(max_length=2000, load_default="")
    version = Version()

