"""Places and cases through the API: list, raise, read with timeline, act, add photos."""
import marshmallow as ma
from flask import current_app
from flask_smorest.fields import Upload
from sqlalchemy.orm import joinedload, selectinload

from tracker.api.auth import api_user
from tracker.api.base import annotate, api_blueprint, created
from tracker.api.case_schemas import (
    CaseActionSchema,
    CasePageSchema,
    CaseQuerySchema,
    CaseSchema,
    CompoundSchema,
    NewCaseSchema,
)
from tracker.api.cursor import BadCursor, page_after
from tracker.api.problems import ApiProblem
from tracker.auth import scope
from tracker.cases import operations, policy, queries
from tracker.cases.models import Case
from tracker.cases.workflow import Action, CaseChanged, available_actions, transition
from tracker.core.i18n import gettext as _
from tracker.core.images import MAX_PIXELS, ImageRejected, clean_image
from tracker.extensions import db
from tracker.meetings import operations as meeting_operations
from tracker.meetings import policy as meeting_policy
from tracker.meetings import queries as meeting_queries
from tracker.places.models import Community, Compound, Street

blp = api_blueprint("api_cases", "Places and cases (议题): list, raise, read, act.")


@blp.route("/places")
@blp.response(200, CompoundSchema(many=True))
def places():
    """List the compounds in the caller's area.

    The compounds the caller sees, with their community, street, district and parties."""
    user = api_user()
    raisable = {c.id for c in scope.raisable_compounds(user)}
    compounds = db.session.scalars(
        db.select(Compound).where(Compound.id.in_(scope.visible_compound_ids(user)))
        .options(joinedload(Compound.community).joinedload(Community.street)
                 .joinedload(Street.district), selectinload(Compound.parties))
        .order_by(Compound.name, Compound.id))
    return [annotate(c, can_raise=c.id in raisable) for c in compounds]


@blp.route("/cases")
@blp.arguments(CaseQuerySchema, location="query", unknown=ma.RAISE)
@blp.response(200, CasePageSchema)
def case_list(args):
    """List cases (newest first, cursor-paged).

    The caller's cases, newest first, with the case list's filters; ``next_cursor`` leads to
    the next page."""
    query = queries.narrowed_cases(api_user(), CaseQuerySchema().filters(args)) \
        .options(joinedload(Case.compound))
    try:
        cases, next_cursor = page_after(query, args["cursor"], args["limit"])
    except BadCursor as exc:
        raise ApiProblem(422, errors=[{"parameter": "cursor",
                                       "detail": _("Not a cursor from this list.")}]) from exc
    return {"items": cases, "next_cursor": next_cursor}


def case_body(case: Case, user) -> Case:
    return annotate(case, timeline=queries.timeline(case),
                 actions=available_actions(case, user))


def visible_case(case_id: int) -> Case:
    return queries.get_visible_case(api_user(), case_id)


@blp.route("/cases", methods=["POST"])
@blp.arguments(NewCaseSchema)
@blp.response(201, CaseSchema, headers={"Location": {
    "description": "the new case's address", "schema": {"type": "string"}}})
def raise_case(values):
    """Raise a case.

    Raise a case, possibly on behalf of a resident (``resident_name``, ``resident_phone``).

    The caller must be a party member of the compound or its liaison cadre (403 otherwise;
    404 for a compound outside their area)."""
    user = api_user()
    compound_id = values.pop("compound_id")
    compound = db.session.get(Compound, compound_id)
    if compound is None or not scope.can_see_compound(user, compound_id):
        raise ApiProblem(404)
    if not policy.can_raise_in(user, compound_id):
        raise ApiProblem(403)
    case = operations.raise_case(user, compound,
                                 display_zone=current_app.config["DISPLAY_TIMEZONE"], **values)
    db.session.commit()
    return created(case_body(case, user), "api_cases.case_detail", case_id=case.id)


@blp.route("/cases/<int:case_id>")
@blp.response(200, CaseSchema)
def case_detail(case_id: int):
    """Read a case with its timeline.

    One case with its photos, its whole timeline and the actions the caller may take."""
    return case_body(visible_case(case_id), api_user())


def _agenda_item(meeting, case: Case):
    item = next((i for i in meeting.agenda if i.case_id == case.id), None)
    if item is None:
        raise ApiProblem(409, _("The case is not on this meeting's agenda."))
    return item


@blp.route("/cases/<int:case_id>/actions", methods=["POST"])
@blp.arguments(CaseActionSchema)
@blp.response(200, CaseSchema)
def case_action(values, case_id: int):
    """Take a workflow step on a case.

    Take a workflow step: ``withdraw`` or ``reopen`` with a reason, ``put_on_agenda`` of a
    planned meeting, ``take_off_agenda`` with a reason.

    ``version`` is the case's version as last read: if the case changed since, nothing is done
    and the answer is 409. Steps that follow from votes and return visits have their own
    operations."""
    user = api_user()
    case = visible_case(case_id)
    action = values["action"]
    if action in (Action.withdraw, Action.reopen):
        transition(case, action, user, expected_version=values["version"],
                   reason=values["reason"])
    elif action in (Action.put_on_agenda, Action.take_off_agenda):
        if values["meeting_id"] is None:
            raise ApiProblem(422, errors=[{"pointer": "#/meeting_id",
                                           "detail": _("Name the meeting.")}])
        meeting = meeting_queries.get_visible_meeting(user, values["meeting_id"])
        if not meeting_policy.can_manage_meeting(user, meeting):
            raise ApiProblem(403)
        if action == Action.put_on_agenda:
            meeting_operations.add_to_agenda(meeting, case, user,
                                             expected_version=values["version"])
        else:
            if values["version"] != case.version:
                raise CaseChanged()
            meeting_operations.remove_from_agenda(meeting, _agenda_item(meeting, case), user,
                                                  values["reason"])
    else:
        raise ApiProblem(422, errors=[{"pointer": "#/action", "detail": _(
            "This step is taken through its own operation (votes, return visits).")}])
    db.session.commit()
    return case_body(case, user)


class PhotoUploadSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # other form fields are ignored, as the document says

    photos = ma.fields.List(Upload(), required=True, validate=ma.validate.Length(min=1),
                            metadata={"description": "JPEG, PNG or WebP photos"})


@blp.route("/cases/<int:case_id>/photos", methods=["POST"])
@blp.arguments(PhotoUploadSchema, location="files")
@blp.response(200, CaseSchema)
def add_photos(files, case_id: int):
    """Add photos to a case.

    Add photos (multipart/form-data, field ``photos``); they are checked by content and
    re-encoded without their EXIF/GPS data."""
    user = api_user()
    case = visible_case(case_id)
    if not policy.can_add_photos(user, case):
        raise ApiProblem(403)
    uploads = [f for f in files["photos"] if f.filename]
    limit = current_app.config["MAX_PHOTOS_PER_UPLOAD"]
    max_bytes = current_app.config["MAX_PHOTO_BYTES"]
    if not uploads or len(uploads) > limit:
        raise ApiProblem(422, errors=[{"parameter": "photos", "detail": _(
            "Send from 1 to %(n)d photos.", n=limit)}])
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append((upload.filename, clean_image(upload.read(max_bytes + 1), max_bytes)))
        except ImageRejected as exc:
            detail = _("%(name)s is too large a picture: at most %(n)d megapixels.",
                       name=upload.filename, n=MAX_PIXELS // 1_000_000) \
                if exc.reason == "pixels" else _(
                    "%(name)s is not a JPEG, PNG or WebP photo of at most %(mb)d MB.",
                    name=upload.filename, mb=max_bytes // (1024 * 1024))
            raise ApiProblem(422, errors=[{"parameter": "photos", "detail": detail}]) from exc
    operations.add_photos(case, user, cleaned)
    db.session.commit()
    return case_body(case, user)
