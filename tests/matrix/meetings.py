"""The route matrix's rows for meeting and verification routes (tests/test_route_matrix.py).

Out of scope → 404, in scope without the right → 403, anonymous → the login page (the
verification page is public).
"""
import base64
import io
from functools import cached_property

from tests.factories import PASSWORD, World, image_bytes, make_case
from tests.matrix import Scenario, Unchanged
from tests.meeting_factories import (
    held_meeting,
    planned_meeting,
    signed_meeting,
    take_roll_call,
)
from tracker.extensions import db
from tracker.meetings import operations
from tracker.meetings.minutes import content_sha256
from tracker.meetings.models import AttendanceStatus, ItemDisposal, Meeting, MinutesDocument

ROLES = ("anonymous", "liaison", "liaison_out", "owners_member", "property_rep", "official",
         "official_out", "admin")
TO_LOGIN = (302, r"/login(\?next=.*)?")
TO_MEETING = (302, r"/meetings/\d+(#\w+)?")
TO_ATTENDANCE = (302, r"/meetings/\d+/attendance")


class Targets:
    """Meetings in 德富花园, built only when a scenario needs them (a signed one renders a PDF)."""

    def __init__(self, world: World):
        self.world = world

    @cached_property
    def planned(self) -> Meeting:
        meeting = planned_meeting(self.world)
        operations.add_guest(meeting, self.world.liaison, "刘小华", "居民代表",
                             AttendanceStatus.non_voting)
        second = make_case(self.world.compound, self.world.liaison, title="中心花园杂草丛生")
        operations.add_to_agenda(meeting, second, self.world.liaison,
                                 expected_version=second.version)
        db.session.commit()
        return meeting

    @cached_property
    def spare_case(self) -> int:
        """A raised case of 德富花园 on no agenda yet."""
        return make_case(self.world.compound, self.world.liaison, title="楼道灯不亮").id

    @cached_property
    def attended(self) -> Meeting:
        """A planned meeting whose roll call has every party present."""
        meeting = planned_meeting(self.world)
        take_roll_call(meeting, self.world)
        return meeting

    @property
    def item(self) -> int:
        return self.planned.agenda[0].id

    @property
    def guest(self) -> int:
        return next(a.id for a in self.planned.attendance if not a.user_id)

    @cached_property
    def held(self) -> Meeting:
        return held_meeting(self.world)

    @cached_property
    def deferred(self) -> Meeting:
        """A held meeting whose item the liaison deferred."""
        meeting = held_meeting(self.world)
        operations.dispose_item(meeting, meeting.agenda[0], self.world.liaison,
                                ItemDisposal.deferred, "报价未到")
        db.session.commit()
        return meeting

    @cached_property
    def signed(self) -> Meeting:
        return signed_meeting(self.world)

    @cached_property
    def drawn_signature(self) -> tuple[int, int]:
        """(meeting, signature): a held meeting of its own, signed with a drawing by the owners'
        committee member (the other rows' held meeting stays unsigned)."""
        meeting = held_meeting(self.world)
        signature = operations.sign_minutes(
            meeting, self.world.owners_member, password=PASSWORD, client_address="127.0.0.1",
            drawing_png=image_bytes("PNG"), expected_sha256=content_sha256(meeting))
        db.session.commit()
        return meeting.id, signature.id

    @property
    def document_hash(self) -> str:
        assert self.signed is not None  # the document exists once the meeting is signed
        return db.session.scalar(db.select(MinutesDocument.content_sha256))



def expect(*answers) -> dict:
    return dict(zip(ROLES, answers))


def plan_form(t: Targets) -> dict:
    w = t.world
    return {"compounds": [str(w.compound.id)], "kind": "regular", "title": "停车问题",
            "starts_at": "2026-12-01T19:30", "place": "会议室", "chair": str(w.liaison.id),
            "recorder": str(w.liaison.id)}


def minutes_form(t: Targets) -> dict:
    key = str(t.held.agenda[0].case_id)
    return {"base_revision": "1", f"item-{key}-decision": "同意", "confirm_clear": "y"}


def sign_form(t: Targets) -> dict:
    return {"password": PASSWORD, "content_sha256": content_sha256(t.held),
            "drawing": "data:image/png;base64," + base64.b64encode(image_bytes("PNG")).decode()}


MANAGE = expect(TO_LOGIN, TO_MEETING, 404, 403, 403, 403, 404, 403)
VIEW = expect(TO_LOGIN, 200, 404, 200, 200, 200, 404, 200)
MANAGE_PAGE = expect(TO_LOGIN, 200, 404, 403, 403, 403, 404, 403)
PUBLIC = expect(*[200] * 8)

SCENARIOS: dict[str, Scenario] = {
    "meeting list": Scenario("meetings.meeting_list", "GET", lambda t: "/meetings/",
                             expect(TO_LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    "plan form": Scenario("meetings.new_meeting", "GET", lambda t: "/meetings/new",
                          expect(TO_LOGIN, 200, 200, 403, 403, 403, 403, 403)),
    # liaison_out may plan in their own community, but 德富花园 is not among their choices.
    "plan a meeting in 德富花园": Scenario(
        "meetings.new_meeting", "POST", lambda t: "/meetings/new",
        expect(TO_LOGIN, TO_MEETING, Unchanged(200), 403, 403, 403, 403, 403), data=plan_form),
    "meeting page": Scenario("meetings.meeting_detail", "GET",
                             lambda t: f"/meetings/{t.planned.id}", VIEW),
    "put on agenda": Scenario("meetings.agenda_add", "POST",
                              lambda t: f"/meetings/{t.planned.id}/agenda", MANAGE,
                              data=lambda t: {"case_id": str(t.spare_case)}),
    "reorder agenda": Scenario("meetings.agenda_move", "POST",
                               lambda t: f"/meetings/{t.planned.id}/agenda/{t.item}/move",
                               MANAGE, data=lambda t: {"direction": "down"}),
    "take off agenda form": Scenario(
        "meetings.agenda_remove", "GET",
        lambda t: f"/meetings/{t.planned.id}/agenda/{t.item}/remove", MANAGE_PAGE),
    "take off agenda": Scenario(
        "meetings.agenda_remove", "POST",
        lambda t: f"/meetings/{t.planned.id}/agenda/{t.item}/remove", MANAGE,
        data=lambda t: {"reason": "延期"}),
    "item outcome form": Scenario(
        "meetings.item_disposal", "GET",
        lambda t: f"/meetings/{t.held.id}/agenda/{t.held.agenda[0].id}/outcome", MANAGE_PAGE),
    "record an item's outcome": Scenario(
        "meetings.item_disposal", "POST",
        lambda t: f"/meetings/{t.held.id}/agenda/{t.held.agenda[0].id}/outcome", MANAGE,
        data=lambda t: {"disposal": "deferred", "note": "报价未到"}),
    "withdraw an item's outcome": Scenario(
        "meetings.item_disposal_withdraw", "POST",
        lambda t: f"/meetings/{t.deferred.id}/agenda/{t.deferred.agenda[0].id}/outcome/withdraw",
        MANAGE),
    "roll call page": Scenario("meetings.attendance", "GET",
                               lambda t: f"/meetings/{t.planned.id}/attendance", MANAGE_PAGE),
    "save roll call": Scenario(
        "meetings.attendance", "POST", lambda t: f"/meetings/{t.planned.id}/attendance",
        expect(TO_LOGIN, TO_ATTENDANCE, 404, 403, 403, 403, 404, 403),
        data=lambda t: {"roll-submit": "1", f"status-{t.world.owners_member.id}": "present"}),
    "remove a guest": Scenario(
        "meetings.guest_remove", "POST",
        lambda t: f"/meetings/{t.planned.id}/attendance/guests/{t.guest}/remove",
        expect(TO_LOGIN, TO_ATTENDANCE, 404, 403, 403, 403, 404, 403)),
    "mark held": Scenario("meetings.mark_held", "POST",
                          lambda t: f"/meetings/{t.attended.id}/held", MANAGE),
    "change time form": Scenario("meetings.retime", "GET",
                                 lambda t: f"/meetings/{t.planned.id}/time", MANAGE_PAGE),
    "change time": Scenario("meetings.retime", "POST", lambda t: f"/meetings/{t.planned.id}/time",
                            MANAGE, data=lambda t: {"starts_at": "2026-11-20T18:30"}),
    "cancel form": Scenario("meetings.cancel", "GET",
                            lambda t: f"/meetings/{t.planned.id}/cancel", MANAGE_PAGE),
    "cancel": Scenario("meetings.cancel", "POST", lambda t: f"/meetings/{t.planned.id}/cancel",
                       MANAGE, data=lambda t: {"reason": "台风"}),
    "minutes form": Scenario("meetings.minutes_edit", "GET",
                             lambda t: f"/meetings/{t.held.id}/minutes", MANAGE_PAGE),
    "save minutes": Scenario("meetings.minutes_edit", "POST",
                             lambda t: f"/meetings/{t.held.id}/minutes", MANAGE,
                             data=minutes_form),
    "minutes history": Scenario("meetings.minutes_history", "GET",
                                lambda t: f"/meetings/{t.held.id}/minutes/history", VIEW),
    "signers page": Scenario("meetings.signers", "GET",
                             lambda t: f"/meetings/{t.held.id}/signers", MANAGE_PAGE),
    # "Nobody" for parties that were present is refused: their signatures are required.
    "choose nobody to sign": Scenario(
        "meetings.signers", "POST", lambda t: f"/meetings/{t.held.id}/signers",
        expect(TO_LOGIN, 400, 404, 403, 403, 403, 404, 403),
        data=lambda t: {f"signer-{p.id}": "" for p in t.world.compound.parties}),
    # Only the required representatives sign: here the owners' committee and property members.
    "sign page": Scenario("meetings.sign", "GET", lambda t: f"/meetings/{t.held.id}/sign",
                          expect(TO_LOGIN, 403, 404, 200, 200, 403, 404, 403)),
    "sign": Scenario("meetings.sign", "POST", lambda t: f"/meetings/{t.held.id}/sign",
                     expect(TO_LOGIN, 403, 404, TO_MEETING, TO_MEETING, 403, 404, 403),
                     data=sign_form),
    "drawn signature": Scenario(
        "meetings.signature_drawing", "GET",
        lambda t: "/meetings/{}/signatures/{}.png".format(*t.drawn_signature), VIEW),
    "signed PDF": Scenario("meetings.minutes_pdf", "GET",
                           lambda t: f"/meetings/{t.signed.id}/minutes.pdf", VIEW),
    "print view": Scenario("meetings.minutes_print", "GET",
                           lambda t: f"/meetings/{t.signed.id}/print", VIEW),
    "verification page": Scenario("verify.upload", "GET", lambda t: "/verify/", PUBLIC),
    # Verifying only reads.
    "verify an upload": Scenario(
        "verify.upload", "POST", lambda t: "/verify/", expect(*[Unchanged(200)] * 8),
        data=lambda t: {"pdf": (io.BytesIO(b"%PDF-1.7 not really"), "x.pdf")}),
    "QR code target": Scenario("verify.by_hash", "GET",
                               lambda t: f"/verify/{t.document_hash}", PUBLIC),
}
