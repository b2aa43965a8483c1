"""Marshmallow schemas of joint meetings, their roll call, minutes and signatures."""
import marshmallow as ma
from marshmallow import validate

from tracker.api.case_schemas import CaseSummarySchema, CompoundRefSchema, NamedSchema, PartySchema
from tracker.api.fields import MAX_ID, Flag, Id, Secret, Text
from tracker.meetings.forms import TEXT_MAX
from tracker.meetings.models import AttendanceStatus, MeetingKind, MeetingState
from tracker.places.models import PartyKind


class MeetingSummarySchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    number = ma.fields.String(required=True, metadata={"example": "〔2026〕第3期"})
    title = ma.fields.String(required=True)
    kind = ma.fields.Enum(MeetingKind, required=True)
    state = ma.fields.Enum(MeetingState, required=True)
    starts_at = ma.fields.DateTime(required=True)
    place = ma.fields.String(required=True)
    community = ma.fields.Nested(NamedSchema, required=True)
    compounds = ma.fields.List(ma.fields.Nested(CompoundRefSchema), required=True)
    version = ma.fields.Integer(required=True)


class MeetingPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MeetingSummarySchema), required=True)
    page = ma.fields.Integer(required=True)
    has_next = ma.fields.Boolean(required=True)


class MeetingQuerySchema(ma.Schema):
    state = ma.fields.Enum(MeetingState, load_default=None)
    page = ma.fields.Integer(load_default=1, validate=validate.Range(1, 100_000))


class AgendaItemSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    position = ma.fields.Integer(required=True)
    case = ma.fields.Nested(CaseSummarySchema, required=True)


class AttendanceSchema(ma.Schema):
    user_id = ma.fields.Integer(required=True, allow_none=True,
                                metadata={"description": "null for an invited guest"})
    name = ma.fields.String(required=True)
    unit = ma.fields.String(required=True)
    party_id = ma.fields.Integer(required=True, allow_none=True)
    status = ma.fields.Enum(AttendanceStatus, required=True)


class PartyPresenceSchema(ma.Schema):
    compound = ma.fields.String(required=True)
    party = ma.fields.String(required=True)
    kind = ma.fields.Enum(PartyKind, required=True)
    present = ma.fields.Integer(required=True)
    due = ma.fields.Integer(required=True)


class QuorumSchema(ma.Schema):
    reached = ma.fields.Boolean(required=True,
                                metadata={"description": "each party has someone present"})
    missing_parties = ma.fields.List(ma.fields.String(), required=True)
    parties = ma.fields.List(ma.fields.Nested(PartyPresenceSchema), required=True)


class SignerSchema(ma.Schema):
    party = ma.fields.Nested(PartySchema, required=True)
    user = ma.fields.Nested(NamedSchema, required=True)


class SignatureSchema(SignerSchema):
    id = ma.fields.Integer(required=True)
    signed_at = ma.fields.DateTime(required=True)
    revision_number = ma.fields.Integer(required=True)
    content_sha256 = ma.fields.String(required=True)


class DocumentSchema(ma.Schema):
    pdf_sha256 = ma.fields.String(required=True)
    content_sha256 = ma.fields.String(required=True)
    size = ma.fields.Integer(required=True)
    created_at = ma.fields.DateTime(required=True)


class MeetingSchema(MeetingSummarySchema):
    convener = ma.fields.Nested(NamedSchema, required=True)
    chair = ma.fields.Nested(NamedSchema, required=True)
    recorder = ma.fields.Nested(NamedSchema, required=True)
    held_at = ma.fields.DateTime(required=True, allow_none=True)
    signed_at = ma.fields.DateTime(required=True, allow_none=True)
    cancel_reason = ma.fields.String(required=True)
    agenda = ma.fields.List(ma.fields.Nested(AgendaItemSchema), required=True)
    attendance = ma.fields.List(ma.fields.Nested(AttendanceSchema), required=True)
    quorum = ma.fields.Nested(QuorumSchema, required=True)
    required_signers = ma.fields.List(ma.fields.Nested(SignerSchema), required=True)
    signatures = ma.fields.List(ma.fields.Nested(SignatureSchema), required=True,
                                metadata={"description": "the valid signatures"})
    minutes_revision = ma.fields.Integer(required=True,
                                         metadata={"description": "0 before the first save"})
    content_sha256 = ma.fields.String(required=True, metadata={
        "description": "SHA-256 of what a signature now vouches for; send it when signing"})
    document = ma.fields.Nested(DocumentSchema, required=True, allow_none=True,
                                metadata={"description": "the signed minutes PDF, once issued"})


class AttendanceEntrySchema(ma.Schema):
    user_id = Id(required=True)
    status = ma.fields.Enum(AttendanceStatus, required=True, allow_none=True,
                            metadata={"description": "null clears the person's line"})


class RollCallSchema(ma.Schema):
    entries = ma.fields.List(ma.fields.Nested(AttendanceEntrySchema), required=True,
                             validate=validate.Length(max=500))


class PartyViewsSchema(ma.Schema):
    residents_committee = Text(max_length=TEXT_MAX)
    owners_committee = Text(max_length=TEXT_MAX)
    management_committee = Text(max_length=TEXT_MAX)
    property_company = Text(max_length=TEXT_MAX)


class MinutesItemSchema(ma.Schema):
    case_id = Id(required=True)
    background = Text(max_length=TEXT_MAX, load_default="")
    views = ma.fields.Nested(PartyViewsSchema, load_default=dict,
                             metadata={"description": "each party's view, by party kind"})
    decision = Text(max_length=TEXT_MAX, load_default="", metadata={
        "description": "a note printed after the item's decision (补充说明); the decision "
                       "itself comes from the item's resolution and vote, or the deferral "
                       "recorded at the meeting"})
    responsible = Text(max_length=TEXT_MAX, load_default="", metadata={
        "description": "kept as saved; the minutes print the resolution's responsible party"})
    deadline = Text(max_length=TEXT_MAX, load_default="", metadata={
        "description": "kept as saved; the minutes print the resolution's deadline"})


class MinutesSchema(ma.Schema):
    """The minutes as read: the current revision (0 and blank items before the first save)."""
    revision = ma.fields.Integer(required=True)
    author = ma.fields.Nested(NamedSchema, required=True, allow_none=True)
    saved_at = ma.fields.DateTime(required=True, allow_none=True)
    items = ma.fields.List(ma.fields.Nested(MinutesItemSchema), required=True)
    other_business = ma.fields.String(required=True)
    content_sha256 = ma.fields.String(required=True)


class MinutesSaveSchema(ma.Schema):
    base_revision = ma.fields.Integer(strict=True, required=True,
                                      validate=validate.Range(0, MAX_ID), metadata={
        "description": "the revision the text was edited from; a newer one answers 409"})
    items = ma.fields.List(ma.fields.Nested(MinutesItemSchema), required=True,
                           validate=validate.Length(max=200))
    other_business = Text(max_length=TEXT_MAX, load_default="")
    clear_signatures = Flag(load_default=False, metadata={"description": "must be true when "
                                                   "signatures were given: saving clears them"})


class SignSchema(ma.Schema):
    password = Secret(required=True)
    content_sha256 = ma.fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"),
                                      metadata={"description": "the minutes hash the signer "
                                                               "read (GET the meeting)"})
    drawing_png = ma.fields.String(load_default="", validate=validate.Length(max=800_000),
                                   metadata={"description": "optional drawn signature as a "
                                                            "data:image/png;base64 URL"})



def _plausible(value) -> None:
    if not 2000 <= value.year <= 2199:
        raise ma.ValidationError("Not a plausible date.")


class NewMeetingSchema(ma.Schema):
    compound_ids = ma.fields.List(Id(), required=True, validate=validate.Length(min=1, max=50),
                                  metadata={"description": "compounds of one community"})
    kind = ma.fields.Enum(MeetingKind, load_default=MeetingKind.regular)
    title = Text(max_length=120, min_length=1, required=True)
    starts_at = ma.fields.AwareDateTime(required=True, validate=_plausible)
    place = Text(max_length=120, min_length=1, required=True)
    chair_id = Id(load_default=None, allow_none=True,
                  metadata={"description": "default: the caller"})
    recorder_id = Id(load_default=None, allow_none=True,
                     metadata={"description": "default: the caller"})


class ReasonSchema(ma.Schema):
    reason = Text(max_length=1000, min_length=1, required=True)
