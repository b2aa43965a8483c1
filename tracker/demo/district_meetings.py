"""A community's joint meetings over the generated months: about one a month, a few cancelled,
the newest planned; roll call, required signers and minutes for the held ones."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from tracker.auth.models import MemberRole, User
from tracker.cases.models import Case
from tracker.demo import district_texts as texts
from tracker.demo.district_batch import SHANGHAI, Batch, Clock, between, days, hours
from tracker.demo.district_people import Cast
from tracker.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingState,
    MinutesRevision,
    RequiredSigner,
)
from tracker.places.models import Community, PartyKind

SIGNER_RANK = {MemberRole.chair: 0, MemberRole.manager: 1, MemberRole.vice_chair: 2}


@dataclass
class MeetingPlan:
    row: Meeting
    starts_at: datetime
    created_at: datetime
    state: MeetingState
    held_at: datetime | None = None
    cancelled_at: datetime | None = None
    present: set[int] = field(default_factory=set)
    agenda: list[tuple[datetime, Case]] = field(default_factory=list)
    touched: bool = False
    minutes_at: datetime | None = None
    items_done: int = 0
    last_event: datetime | None = None

    @property
    def agenda_closes(self) -> datetime:
        """Cases are put on the agenda up to a day before the meeting."""
        return self.starts_at - days(1)


class MeetingSchedule:
    def __init__(self, rng: random.Random, clock: Clock, batch: Batch, community: Community,
                 casts: list[Cast], liaison: User):
        self.rng, self.clock, self.batch = rng, clock, batch
        self.community, self.casts, self.liaison = community, casts, liaison
        self.plans = self._plan()

    def _plan(self) -> list[MeetingPlan]:
        """One meeting a month on a weekday between the 8th and the 25th, from the first month
        of the history to the month after the last; those not yet held are planned."""
        first = self.clock.start.astimezone(SHANGHAI).date().replace(day=1)
        last = self.clock.end.astimezone(SHANGHAI).date().replace(day=1)
        plans = []
        month = first
        while month <= _next_month(last):
            day = month.replace(day=self.rng.randint(8, 25))
            while day.weekday() >= 5:
                day += timedelta(days=1)
            starts_at = Clock.utc(datetime.combine(
                day, time(19, 0) if self.rng.random() < 0.6 else time(15, 0), SHANGHAI))
            created_at = starts_at - days(self.rng.randint(7, 14))
            month = _next_month(month)
            if created_at > self.clock.end:
                if any(p.state == MeetingState.planned for p in plans):
                    continue  # not even planned yet
                # The coming meeting is always planned already, its agenda being filled.
                created_at = self.clock.end - hours(self.rng.uniform(2, 72))
            plan = MeetingPlan(Meeting(kind=MeetingKind.regular), starts_at, created_at,
                               MeetingState.planned)
            held_at = starts_at + timedelta(minutes=self.rng.randint(5, 20))
            if held_at <= self.clock.end:
                if self.rng.random() < 0.07:
                    plan.state = MeetingState.cancelled
                    plan.cancelled_at = between(self.rng, starts_at - hours(20),
                                                starts_at - hours(2))
                else:
                    plan.state, plan.held_at = MeetingState.held, held_at
                    plan.present = self._roll_call()
            plans.append(plan)
        return plans

    def _roll_call(self) -> set[int]:
        """Most members come; every party has someone there and each committee its quorum
        (more than half of the members, and of the owner representatives on a 物管会)."""
        present = set()
        for cast in self.casts:
            for rows in cast.members.values():
                here = [u.id for u, _role, _votes in rows if self.rng.random() < 0.85]
                present.update(here or [self.rng.choice(rows)[0].id])
            for group in (cast.voters, cast.owner_representatives):
                missing = [u.id for u in group if u.id not in present]
                while group and 2 * (len(group) - len(missing)) <= len(group):
                    present.add(missing.pop())
        return present

    @property
    def latest_held(self) -> MeetingPlan | None:
        held = [p for p in self.plans if p.state == MeetingState.held]
        return held[-1] if held else None

    def next_for(self, after: datetime, skip_one: bool) -> MeetingPlan | None:
        """The first meeting whose agenda is still open ``after`` a case became ready."""
        ahead = [p for p in self.plans if p.agenda_closes > max(after, p.created_at) + hours(2)]
        if skip_one and len(ahead) > 1:
            ahead = ahead[1:]
        return ahead[0] if ahead else None

    # --- writing ---------------------------------------------------------------------------

    def write(self, with_signing: bool) -> list[MeetingPlan]:
        """Add the meetings cases went through (and the planned ones); return those to sign."""
        kept = [p for p in self.plans if p.touched or p.state == MeetingState.planned]
        seq: dict[int, int] = {}
        to_sign = []
        for plan in kept:
            year = plan.starts_at.astimezone(SHANGHAI).year
            seq[year] = seq.get(year, 0) + 1
            self._write(plan, year, seq[year])
            if with_signing and plan.state == MeetingState.held \
                    and plan.held_at + days(7) <= self.clock.end \
                    and plan.minutes_at is not None:
                to_sign.append(plan)
        return to_sign

    def _write(self, plan: MeetingPlan, year: int, seq: int) -> None:
        m, liaison = plan.row, self.liaison
        local = plan.starts_at.astimezone(SHANGHAI)
        m.community, m.year, m.seq = self.community, year, seq
        m.title = f"{self.community.name}{local.month}月三方联席会议"
        m.starts_at, m.created_at, m.state = plan.starts_at, plan.created_at, plan.state
        m.place = f"{self.community.name}党群服务中心二楼会议室"
        m.convener_id = m.chair_id = m.created_by_id = liaison.id
        # A residents' committee member keeps the minutes.
        m.recorder_id = self.casts[0].members[PartyKind.residents_committee][0][0].id
        m.compounds = sorted((c.compound for c in self.casts), key=lambda c: c.name)
        log = self.batch.log
        log(plan.created_at, liaison.id, "meeting", m, "create", to_state=MeetingState.planned,
            data={"number": m.number, "compounds": [c.id for c in m.compounds]})
        for position, (_at, case) in enumerate(sorted(plan.agenda, key=lambda a: a[0]), 1):
            m.agenda.append(AgendaItem(case=case, position=position))
        plan.last_event = max([plan.created_at] + [at for at, _case in plan.agenda])
        if plan.state == MeetingState.cancelled:
            m.cancel_reason = self.rng.choice(texts.CANCEL_REASONS)
            log(plan.cancelled_at, liaison.id, "meeting", m, "cancel",
                from_state=MeetingState.planned, to_state=MeetingState.cancelled,
                note=m.cancel_reason)
            plan.last_event = plan.cancelled_at
        elif plan.state == MeetingState.held:
            self._write_held(plan)
        m.updated_at = plan.last_event
        self.batch.add(0, m)

    def _write_held(self, plan: MeetingPlan) -> None:
        m, liaison, log = plan.row, self.liaison, self.batch.log
        m.held_at = plan.held_at
        changed = {}
        chosen: set[int] = set()
        for cast in self.casts:
            for party, user, _role in cast.people():
                if str(user.id) in changed:
                    continue  # one roll-call line a person, though they sit for two parties
                status = AttendanceStatus.present if user.id in plan.present \
                    else AttendanceStatus.leave
                m.attendance.append(Attendance(user_id=user.id, party_id=party.id,
                                               status=status))
                changed[str(user.id)] = status.value
            for kind, party in cast.parties.items():
                here = [(u, role) for u, role, _v in cast.members[kind] if u.id in plan.present]
                here.sort(key=lambda ur: SIGNER_RANK.get(ur[1], 9))
                # One person per party where possible, so each can sign for their own party.
                signer = next((u for u, _r in here if u.id not in chosen), here[0][0])
                chosen.add(signer.id)
                m.required_signers.append(RequiredSigner(party_id=party.id, user_id=signer.id))
        guests = [case for _at, case in plan.agenda if case.resident_name][:1]
        for case in guests:
            m.attendance.append(Attendance(guest_name=case.resident_name,
                                           guest_unit=f"{case.compound.name}居民代表",
                                           status=AttendanceStatus.non_voting))
        log(plan.held_at - timedelta(minutes=2), liaison.id, "meeting", m, "attendance",
            data={"changed": changed})
        log(plan.held_at, liaison.id, "meeting", m, "held", from_state=MeetingState.planned,
            to_state=MeetingState.held)
        plan.last_event = max(plan.last_event, plan.held_at)
        saved = plan.held_at + hours(self.rng.uniform(3, 30))
        for number in (1, 2) if self.rng.random() < 0.3 else (1,):
            if saved > self.clock.end:
                break
            revision = MinutesRevision(number=number, author_id=liaison.id, created_at=saved,
                                       content={})
            self.batch.add(1, revision, self._minutes_fix(plan, number))
            log(saved, liaison.id, "meeting", m, "minutes_save", data={"revision": number})
            plan.last_event = plan.minutes_at = saved
            saved += hours(self.rng.uniform(2, 24))

    def _minutes_fix(self, plan: MeetingPlan, number: int):
        other = self.rng.sample(texts.OTHER_BUSINESS, 2)
        views = {kind: self.rng.choice(texts.PARTY_VIEWS[kind]) for kind in texts.PARTY_VIEWS}

        def fix(revision: MinutesRevision) -> None:
            revision.meeting_id = plan.row.id
            items = {}
            for item in plan.row.agenda:
                case = item.case
                kinds = [p.kind.value for p in next(
                    c for c in self.casts if c.compound is case.compound).parties.values()]
                items[str(case.id)] = {
                    "background": case.description,
                    "views": {kind: views[kind] for kind in kinds},
                    # The decision is printed from the item's resolution; the note is empty.
                    "decision": "", "responsible": "", "deadline": ""}
            revision.content = {"items": items,
                                "other_business": "".join(other[:number])}
        return fix


def _next_month(day):
    return day.replace(year=day.year + 1, month=1) if day.month == 12 \
        else day.replace(month=day.month + 1)
