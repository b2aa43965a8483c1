"""Joint meetings through the API: read, roll call, minutes with revisions, sign, the PDF."""
from zoneinfo import ZoneInfo

import marshmallow as ma
from flask import Response, current_app, request

from tracker.api.auth import api_user
from tracker.api.base import annotate, api_blueprint, created
from tracker.api.meeting_schemas import (
    MeetingPageSchema,
    MeetingQuerySchema,
    MeetingSchema,
    MinutesSaveSchema,
    MinutesSchema,
    NewMeetingSchema,
    ReasonSchema,
    RollCallSchema,
    SignSchema,
)
from tracker.api.problems import ApiProblem
from tracker.auth import scope
from tracker.core.i18n import gettext as _
from tracker.core.images import ImageRejected
from tracker.extensions import db, limiter
from tracker.meetings import operations, policy, queries
from tracker.meetings import minutes as minutes_content
from tracker.meetings.drawing import NotPng, decode_drawing, not_png_message
from tracker.meetings.quorum import joint_quorum

blp = api_blueprint("api_meetings", "Joint meetings (联席会议): agenda, roll call, minutes, "
                                    "signatures and the signed PDF.")


def _meeting_body(meeting):
    revision = minutes_content.current_revision(meeting)
    return annotate(meeting, quorum=joint_quorum(meeting),
                 signatures=queries.valid_signatures(meeting),
                 minutes_revision=revision.number if revision else 0,
                 content_sha256=minutes_content.content_sha256(meeting),
                 document=queries.meeting_document(meeting))


def _visible(meeting_id: int):
    return queries.get_visible_meeting(api_user(), meeting_id)


def _managed(meeting_id: int):
    meeting = _visible(meeting_id)
    if not policy.can_manage_meeting(api_user(), meeting):
        raise ApiProblem(403)
    return meeting


@blp.route("/meetings")
@blp.arguments(MeetingQuerySchema, location="query", unknown=ma.RAISE)
@blp.response(200, MeetingPageSchema)
def meeting_list(args):
    """List meetings.

    The caller's meetings, newest first, 20 a page."""
    state = args["state"].value if args["state"] else ""
    page = queries.meeting_page(api_user(), state=state, page=args["page"], per_page=20)
    return {"items": page.meetings, "page": page.page, "has_next": page.has_next}


@blp.route("/meetings", methods=["POST"])
@blp.arguments(NewMeetingSchema)
@blp.response(201, MeetingSchema)
def create_meeting(values):
    """Plan a joint meeting.

    Plan a joint meeting of one community's compounds (their liaison cadre); numbered
    〔year〕第N期 within the community."""
    user = api_user()
    convenable = {c.id: c for c in policy.convenable_compounds(user)}
    compounds = []
    for index, compound_id in enumerate(dict.fromkeys(values["compound_ids"])):
        if compound_id not in convenable:
            raise ApiProblem(403 if scope.can_see_compound(user, compound_id) else 404)
        compounds.append(convenable[compound_id])
        if compounds[-1].community_id != compounds[0].community_id:
            raise ApiProblem(422, errors=[{"pointer": f"#/compound_ids/{index}", "detail": _(
                "A meeting belongs to one community: choose compounds of the same "
                "community.")}])
    people = {u.id: u for u in policy.chair_candidates(user, compounds)}
    chosen = {}
    for role in ("chair", "recorder"):
        person_id = values[f"{role}_id"] or user.id
        if person_id not in people:
            raise ApiProblem(422, errors=[{"pointer": f"#/{role}_id", "detail": _(
                "Not a member of a party of these compounds.")}])
        chosen[role] = people[person_id]
    zone = ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])
    meeting = operations.create_meeting(
        user, compounds[0].community, compounds, kind=values["kind"], title=values["title"],
        starts_at=values["starts_at"], place=values["place"], convener=user,
        chair=chosen["chair"], recorder=chosen["recorder"],
        year=values["starts_at"].astimezone(zone).year)
    db.session.commit()
    return created(_meeting_body(meeting), "api_meetings.meeting_detail", meeting_id=meeting.id)


@blp.route("/meetings/<int:meeting_id>/held", methods=["POST"])
@blp.response(200, MeetingSchema)
def mark_held(meeting_id: int):
    """Mark a meeting held.

    Mark the meeting held (the liaison cadre): only with every party of every covered
    compound present (409 otherwise). The minutes are written next."""
    meeting = _managed(meeting_id)
    operations.mark_held(meeting, api_user())
    db.session.commit()
    return _meeting_body(meeting)


@blp.route("/meetings/<int:meeting_id>/cancel", methods=["POST"])
@blp.arguments(ReasonSchema)
@blp.response(200, MeetingSchema)
def cancel(values, meeting_id: int):
    """Cancel a planned meeting.

    Cancel a planned meeting with a reason; its cases go back to be offered for the next."""
    meeting = _managed(meeting_id)
    operations.cancel_meeting(meeting, api_user(), values["reason"])
    db.session.commit()
    return _meeting_body(meeting)


@blp.route("/meetings/<int:meeting_id>")
@blp.response(200, MeetingSchema)
def meeting_detail(meeting_id: int):
    """Read a meeting.

    A meeting: agenda, roll call and quorum, signers, valid signatures, the current minutes
    revision and hash, and the signed PDF's record once issued."""
    return _meeting_body(_visible(meeting_id))


@blp.route("/meetings/<int:meeting_id>/attendance", methods=["PUT"])
@blp.arguments(RollCallSchema)
@blp.response(200, MeetingSchema)
def attendance(values, meeting_id: int):
    """Set the roll call.

    Set the roll call for the listed party members (the liaison cadre running the meeting).
    A change after signatures were given clears them."""
    meeting = _managed(meeting_id)
    parties = {membership.user_id: party.id
               for party, membership in queries.expected_people(meeting)}
    statuses = {}
    for index, entry in enumerate(values["entries"]):
        if entry["user_id"] not in parties:
            raise ApiProblem(422, errors=[{"pointer": f"#/entries/{index}/user_id", "detail": _(
                "Not a member of a party of the meeting's compounds.")}])
        statuses[entry["user_id"]] = (parties[entry["user_id"]], entry["status"])
    operations.record_attendance(meeting, api_user(), statuses)
    db.session.commit()
    return _meeting_body(meeting)


def _minutes_body(meeting):
    revision = minutes_content.current_revision(meeting)
    content = minutes_content.content_of(meeting, revision)
    order = [str(item.case_id) for item in meeting.agenda]
    keys = order + sorted((k for k in content["items"] if k not in order), key=int)
    return {"revision": revision.number if revision else 0,
            "author": revision.author if revision else None,
            "saved_at": revision.created_at if revision else None,
            "items": [{"case_id": int(key), **content["items"][key]} for key in keys],
            "other_business": content["other_business"],
            "content_sha256": minutes_content.content_sha256(meeting)}


@blp.route("/meetings/<int:meeting_id>/minutes")
@blp.response(200, MinutesSchema)
def minutes(meeting_id: int):
    """Read the current minutes.

    The current minutes: revision number, one item per agenda case, other business."""
    return _minutes_body(_visible(meeting_id))


@blp.route("/meetings/<int:meeting_id>/minutes", methods=["PUT"])
@blp.arguments(MinutesSaveSchema)
@blp.response(200, MinutesSchema)
def save_minutes(values, meeting_id: int):
    """Save the minutes as a new revision.

    Save the minutes as a new revision. ``base_revision`` is the revision edited from: if
    someone saved since, nothing is saved and the answer is 409 with ``current_revision``."""
    user = api_user()
    meeting = _visible(meeting_id)
    if not policy.can_edit_minutes(user, meeting):
        raise ApiProblem(403)
    on_agenda = {item.case_id for item in meeting.agenda}
    content = {"items": {str(case_id): minutes_content.blank_item() for case_id in on_agenda},
               "other_business": values["other_business"]}
    for index, item in enumerate(values["items"]):
        if item["case_id"] not in on_agenda:
            raise ApiProblem(422, errors=[{"pointer": f"#/items/{index}/case_id",
                                           "detail": _("The case is not on this meeting's "
                                                       "agenda.")}])
        entry = content["items"][str(item["case_id"])]
        for field in minutes_content.ITEM_FIELDS:
            entry[field] = item[field]
        entry["views"] = {kind: text for kind, text in item["views"].items() if text}
    if queries.valid_signatures(meeting) and not values["clear_signatures"]:
        raise ApiProblem(409, _("Signatures have been given: saving clears them. Send "
                                "clear_signatures: true to save anyway."))
    operations.save_minutes(meeting, user, base_revision=values["base_revision"],
                            content=content)
    db.session.commit()
    return _minutes_body(meeting)


@blp.route("/meetings/<int:meeting_id>/signatures", methods=["POST"])
@blp.arguments(SignSchema)
@blp.response(201, MeetingSchema)
@limiter.limit("10 per 15 minutes", key_func=lambda: f"api-sign:{api_user().id}")
def sign(values, meeting_id: int):
    """Sign the minutes.

    Sign the current minutes for the caller's party, confirming with the caller's password.
    ``content_sha256`` must be the hash the caller read. The last signature locks the minutes
    and issues the signed PDF."""
    user = api_user()
    meeting = _visible(meeting_id)
    if policy.required_signer_for(user, meeting) is None:
        raise ApiProblem(403)
    try:
        drawing = decode_drawing(values["drawing_png"])
    except NotPng as exc:
        raise ApiProblem(422, errors=[{"pointer": "#/drawing_png",
                                       "detail": str(not_png_message(exc))}]) from exc
    except ImageRejected as exc:
        raise ApiProblem(422, errors=[{"pointer": "#/drawing_png", "detail": _(
            "The drawn signature could not be read; please draw it again.")}]) from exc
    operations.sign_and_issue(meeting, user, password=values["password"],
                              client_address=request.remote_addr or "", drawing_png=drawing,
                              expected_sha256=values["content_sha256"])
    db.session.commit()
    return created(_meeting_body(meeting), "api_meetings.meeting_detail",
                   meeting_id=meeting.id)


@blp.route("/meetings/<int:meeting_id>/minutes.pdf")
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf",
              description="the signed minutes PDF, byte for byte as issued")
def minutes_pdf(meeting_id: int):
    """Download the signed minutes PDF.

    The signed minutes PDF (404 until all signatures are in)."""
    issued = queries.issued_minutes(api_user(), meeting_id)
    pdf = None if issued is None else queries.issued_pdf_bytes(meeting_id, issued.sha256)
    if pdf is None:
        raise ApiProblem(404)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{issued.file_name}"',
        "ETag": f'"{issued.sha256}"'})
