"""Marshmallow schemas of resolutions, votes and ballots."""
from datetime import datetime, timezone

import marshmallow as ma
from marshmallow import validate

from tracker.api.fields import Flag, Id, Text, Version
from tracker.voting import rules
from tracker.voting.models import DeadlineTier, DecidingBody, VoteState

CHOICES = [c.value for c in rules.Choice]


class ResolutionSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    case_id = ma.fields.Integer(required=True)
    meeting_id = ma.fields.Integer(required=True)
    text = ma.fields.String(required=True)
    responsible_party_id = ma.fields.Integer(required=True, allow_none=True)
    responsible_text = ma.fields.String(required=True)
    deadline_tier = ma.fields.Enum(DeadlineTier, required=True)
    body = ma.fields.Enum(DecidingBody, required=True)
    matter = ma.fields.String(required=True, allow_none=True,
                              metadata={"description": "民法典 art. 278 matter (owners' ballot)"})
    passed = ma.fields.Boolean(required=True, allow_none=True)
    vote_id = ma.fields.Integer(attribute="vote.id", required=True, allow_none=True)


class BallotSchema(ma.Schema):
    voter_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    choice = ma.fields.String(required=True, validate=validate.OneOf(CHOICES))
    cast_at = ma.fields.DateTime(required=True)
    paper = ma.fields.Boolean(required=True)


class UnitSchema(ma.Schema):
    unit_id = ma.fields.Integer(required=True)
    label = ma.fields.String(required=True)
    area = ma.fields.String(required=True, metadata={"description": "m², as a decimal string"})
    choice = ma.fields.String(required=True, allow_none=True)


class VoteSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    body = ma.fields.Enum(DecidingBody, required=True)
    state = ma.fields.Enum(VoteState, required=True)
    at_meeting = ma.fields.Boolean(required=True)
    opened_at = ma.fields.DateTime(required=True)
    closes_at = ma.fields.DateTime(required=True, allow_none=True)
    closed_at = ma.fields.DateTime(required=True, allow_none=True)
    resolution = ma.fields.Nested(ResolutionSchema, required=True)
    tally = ma.fields.Dict(required=True, allow_none=True, metadata={
        "description": "the outcome if the vote closed now, or its stored result once closed "
                       "(figures, rule, explanation_zh)"})
    problem = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "why no tally can be computed (inconsistent owners' ballots)"})
    ballots = ma.fields.List(ma.fields.Nested(BallotSchema), required=True, metadata={
        "description": "named committee ballots (for the compound's people)"})
    units = ma.fields.List(ma.fields.Nested(UnitSchema), required=True, metadata={
        "description": "owners' ballot: the register snapshot with each unit's choice "
                       "(for the compound's people)"})
    my_ballot = ma.fields.String(required=True, allow_none=True)
    my_units = ma.fields.List(ma.fields.Nested(UnitSchema), required=True)
    can_cast = ma.fields.Boolean(required=True)
    can_run = ma.fields.Boolean(required=True)


class BallotCastSchema(ma.Schema):
    choice = ma.fields.String(required=True, validate=validate.OneOf(CHOICES))


class UnitBallotEntrySchema(ma.Schema):
    unit_id = Id(required=True)
    choice = ma.fields.String(required=True, allow_none=True, validate=validate.OneOf(CHOICES),
                              metadata={"description": "null removes a ballot entered by "
                                                       "mistake"})


class UnitBallotsSchema(ma.Schema):
    ballots = ma.fields.List(ma.fields.Nested(UnitBallotEntrySchema), required=True,
                             validate=validate.Length(min=1, max=5000))


class CloseVoteSchema(ma.Schema):
    reason = Text(max_length=1000, load_default="")


class ProposeSchema(ma.Schema):
    case_id = Id(required=True)
    version = Version()
    text = Text(max_length=5000, min_length=1, required=True)
    responsible_party_id = Id(load_default=None, allow_none=True)
    responsible_text = Text(max_length=120, load_default="")
    deadline_tier = ma.fields.Enum(DeadlineTier, required=True)
    body = ma.fields.Enum(DecidingBody, required=True)
    matter = ma.fields.String(load_default=None, allow_none=True,
                              validate=validate.OneOf([m.value for m in rules.Matter]))


def _reasonable(value: datetime) -> None:
    if not datetime(2000, 1, 1, tzinfo=timezone.utc) < value < \
            datetime(2200, 1, 1, tzinfo=timezone.utc):
        raise ma.ValidationError("Not a plausible date.")


class OpenVoteSchema(ma.Schema):
    at_meeting = Flag(required=True, metadata={
        "description": "true: taken at the meeting now; false: online until closes_at"})
    closes_at = ma.fields.AwareDateTime(load_default=None, allow_none=True,
                                        validate=_reasonable)
