"""Quorum of a meeting from its roll call, using the pure rules in :mod:`.rules`."""
from dataclasses import dataclass

from tracker.auth.models import MemberRole
from tracker.core.labels import label
from tracker.meetings.models import AttendanceStatus, Meeting
from tracker.meetings.queries import expected_people
from tracker.meetings.rules import CommitteeQuorum, joint_meeting_quorum
from tracker.places.models import DOCUMENT_ORDER, PartyKind

DECIDING_BODIES = (PartyKind.owners_committee, PartyKind.management_committee)


@dataclass
class PartyPresence:
    compound: str
    party: str
    kind: PartyKind
    present: int
    due: int


@dataclass
class JointQuorum:
    parties: list[PartyPresence]
    committees: list[tuple[str, CommitteeQuorum]]

    @property
    def reached(self) -> bool:
        return joint_meeting_quorum({f"{p.compound}/{p.party}": p.present for p in self.parties})

    @property
    def missing_parties(self) -> list[str]:
        return [f"{p.compound}{label(p.kind)}" for p in self.parties if p.present < 1]


def joint_quorum(meeting: Meeting) -> JointQuorum:
    """Per covered compound: each party's members present / due, and the deciding body's own
    quorum (x of y). Guests and people attending without vote do not count as present."""
    present = {a.user_id for a in meeting.attendance
               if a.user_id and a.status == AttendanceStatus.present}
    parties: dict[int, PartyPresence] = {}
    committees: dict[int, dict] = {}
    for compound in meeting.compounds:
        # In the documents' order, whatever order the parties were loaded in: the issued PDF
        # and a later print view list them alike.
        for party in sorted(compound.parties, key=lambda p: DOCUMENT_ORDER[p.kind]):
            parties[party.id] = PartyPresence(compound.name, party.name, party.kind, 0, 0)
    for party, membership in expected_people(meeting):
        line = parties[party.id]
        line.due += 1
        here = membership.user_id in present
        line.present += here
        if party.kind in DECIDING_BODIES and membership.votes:
            c = committees.setdefault(party.id, {
                "name": party.name, "members": 0, "present": 0, "reps": 0, "reps_present": 0,
                "mc": party.kind == PartyKind.management_committee})
            c["members"] += 1
            c["present"] += here
            if membership.role == MemberRole.owner_representative:
                c["reps"] += 1
                c["reps_present"] += here
    return JointQuorum(
        parties=list(parties.values()),
        committees=[(c["name"], CommitteeQuorum(c["members"], c["present"], c["reps"],
                                                c["reps_present"], c["mc"]))
                    for c in committees.values()])
