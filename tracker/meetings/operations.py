"""The only code that changes meetings. Every function flushes, audits, and never commits."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker.audit.operations import log
from tracker.auth.models import User
from tracker.cases.models import Case, CaseState
from tracker.cases.workflow import Action, TransitionRefused, register_guard, transition
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.templating import localtime, series
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.meetings import issuing, queries
from tracker.meetings import minutes as minutes_content
from tracker.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ItemDisposal,
    Meeting,
    MeetingKind,
    MeetingState,
    MinutesRevision,
    RequiredSigner,
    Signature,
)
from tracker.meetings.outcomes import recorded_outcome
from tracker.meetings.policy import required_signer_for
from tracker.meetings.quorum import joint_quorum
from tracker.places.models import Community, Compound, Party


class MeetingRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class MeetingChanged(MeetingRefused):
    def __init__(self):
        super().__init__(_l("This meeting was changed by someone else in the meantime. "
                            "Please look at its current state and try again."))


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise MeetingChanged() from exc


def _touch(meeting: Meeting) -> None:
    meeting.updated_at = utcnow()


def _require_state(meeting: Meeting, *states: MeetingState) -> None:
    if meeting.state not in states:
        raise MeetingRefused(_l("This is not possible while the meeting is in this state."))


# --- the case workflow's guards for meeting steps -------------------------------------------

def _agenda_guard(case: Case, _actor: User, context: dict) -> None:
    """put_on_agenda: the meeting is planned, not yet held, and covers the case's compound."""
    meeting = context.get("meeting")
    if meeting is None or meeting.state != MeetingState.planned:
        raise TransitionRefused(_l("Cases can only be put on the agenda of a planned meeting."))
    if case.compound_id not in {c.id for c in meeting.compounds}:
        raise TransitionRefused(_l("The meeting does not cover this case's compound."))


def _carry_over_guard(case: Case, _actor: User, context: dict) -> None:
    meeting = context.get("meeting")
    if meeting is None or not context.get("closing"):
        raise TransitionRefused(_l("Cases are carried over only when their meeting closes."))


def _conclude_guard(case: Case, _actor: User, context: dict) -> None:
    item = context.get("item")
    if item is None or not context.get("closing") or item.disposal is not ItemDisposal.no_decision:
        raise TransitionRefused(_l("A case is concluded without a decision only by the issued "
                                   "minutes of a meeting that recorded so."))


register_guard(Action.put_on_agenda, _agenda_guard)
register_guard(Action.carry_over, _carry_over_guard)
register_guard(Action.conclude_without_decision, _conclude_guard)


# --- planning ----------------------------------------------------------------------------------

def create_meeting(actor: User, community: Community, compounds: list[Compound], *,
                   kind: MeetingKind, title: str, starts_at: datetime, place: str,
                   convener: User, chair: User, recorder: User, year: int) -> Meeting:
    """Plan a meeting numbered 〔year〕第N期 within its community."""
    for _attempt in range(5):
        seq = (db.session.scalar(select(func.max(Meeting.seq)).where(
            Meeting.community_id == community.id, Meeting.year == year)) or 0) + 1
        meeting = Meeting(community=community, compounds=list(compounds), year=year, seq=seq,
                          kind=kind, title=title, starts_at=starts_at, place=place,
                          convener=convener, chair=chair, recorder=recorder,
                          created_by_id=actor.id, state=MeetingState.planned)
        try:
            with db.session.begin_nested():
                db.session.add(meeting)
                db.session.flush()
        except IntegrityError:
            continue
        break
    else:  # pragma: no cover
        raise RuntimeError("could not allocate a meeting number")
    log(actor, "meeting", meeting.id, "create", to_state=MeetingState.planned,
        data={"number": meeting.number, "compounds": [c.id for c in compounds]})
    return meeting


def add_to_agenda(meeting: Meeting, case: Case, actor: User, *, expected_version: int) -> None:
    _require_state(meeting, MeetingState.planned)
    transition(case, Action.put_on_agenda, actor, expected_version=expected_version,
               context={"meeting": meeting})
    position = max((i.position for i in meeting.agenda), default=0) + 1
    meeting.agenda.append(AgendaItem(case=case, position=position))
    _touch(meeting)
    log(actor, "meeting", meeting.id, "agenda_add", data={"case": case.number})
    _flush()


def remove_from_agenda(meeting: Meeting, item: AgendaItem, actor: User, reason: str) -> None:
    """Take a case off the agenda (or defer it) with a reason; the case goes back to raised."""
    _require_state(meeting, MeetingState.planned, MeetingState.held)
    case = item.case
    if case.state == CaseState.meeting:
        transition(case, Action.take_off_agenda, actor, expected_version=case.version,
                   reason=reason, context={"meeting_id": meeting.id})
    meeting.agenda.remove(item)
    for position, remaining in enumerate(meeting.agenda, start=1):
        remaining.position = position
    _touch(meeting)
    _invalidate_signatures(meeting, actor)
    log(actor, "meeting", meeting.id, "agenda_remove", note=reason, data={"case": case.number})
    _flush()


def move_agenda_item(meeting: Meeting, item: AgendaItem, actor: User, step: int) -> None:
    _require_state(meeting, MeetingState.planned)
    items = list(meeting.agenda)
    index = items.index(item)
    target = index + step
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position
    _touch(meeting)
    log(actor, "meeting", meeting.id, "agenda_reorder",
        data={"order": [i.case.number for i in items]})
    _flush()


# --- attendance --------------------------------------------------------------------------------

def record_attendance(meeting: Meeting, actor: User,
                      statuses: dict[int, tuple[int, AttendanceStatus | None]]) -> None:
    """Set the roll call: ``statuses`` maps user id → (party id, status or None to clear)."""
    _require_state(meeting, MeetingState.planned, MeetingState.held)
    by_user = {a.user_id: a for a in meeting.attendance if a.user_id}
    changed = {}
    for user_id, (party_id, status) in statuses.items():
        line = by_user.get(user_id)
        if status is None:
            if line is not None:
                meeting.attendance.remove(line)
                changed[user_id] = None
        elif line is None:
            meeting.attendance.append(Attendance(user_id=user_id, party_id=party_id,
                                                 status=status))
            changed[user_id] = status.value
        elif line.status != status:
            line.status = status
            changed[user_id] = status.value
    if changed:
        _touch(meeting)
        _invalidate_signatures(meeting, actor)
        log(actor, "meeting", meeting.id, "attendance", data={"changed": changed})
    _flush()


def add_guest(meeting: Meeting, actor: User, name: str, unit: str,
              status: AttendanceStatus) -> None:
    _require_state(meeting, MeetingState.planned, MeetingState.held)
    meeting.attendance.append(Attendance(guest_name=name, guest_unit=unit, status=status))
    _touch(meeting)
    _invalidate_signatures(meeting, actor)
    log(actor, "meeting", meeting.id, "attendance_guest", data={"name": name, "unit": unit})
    _flush()


def remove_guest(meeting: Meeting, actor: User, line: Attendance) -> None:
    _require_state(meeting, MeetingState.planned, MeetingState.held)
    meeting.attendance.remove(line)
    _touch(meeting)
    _invalidate_signatures(meeting, actor)
    log(actor, "meeting", meeting.id, "attendance_guest_remove", data={"name": line.guest_name})
    _flush()


# --- holding, cancelling -----------------------------------------------------------------------

def mark_held(meeting: Meeting, actor: User) -> None:
    """:raise MeetingRefused: before the meeting's start time, or without a three-party quorum
    (DESIGN §4)."""
    _require_state(meeting, MeetingState.planned)
    if utcnow() < meeting.starts_at:
        # The minutes and the register state when the meeting was held; a meeting that really
        # began early is re-timed first (retime_meeting), which the audit trail records.
        raise MeetingRefused(_l(
            "The meeting is planned for %(start)s and cannot be marked held before then. If it "
            "really began earlier, change its time to when it began first.",
            start=localtime(meeting.starts_at)))
    quorum = joint_quorum(meeting)
    if not quorum.reached:
        missing = "、".join(quorum.missing_parties)
        raise MeetingRefused(_l("The meeting cannot be marked held: no representative present "
                                "for %(parties)s.", parties=missing))
    meeting.state = MeetingState.held
    meeting.held_at = utcnow()
    _default_signers(meeting)
    log(actor, "meeting", meeting.id, "held", from_state=MeetingState.planned,
        to_state=MeetingState.held)
    _flush()


def retime_meeting(meeting: Meeting, actor: User, starts_at: datetime) -> None:
    """Move a planned meeting to another time (also to when it really began, if that was
    earlier than planned); audited with both times."""
    _require_state(meeting, MeetingState.planned)
    before, starts_at = meeting.starts_at, starts_at.astimezone(timezone.utc)
    if starts_at == before:
        return
    meeting.starts_at = starts_at
    _touch(meeting)
    log(actor, "meeting", meeting.id, "retimed",
        data={"from": before.isoformat(), "to": starts_at.isoformat()})
    _flush()


def _default_signers(meeting: Meeting) -> None:
    """One representative per party: the highest-ranking member present (chair first)."""
    present = {a.user_id for a in meeting.attendance
               if a.user_id and a.status == AttendanceStatus.present}
    chosen = {r.party_id for r in meeting.required_signers}
    rank = {"chair": 0, "manager": 1, "vice_chair": 2}
    for party, membership in sorted(queries.expected_people(meeting),
                                    key=lambda pm: rank.get(pm[1].role.value, 9)):
        if party.id not in chosen and membership.user_id in present:
            meeting.required_signers.append(RequiredSigner(party_id=party.id,
                                                           user_id=membership.user_id))
            chosen.add(party.id)


class SignersRefused(MeetingRefused):
    """Choices of signers that break the rule, nothing saved; ``problems`` maps a party's id to
    what is wrong with the choice for it."""

    def __init__(self, problems: dict[int, object]):
        super().__init__(_l("Nothing was saved: please correct the choices marked below."))
        self.problems = problems


def _signer_problem(party: Party, user_id: int | None, *, present: set[int],
                    members: set[tuple[int, int]]):
    """What is wrong with ``user_id`` signing for ``party`` (None: nobody), or None."""
    if user_id is None:
        if party.id in present:
            return _l("%(party)s was present at the meeting: choose who signs the minutes for "
                      "it.", party=party.name)
        return None
    if (party.id, user_id) not in members:
        return _l("Only a member of %(party)s can sign for it: choose one of its members from "
                  "the list.", party=party.name)
    return None


def _signer_id(meeting: Meeting, party: Party) -> int | None:
    return next((r.user_id for r in meeting.required_signers if r.party_id == party.id), None)


def choose_signers(meeting: Meeting, actor: User, chosen: dict[Party, int | None]) -> None:
    """Set who signs the minutes for each party: a member of that party, or nobody for a party
    nobody attended. Either every choice is saved or none is.

    :param chosen: party → the id of the member who signs for it, or None for nobody; a party
        left out keeps its signer.
    :raise SignersRefused: a choice for a party is not one of its members, or nobody is chosen
        for a party present at the meeting (every party at the table signs, DESIGN §4).
    """
    _require_state(meeting, MeetingState.held)
    people = queries.expected_people(meeting)
    members = {(party.id, membership.user_id) for party, membership in people}
    users = {membership.user_id: membership.user for _party, membership in people}
    present = queries.present_party_ids(meeting, people)
    problems = {party.id: problem for party, user_id in chosen.items()
                if (problem := _signer_problem(party, user_id, present=present,
                                               members=members)) is not None}
    if problems:
        raise SignersRefused(problems)
    changed = {party: users[user_id] if user_id is not None else None
               for party, user_id in chosen.items() if _signer_id(meeting, party) != user_id}
    if not changed:
        return
    _touch(meeting)
    _invalidate_signatures(meeting, actor)
    for party, user in changed.items():
        current = next((r for r in meeting.required_signers if r.party_id == party.id), None)
        if user is None:
            meeting.required_signers.remove(current)
        elif current is None:
            meeting.required_signers.append(RequiredSigner(party_id=party.id, user_id=user.id))
        else:
            current.user_id = user.id
        log(actor, "meeting", meeting.id, "signers",
            data={"party": party.name, "user": user.name if user else None})
    _flush()


def set_required_signer(meeting: Meeting, actor: User, party: Party, user: User | None) -> None:
    """Set who signs for one party, as :func:`choose_signers` does.

    :raise MeetingRefused: as :func:`choose_signers`.
    """
    choose_signers(meeting, actor, {party: user.id if user is not None else None})


def cancel_meeting(meeting: Meeting, actor: User, reason: str) -> None:
    _require_state(meeting, MeetingState.planned)
    _carry_over_undecided(meeting, actor)
    meeting.state = MeetingState.cancelled
    meeting.cancel_reason = reason
    log(actor, "meeting", meeting.id, "cancel", from_state=MeetingState.planned,
        to_state=MeetingState.cancelled, note=reason)
    _flush()


def _carry_over_undecided(meeting: Meeting, actor: User) -> None:
    """As the minutes issue (or the meeting is cancelled): each case still waiting on the
    meeting goes to the next one, or ends where the meeting found no decision needed — the
    timeline says so in the minutes' words."""
    for item in meeting.agenda:
        if item.case.state != CaseState.meeting:
            continue
        action = Action.conclude_without_decision \
            if item.disposal is ItemDisposal.no_decision else Action.carry_over
        transition(item.case, action, actor, expected_version=None,
                   reason=f"{meeting.number}：{recorded_outcome(item).said_zh()}",
                   context={"meeting": meeting, "item": item, "closing": True})


# --- an item's outcome without a resolution ----------------------------------------------------

def dispose_item(meeting: Meeting, item: AgendaItem, actor: User, disposal: ItemDisposal,
                 note: str) -> None:
    """Record at the held meeting that an item is deferred to the next meeting, or needs no
    decision; the case moves when the minutes issue. The minutes print it as the item's 议定,
    so signatures collected so far are asked again.

    :raise MeetingRefused: the meeting is not held, the item already has a resolution (its vote
        decides it) or a record (withdraw it first), or the note is missing for "no decision".
    """
    _require_state(meeting, MeetingState.held)
    if item.case.state != CaseState.meeting:
        raise MeetingRefused(_l("A resolution was proposed on this item: its vote decides it, "
                                "so it cannot also be deferred or marked as needing no "
                                "decision."))
    if item.disposal is not None:
        raise MeetingRefused(_l("This item's outcome is already recorded; withdraw that record "
                                "first."))
    note = note.strip()
    if disposal is ItemDisposal.no_decision and not note:
        raise MeetingRefused(_l("Please say why no decision is needed."))
    item.disposal, item.disposal_note = disposal, note
    _touch(meeting)
    _invalidate_signatures(meeting, actor)
    log(actor, "meeting", meeting.id, "item_disposed", note=note,
        data={"case": item.case.number, "disposal": disposal.value})
    _flush()


def withdraw_disposal(meeting: Meeting, item: AgendaItem, actor: User) -> None:
    """Take back a deferral or "no decision needed" at the held meeting (before a resolution
    is proposed on the item instead).

    :raise MeetingRefused: the meeting is not held, or nothing is recorded on the item.
    """
    _require_state(meeting, MeetingState.held)
    if item.disposal is None:
        raise MeetingRefused(_l("Nothing is recorded on this item."))
    was = item.disposal
    item.disposal, item.disposal_note = None, ""
    _touch(meeting)
    _invalidate_signatures(meeting, actor)
    log(actor, "meeting", meeting.id, "item_disposal_withdrawn",
        data={"case": item.case.number, "disposal": was.value})
    _flush()


# --- minutes -----------------------------------------------------------------------------------

class MinutesConflict(Exception):
    """A save made against an outdated revision; both texts go back to the page.

    Read :attr:`current` after rolling back: when two saves raced, the database refused the
    second one's revision number, and its transaction can be used again only after a rollback.
    """

    def __init__(self, meeting: Meeting):
        super().__init__("the minutes were saved since the revision edited")
        self.meeting = meeting

    @property
    def current(self) -> MinutesRevision:
        return minutes_content.current_revision(self.meeting)


def save_minutes(meeting: Meeting, actor: User, *, base_revision: int, content: dict) -> \
        MinutesRevision:
    """Store a new revision unless someone saved since ``base_revision``.

    :raise MinutesConflict: with the newer revision.
    """
    _require_state(meeting, MeetingState.held)
    current = minutes_content.current_revision(meeting)
    current_number = current.number if current else 0
    if base_revision != current_number:
        raise MinutesConflict(meeting)
    revision = MinutesRevision(meeting_id=meeting.id, number=current_number + 1,
                               content=content, author_id=actor.id)
    db.session.add(revision)
    _touch(meeting)
    _invalidate_signatures(meeting, actor)
    log(actor, "meeting", meeting.id, "minutes_save", data={"revision": revision.number})
    try:
        _flush()
    except IntegrityError as exc:  # another save took the same number at the same moment
        raise MinutesConflict(meeting) from exc
    return revision


def _invalidate_signatures(meeting: Meeting, actor: User) -> None:
    """Any change to what was signed voids every signature collected so far (DESIGN §4)."""
    # No autoflush: the meeting was just touched, and flushing it here would surface a
    # concurrent change as a bare StaleDataError instead of MeetingChanged from _flush().
    with db.session.no_autoflush:
        signatures = queries.valid_signatures(meeting)
    if not signatures:
        return
    now = utcnow()
    for signature in signatures:
        signature.invalidated_at = now
    log(actor, "meeting", meeting.id, "signatures_cleared",
        data={"signers": [s.user_id for s in signatures]})


def decisions_changed(meeting: Meeting, actor: User | None) -> None:
    """A resolution was proposed at the meeting, or its vote opened or closed, while its minutes
    are being signed: the minutes now say otherwise (they print each item's decision from its
    vote), so the signatures collected so far are asked again."""
    if meeting.state is MeetingState.held:
        _invalidate_signatures(meeting, actor)


# --- signing -----------------------------------------------------------------------------------

def sign_minutes(meeting: Meeting, actor: User, *, password: str, client_address: str,
                 drawing_png: bytes | None, expected_sha256: str) -> Signature:
    """Sign the current minutes for the actor's party.

    :param expected_sha256: the content hash the signer's page showed; a change since then
        refuses the signature so nobody signs text they have not seen.
    :raise MeetingRefused: not a required signer, wrong password, already signed, no minutes,
        or the minutes changed.
    """
    if meeting.state is MeetingState.planned:
        raise MeetingRefused(_l("The meeting has not been held yet: its minutes cannot be "
                                "signed before it is marked held."))
    _require_state(meeting, MeetingState.held)
    required = required_signer_for(actor, meeting)
    if required is None:
        raise MeetingRefused(_l("You are not a representative required to sign these minutes."))
    if not actor.check_password(password):
        raise MeetingRefused(_l("The password is wrong; the minutes were not signed."))
    if minutes_content.current_revision(meeting) is None:
        raise MeetingRefused(_l("There are no minutes to sign yet."))
    sha = minutes_content.content_sha256(meeting)
    if sha != expected_sha256:
        raise MeetingRefused(_l("The minutes changed while you were reading them. "
                                "Please read the current text and sign again."))
    if any(s.party_id == required.party_id for s in queries.valid_signatures(meeting)):
        raise MeetingRefused(_l("These minutes are already signed for your party."))
    signature = Signature(meeting_id=meeting.id, party_id=required.party_id, user_id=actor.id,
                          revision_number=minutes_content.current_revision(meeting).number,
                          content_sha256=sha, client_address=client_address[:64],
                          drawing_png=drawing_png)
    db.session.add(signature)
    _touch(meeting)
    log(actor, "meeting", meeting.id, "sign", data={"party": required.party.name,
                                                    "sha256": sha})
    _flush()
    return signature


def lock_minutes(meeting: Meeting, actor: User) -> None:
    """All signatures are in: lock, carry undecided cases over, and issue the signed PDF.

    The PDF is rendered, signed and stored in the same transaction as the lock, so the minutes
    are never locked without their document, nor a document issued for unlocked minutes.

    :raise MeetingRefused: the meeting is not held; a party present at the meeting has no signer
        chosen, or one who is not its member; a chosen signer has not signed the current
        minutes; or the PDF could not be produced (the caller rolls back, so the last signature
        is not kept).
    """
    _require_state(meeting, MeetingState.held)
    # Read again from the roll call, the memberships and the signatures, whatever the chosen
    # signers say: minutes of three parties never issue with one of them left out.
    missing = queries.sign_off(meeting)
    if missing.unassigned:
        raise MeetingRefused(_l(
            "The minutes cannot be issued: nobody is chosen to sign for %(parties)s, which "
            "attended the meeting.", parties=series(p.name for p in missing.unassigned)))
    if missing.outsiders:
        raise MeetingRefused(_l(
            "The minutes cannot be issued: the person chosen to sign for %(parties)s is not a "
            "member of that party.", parties=series(p.name for p in missing.outsiders)))
    if missing.unsigned or not meeting.required_signers:
        raise MeetingRefused(_l("Not every required representative has signed yet."))
    _carry_over_undecided(meeting, actor)
    meeting.state = MeetingState.signed
    meeting.signed_at = utcnow()
    log(actor, "meeting", meeting.id, "signed", from_state=MeetingState.held,
        to_state=MeetingState.signed)
    _flush()
    try:
        issuing.issue_minutes_pdf(meeting)
    except Exception as exc:  # noqa: BLE001 - any renderer or signer failure
        raise MeetingRefused(_l("The minutes PDF could not be produced, so the last signature "
                                "was not saved. Please tell your administrator.")) from exc


def sign_and_issue(meeting: Meeting, signer: User, *, password: str, client_address: str,
                   drawing_png: bytes | None, expected_sha256: str) -> bool:
    """Sign the current minutes for the signer's party; the last required signature also locks
    the minutes and issues the signed PDF. The signing page and the API both sign through here.

    :return: whether this signature completed the minutes, so they are locked and issued.
    :raise MeetingRefused: as :func:`sign_minutes` and :func:`lock_minutes`; nothing is to be
        kept then, the caller rolls back.
    """
    sign_minutes(meeting, signer, password=password, client_address=client_address,
                 drawing_png=drawing_png, expected_sha256=expected_sha256)
    if not queries.all_signed(meeting):
        return False
    lock_minutes(meeting, signer)
    return True
