"""Scoped reads of meetings."""
import hashlib
from dataclasses import dataclass

from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from tracker.auth.models import Membership, User
from tracker.auth.scope import VISIBLE_TO_PARAM_USER
from tracker.cases.models import Case, CaseState
from tracker.core.cache import peek_shared, share
from tracker.extensions import db
from tracker.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    Meeting,
    MeetingState,
    MinutesDocument,
    RequiredSigner,
    Signature,
    meeting_compounds,
)
from tracker.meetings.policy import visible_meeting_ids
from tracker.places.models import DOCUMENT_ORDER, Compound, Party


def visible_meetings(user: User):
    query = select(Meeting)
    if not user.is_admin:
        query = query.where(Meeting.id.in_(visible_meeting_ids(user)))
    return query


def get_visible_meeting(user: User, meeting_id: int, *, options=()) -> Meeting:
    meeting = db.session.scalar(visible_meetings(user).where(Meeting.id == meeting_id)
                                .options(*options))
    if meeting is None:
        abort(404)
    return meeting


# What the meeting page shows, loaded with the meeting: its people, each agenda item's case,
# the covered compounds' parties, the roll call and the signers, whatever their number.
FOR_THE_PAGE = (
    joinedload(Meeting.convener), joinedload(Meeting.chair), joinedload(Meeting.recorder),
    joinedload(Meeting.community),
    selectinload(Meeting.compounds).selectinload(Compound.parties),
    selectinload(Meeting.agenda).joinedload(AgendaItem.case),
    selectinload(Meeting.attendance),
    selectinload(Meeting.required_signers).options(joinedload(RequiredSigner.party),
                                                   joinedload(RequiredSigner.user)),
)


@dataclass
class MeetingPage:
    meetings: list[Meeting]
    page: int
    has_next: bool


def meeting_page(user: User, *, state: str = "", page: int = 1, per_page: int = 20) -> MeetingPage:
    query = visible_meetings(user).options(selectinload(Meeting.compounds),
                                           selectinload(Meeting.community))
    if state:
        query = query.where(Meeting.state == MeetingState(state))
    # An edited URL may ask for any page; the offset must stay a number the database can take.
    page = min(max(1, page), 1_000_000)
    rows = list(db.session.scalars(query.order_by(Meeting.starts_at.desc(), Meeting.id.desc())
                                   .limit(per_page + 1).offset((page - 1) * per_page)))
    return MeetingPage(rows[:per_page], page, len(rows) > per_page)


# The agenda menu lists this many raised cases at most (carried over first, then the oldest): a
# compound with years of backlog would otherwise send thousands of options with the page.
AGENDA_CHOICES_MAX = 200


def agenda_candidates(meeting: Meeting, limit: int | None = None) -> list:
    """(id, number, title, carried_over) of raised cases of the covered compounds; those
    carried over from a meeting first, then the oldest."""
    return db.session.execute(
        select(Case.id, Case.number, Case.title, Case.carried_over)
        .where(Case.compound_id.in_([c.id for c in meeting.compounds]),
               Case.state == CaseState.raised)
        .order_by(Case.carried_over.desc(), Case.raised_at, Case.id)
        .limit(limit or AGENDA_CHOICES_MAX)).all()


def agenda_candidate(meeting: Meeting, case_id) -> Case | None:
    """The case if it may go on the meeting's agenda now (raised, in a covered compound)."""
    if not isinstance(case_id, int) or not 0 < case_id < 2**31:
        return None
    return db.session.scalar(select(Case).where(
        Case.id == case_id, Case.compound_id.in_([c.id for c in meeting.compounds]),
        Case.state == CaseState.raised))


def expected_people(meeting: Meeting) -> list[tuple[Party, Membership]]:
    """Every member of every party of the covered compounds, for the roll call."""
    ids = [c.id for c in meeting.compounds]
    rows = db.session.execute(
        select(Party, Membership).join(Membership, Membership.party_id == Party.id)
        .where(Party.compound_id.in_(ids)).order_by(Party.compound_id, Party.kind,
                                                   Membership.id)).all()
    return [(party, membership) for party, membership in rows]


def valid_signatures(meeting: Meeting) -> list[Signature]:
    """The signatures given on the current minutes, in the order they were given (a change to
    what was signed voids the earlier ones)."""
    return list(db.session.scalars(select(Signature).where(
        Signature.meeting_id == meeting.id, Signature.invalidated_at.is_(None))
        .order_by(Signature.id)))


def present_party_ids(meeting: Meeting, people: list[tuple[Party, Membership]] | None = None) \
        -> set[int]:
    """The parties with at least one member present in the roll call, counted as the quorum
    counts them (one person may sit for two parties). ``people``: :func:`expected_people`, if
    already read."""
    present = {a.user_id for a in meeting.attendance
               if a.user_id and a.status == AttendanceStatus.present}
    return {party.id for party, membership in people or expected_people(meeting)
            if membership.user_id in present}


@dataclass(frozen=True)
class SignOff:
    """What stands between the minutes and their issue, party by party (DESIGN §4: every party
    at the table signs). Each list holds parties in the documents' order."""
    unassigned: list[Party]   # present at the meeting, but nobody chosen to sign for it
    outsiders: list[Party]    # the person chosen to sign for it is not its member
    unsigned: list[Party]     # its chosen signer has not signed the current minutes

    @property
    def complete(self) -> bool:
        return not (self.unassigned or self.outsiders or self.unsigned)


def sign_off(meeting: Meeting) -> SignOff:
    """Read from the roll call, the memberships and the signatures as they are now, whatever
    the chosen signers say: a party present with nobody chosen to sign for it is missing, not a
    party that does not sign."""
    people = expected_people(meeting)
    parties = {party.id: party for party, _membership in people}
    members = {(party.id, membership.user_id) for party, membership in people}
    present = present_party_ids(meeting, people)
    signed = {(s.party_id, s.user_id) for s in valid_signatures(meeting)}
    chosen = {r.party_id: r for r in meeting.required_signers}

    def ordered(found):
        return sorted(found, key=lambda p: (p.compound_id, DOCUMENT_ORDER[p.kind], p.id))

    return SignOff(
        unassigned=ordered(parties[i] for i in parties if i in present and i not in chosen),
        outsiders=ordered(r.party for r in chosen.values()
                          if (r.party_id, r.user_id) not in members),
        unsigned=ordered(r.party for r in chosen.values()
                         if (r.party_id, r.user_id) not in signed))


def all_signed(meeting: Meeting) -> bool:
    """The minutes may issue: every party present at the meeting has a signer among its
    members, every chosen signer has signed the current minutes, and at least one has."""
    return bool(meeting.required_signers) and sign_off(meeting).complete


def meeting_document(meeting: Meeting) -> MinutesDocument | None:
    """The issued minutes PDF's record, if the minutes have been issued."""
    return db.session.scalar(select(MinutesDocument).where(
        MinutesDocument.meeting_id == meeting.id))


@dataclass(frozen=True)
class IssuedMinutes:
    """What the download of an issued minutes PDF needs before its bytes."""
    sha256: str
    file_name: str


# The most fetched file: its statement is built once, with the person's scope as the ordinary
# subquery of their compounds (tracker.auth.scope), and run with their id.
_ISSUED = (select(MinutesDocument.pdf_sha256, Meeting.community_id, Meeting.year, Meeting.seq)
           .join(Meeting, Meeting.id == MinutesDocument.meeting_id)
           .where(MinutesDocument.meeting_id == bindparam("meeting_id")))
_ISSUED_IN_SIGHT = _ISSUED.where(MinutesDocument.meeting_id.in_(
    select(meeting_compounds.c.meeting_id)
    .where(meeting_compounds.c.compound_id.in_(VISIBLE_TO_PARAM_USER))))


def issued_minutes(user: User, meeting_id: int) -> IssuedMinutes | None:
    """The issued minutes of a meeting the person may see, or ``None`` (out of sight, missing,
    or not yet signed by all)."""
    found = db.session.execute(_ISSUED if user.is_admin else _ISSUED_IN_SIGHT,
                               {"meeting_id": meeting_id, "user_id": user.id}).first()
    if found is None:
        return None
    sha256, community_id, year, seq = found
    return IssuedMinutes(sha256, f"minutes-{community_id}-{year}-{seq}.pdf")


# An issued PDF never changes (re-issuing makes new bytes with a new hash), so its bytes are
# shared by every worker under their hash, and the database is asked only for the hash.
ISSUED_PDF_CACHE_SECONDS = 24 * 3600


def issued_pdf_bytes(meeting_id: int, sha256: str) -> bytes | None:
    """The bytes of the meeting's issued PDF whose hash is ``sha256``; ``None`` if the database
    holds other ones by now."""
    key = f"issued minutes pdf/{sha256}"
    data = peek_shared(key)
    if data is not None:
        return data
    data = db.session.scalar(select(MinutesDocument.pdf).where(
        MinutesDocument.meeting_id == meeting_id, MinutesDocument.pdf_sha256 == sha256))
    # Shared only if they are the bytes of that hash: never another document's under its name.
    if data is not None and hashlib.sha256(data).hexdigest() == sha256:
        share(key, bytes(data), ISSUED_PDF_CACHE_SECONDS)
    return data
