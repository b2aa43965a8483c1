"""The life of each generated case: raised, put on a meeting's agenda, voted on, followed up,
visited and closed — or carried over, deferred, rejected, withdrawn — with the rows and audit
events the real operations write (tracker.cases.workflow and the features' operations), at the
times they would have written them."""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from tracker.auth.models import User
from tracker.cases.models import Case, CaseCategory, CaseSource, CaseState
from tracker.cases.workflow import STAGE_COLUMNS, TRANSITIONS, Action
from tracker.demo import district_texts as texts
from tracker.demo.district_batch import SHANGHAI, Batch, Clock, Ref, between, days, hours, weighted
from tracker.demo.district_meetings import MeetingPlan, MeetingSchedule
from tracker.demo.district_people import Cast, Names
from tracker.followup.deadlines import WORKING_DAY_TIERS, deadline_for
from tracker.followup.models import (
    FollowUpTask,
    ProgressReport,
    ReturnVisit,
    Satisfaction,
    VisitMethod,
)
from tracker.meetings.models import MeetingState
from tracker.places.models import Party, PartyKind
from tracker.voting import records, rules
from tracker.voting.models import (
    BallotChange,
    CommitteeBallot,
    DeadlineTier,
    DecidingBody,
    Resolution,
    Vote,
    VoteState,
)
from tracker.voting.rulebooks import NATIONAL
from tracker.workcalendar.queries import working_calendar

Cat = CaseCategory
SOURCE_WEIGHTS = {CaseSource.evening_forum: 25, CaseSource.building_party_group: 20,
                  CaseSource.hotline_12345: 20, CaseSource.walk_in: 15, CaseSource.survey: 10,
                  CaseSource.other: 10}
TIERS = {Cat.water_supply: {"one_day": 7, "urgent": 1, "general": 2},
         Cat.power_gas_heating: {"one_day": 6, "general": 4},
         Cat.facilities: {"complex": 6, "general": 4},
         Cat.property_fees: {"complex": 1}}
OTHER_TIERS = {"general": 85, "complex": 15}
FIRST_VISIT = {Satisfaction.satisfied: 72, Satisfaction.basically_satisfied: 20,
               Satisfaction.unsatisfied: 8}
LATER_VISIT = {Satisfaction.satisfied: 60, Satisfaction.basically_satisfied: 40}


class CaseLives:
    def __init__(self, rng: random.Random, clock: Clock, batch: Batch, names: Names,
                 schedule: MeetingSchedule, liaison: User):
        self.rng, self.clock, self.batch, self.names = rng, clock, batch, names
        self.schedule, self.liaison = schedule, liaison
        # Read once: the district's calendar over the whole history and the year after it.
        self.calendar = working_calendar(range(clock.start.astimezone(SHANGHAI).year,
                                               clock.end.astimezone(SHANGHAI).year + 2))

    # --- raising -----------------------------------------------------------------------------

    def raise_cases(self, cast: Cast, count: int) -> list[Case]:
        """``count`` cases spread over the history, numbered per compound and year."""
        rng, compound = self.rng, cast.compound
        times = sorted(between(rng, self.clock.start, self.clock.end - hours(1))
                       for _ in range(count))
        seq: dict[int, int] = {}
        cases = []
        # The liaison files most cases, often on a resident's behalf; the parties the rest.
        raisers = [self.liaison] * 3 + [rows[0][0] for rows in cast.members.values()]
        for raised_at in times:
            year = raised_at.astimezone(SHANGHAI).year
            seq[year] = seq.get(year, 0) + 1
            category = weighted(rng, texts.CATEGORY_WEIGHTS)
            title, detail = rng.choice(texts.CASE_TEMPLATES[category])
            building = rng.randint(1, cast.buildings)
            source = weighted(rng, SOURCE_WEIGHTS)
            resident = self.names.person() if rng.random() < 0.6 else ""
            phone = f"13{rng.randint(0, 999_999_999):09d}" if resident and rng.random() < 0.8 \
                else ""
            raiser = rng.choice(raisers)
            case = Case(compound=compound, year=year, seq=seq[year],
                        number=f"{compound.code}-{year}-{seq[year]:03d}",
                        title=title.format(b=building), category=category, source=source,
                        description=texts.SOURCE_INTROS[source.value] + detail.format(b=building),
                        resident_name=resident, resident_phone=phone, state=CaseState.raised,
                        raised_by_id=raiser.id, raised_at=raised_at, updated_at=raised_at,
                        carried_over=False)
            self.batch.add(0, case)
            self.batch.log(raised_at, raiser.id, "case", case, "raise",
                           to_state=CaseState.raised, data={"number": case.number})
            cases.append(case)
        return cases

    # --- the way through the meetings ------------------------------------------------------

    def live(self, case: Case, cast: Cast) -> None:
        rng, end = self.rng, self.clock.end
        withdraw_at = case.raised_at + days(rng.uniform(1, 30)) if rng.random() < 0.06 else None
        ready, rejected = case.raised_at, False
        while True:
            plan = self.schedule.next_for(ready, skip_one=rng.random() < 0.15)
            agenda_at = self._agenda_time(plan, ready, rejected) if plan else None
            if withdraw_at and withdraw_at <= end and (agenda_at is None or withdraw_at < agenda_at):
                self._step(case, Clock.utc(withdraw_at), Action.withdraw,
                           note=rng.choice(texts.WITHDRAW_REASONS))
                return
            if agenda_at is None:
                return
            self._put_on_agenda(case, plan, agenda_at)
            if plan.state == MeetingState.planned:
                return
            if plan.state == MeetingState.cancelled:
                # The meeting closed without deciding the case: it goes back, marked.
                self._step(case, plan.cancelled_at, Action.carry_over,
                           note=lambda plan=plan: plan.row.number,
                           data={"meeting_id": Ref(plan.row), "closing": True})
                case.carried_over = True
                ready = plan.cancelled_at
                continue
            plan.items_done += 1
            at = plan.held_at + timedelta(minutes=12 * plan.items_done + rng.randint(0, 8))
            if not rejected and rng.random() < 0.05:
                self._defer(case, plan, agenda_at, at)
                ready = at
                continue
            closed_at = self._resolve(case, cast, plan, at, must_pass=rejected)
            if closed_at is None or case.state != CaseState.raised:
                return
            rejected, ready = True, closed_at
            if rng.random() < 0.3:
                withdraw_at = closed_at + days(rng.uniform(3, 20))

    def _agenda_time(self, plan: MeetingPlan, ready: datetime, rejected: bool) -> \
            datetime | None:
        """When the liaison puts the case on ``plan``'s agenda, or None if not (yet)."""
        if plan.state == MeetingState.planned and self.rng.random() < 0.45:
            return None  # still being prepared for the coming meeting
        if rejected and plan.state != MeetingState.held:
            return None  # a rejected case comes back only once reworked, at a meeting held
        lo = max(ready + hours(2), plan.created_at)
        hi = min(plan.agenda_closes, self.clock.end)
        return between(self.rng, lo, hi) if lo <= hi else None

    def _put_on_agenda(self, case: Case, plan: MeetingPlan, at: datetime) -> None:
        self._step(case, at, Action.put_on_agenda, data={"meeting_id": Ref(plan.row)})
        plan.agenda.append((at, case))
        plan.touched = True
        self.batch.log(at, self.liaison.id, "meeting", plan.row, "agenda_add",
                       data={"case": case.number})

    def _defer(self, case: Case, plan: MeetingPlan, agenda_at: datetime, at: datetime) -> None:
        plan.agenda.remove((agenda_at, case))
        self._step(case, at, Action.take_off_agenda, note=texts.DEFER_REASON,
                   data={"meeting_id": Ref(plan.row)})
        self.batch.log(at, self.liaison.id, "meeting", plan.row, "agenda_remove",
                       note=texts.DEFER_REASON, data={"case": case.number})

    def _step(self, case: Case, at: datetime, action: Action, *, note=None,
              data: dict | None = None) -> None:
        """What tracker.cases.workflow.transition does: the state, the stage column, the
        audit event. The liaison takes every step here (also the carry-over, which happens
        when they cancel the meeting)."""
        rule = TRANSITIONS[action]
        assert case.state in rule.sources, (case.number, case.state, action)
        source, case.state = case.state, rule.target
        if rule.target in STAGE_COLUMNS:
            setattr(case, STAGE_COLUMNS[rule.target], at)
        if rule.target != CaseState.closed:
            case.closed_at = None
        case.updated_at = at
        self.batch.log(at, self.liaison.id, "case", case, action.value,
                       from_state=source, to_state=rule.target, note=note or "", data=data)

    # --- resolution and vote -----------------------------------------------------------------

    def _resolve(self, case: Case, cast: Cast, plan: MeetingPlan, at: datetime, *,
                 must_pass: bool) -> datetime | None:
        """Propose at the meeting and vote; return when the vote closed (None: still open)."""
        rng, liaison, log = self.rng, self.liaison, self.batch.log
        kind = cast.committee_kind
        body = DecidingBody(kind.value)
        party = self._responsible(case.category, cast)
        template = texts.JOINT_RESOLUTION if case.category in texts.JOINT_MATTERS \
            else texts.RESOLUTIONS.get(case.category, texts.RESOLUTIONS[Cat.other])
        tier = weighted(rng, TIERS.get(case.category, OTHER_TIERS))
        resolution = Resolution(case=case, text=template.format(responsible=party.name),
                                responsible_party_id=party.id, responsible_text="",
                                deadline_tier=DeadlineTier(tier), body=body, matter=None,
                                proposed_by_id=liaison.id, proposed_at=at)
        self.batch.add(1, resolution, lambda r: setattr(r, "meeting_id", plan.row.id))
        self._step(case, at, Action.propose_resolution, data={"meeting_id": Ref(plan.row)})
        log(at, liaison.id, "resolution", resolution, "propose",
            data={"case": case.number, "body": body.value})

        voters = cast.voters
        members = [u.id for u in voters]
        # A generated district keeps the national default rulebook (places.models.District).
        eligible = {"party_id": cast.parties[kind].id, "members": members,
                    "owner_representatives": [u.id for u in cast.owner_representatives],
                    "names": {str(u.id): u.name for u in voters}, "rulebook": NATIONAL.code}
        online = plan is self.schedule.latest_held and rng.random() < 0.3 \
            and plan.held_at >= self.clock.end - days(25)
        vote = Vote(resolution=resolution, body=body, at_meeting=not online, opened_at=at,
                    opened_by_id=liaison.id, eligible=eligible,
                    non_voters_follow_majority=False)
        self.batch.add(1, vote)
        log(at, liaison.id, "vote", vote, "open", to_state=VoteState.open,
            data={"case": case.number, "eligible": len(members)})
        if online:
            # Decided to let the committee vote online until a deadline still ahead.
            vote.state = VoteState.open
            vote.closes_at = Clock.utc(datetime.combine(
                (self.clock.end + days(rng.randint(1, 6))).astimezone(SHANGHAI).date(),
                time(18, 0), SHANGHAI))
            early = rng.sample(members, rng.randint(0, len(members) - 1))
            self._ballots(vote, [(uid, "for" if rng.random() < 0.8 else "against")
                                 for uid in early],
                          lambda: between(rng, at, self.clock.end))
            return None

        present = [uid for uid in members if uid in plan.present]
        ballots = self._choices(present, len(members), must_pass or rng.random() < 0.9)
        closed_at = at + timedelta(minutes=rng.randint(4, 10))
        self._ballots(vote, ballots, lambda: between(rng, at, closed_at))
        inputs = records.committee_snapshot(
            kind.value, members, present,
            [rules.MemberBallot(uid, rules.Choice(choice)) for uid, choice in ballots],
            owner_representatives=eligible["owner_representatives"], rulebook=NATIONAL.code)
        outcome = records.outcome_from_snapshot(inputs)
        vote.state, vote.closed_at, vote.closed_by_id = VoteState.closed, closed_at, liaison.id
        vote.inputs, vote.result = inputs, outcome.to_record()
        resolution.passed = outcome.passed
        action = Action.close_vote_passed if outcome.passed else Action.close_vote_rejected
        self._step(case, closed_at, action, note=outcome.explanation_zh,
                   data={"vote_id": Ref(vote)})
        if outcome.passed:
            self._follow_up(case, cast, resolution, party, closed_at)
        log(closed_at, liaison.id, "vote", vote, "close", from_state=VoteState.open,
            to_state=VoteState.closed, note=outcome.explanation_zh,
            data={"passed": outcome.passed})
        return closed_at

    def _choices(self, present: list[int], members: int, passing: bool) -> list[tuple[int, str]]:
        """Named ballots of the members present; passing needs more than half of **all**
        members for (tracker.voting.rules, committee_result)."""
        rng = self.rng
        ballots = []
        for uid in present:
            r = rng.random()
            if passing:
                choice = "for" if r < 0.85 else "against" if r < 0.95 else "abstain"
            else:
                choice = "against" if r < 0.55 else "for" if r < 0.8 else "abstain"
            ballots.append([uid, choice])
        need = members // 2 + 1
        fors = sum(choice == "for" for _uid, choice in ballots)
        for ballot in ballots:
            if passing and fors < need and ballot[1] != "for":
                ballot[1], fors = "for", fors + 1
            elif not passing and fors >= need and ballot[1] == "for":
                ballot[1], fors = "against", fors - 1
        return [(uid, choice) for uid, choice in ballots]

    def _ballots(self, vote: Vote, ballots: list[tuple[int, str]], when) -> None:
        def for_vote(row):
            row.vote_id = vote.id
        times = sorted(when() for _ in ballots)
        for (uid, choice), at in zip(ballots, times, strict=True):
            self.batch.add(2, CommitteeBallot(voter_id=uid, choice=choice, cast_at=at),
                           for_vote)
            self.batch.add(2, BallotChange(voter_id=uid, old_choice=None, new_choice=choice,
                                           changed_by_id=uid, changed_at=at), for_vote)
            self.batch.log(at, uid, "vote", vote, "ballot",
                           data={"voter": uid, "old": None, "new": choice, "paper": False})

    def _responsible(self, category: CaseCategory, cast: Cast) -> Party:
        parties = cast.parties
        if category in texts.JOINT_MATTERS:
            return parties[cast.committee_kind]
        if category in (Cat.neighbour_dispute, Cat.other):
            return parties[PartyKind.residents_committee]
        if category == Cat.parking and cast.committee_kind == PartyKind.management_committee:
            return parties[PartyKind.management_committee]
        return parties.get(PartyKind.property_company) or parties[cast.committee_kind]

    # --- follow-up and return visits -------------------------------------------------------

    def _follow_up(self, case: Case, cast: Cast, resolution: Resolution, party: Party,
                   start: datetime) -> None:
        """Tasks until a (basically) satisfied return visit closes the case; an unsatisfied
        visit keeps it in follow-up with a new task (DESIGN §6)."""
        rng, end, liaison = self.rng, self.clock.end, self.liaison
        tier, description, first = resolution.deadline_tier.value, resolution.text, True
        reporter = cast.members[party.kind][0][0]
        while True:
            deadline = deadline_for(tier, start, self.calendar)
            due = Clock.utc(deadline.at)
            task = FollowUpTask(case=case, responsible_party_id=party.id, responsible_text="",
                                description=description, tier=tier, due_at=due, progress=0,
                                counted_from=start if tier in WORKING_DAY_TIERS else None,
                                provisional=deadline.provisional,
                                created_by_id=liaison.id, created_at=start)
            self.batch.add(2, task, (lambda t: setattr(t, "resolution_id", resolution.id))
                           if first else None)
            self.batch.log(start, liaison.id, "case", case, "task_created",
                           data={"task": Ref(task), "due_at": due.isoformat(), "tier": tier})
            # Half the tasks are done in time, many late, some drag on for weeks or months.
            pace = rng.random()
            work = max(due - start, hours(2)) * (rng.uniform(0.3, 1.0) if pace < 0.5 else
                                                 rng.uniform(1.0, 3.0) if pace < 0.8 else
                                                 rng.uniform(3.0, 12.0))
            done = Clock.utc(start + work)
            if done > end:
                elapsed = end - start
                if elapsed > work * 0.25 and rng.random() < 0.75:
                    at = between(rng, start + elapsed * 0.3, end)
                    progress = max(10, min(90, int((at - start) / work * 10) * 10))
                    self._report(case, task, reporter, at, progress)
                return
            if rng.random() < 0.7:
                self._report(case, task, reporter, between(rng, start + work * 0.3,
                                                           start + work * 0.7),
                             rng.choice([30, 40, 50, 60, 70, 80]))
            self._report(case, task, reporter, done, 100)
            task.done_at = done
            visited_at = Clock.utc(done + hours(rng.uniform(4, 120)))
            if visited_at > end:
                return  # done, the return visit still to come
            satisfaction = weighted(rng, FIRST_VISIT if first else LATER_VISIT)
            comment = rng.choice(texts.VISIT_COMMENTS[satisfaction.value])
            visit = ReturnVisit(method=rng.choice(list(VisitMethod)), satisfaction=satisfaction,
                                comment=comment, visited_by_id=liaison.id,
                                visited_at=visited_at)
            self.batch.add(1, visit, lambda v: setattr(v, "case_id", case.id))
            if satisfaction != Satisfaction.unsatisfied:
                self._step(case, visited_at, Action.close_after_visit, note=comment,
                           data={"visit_id": Ref(visit)})
                return
            self.batch.log(visited_at, liaison.id, "case", case, "visit_unsatisfied",
                           note=comment, data={"visit": Ref(visit)})
            case.updated_at = visited_at
            start = visited_at + hours(rng.uniform(2, 24))
            if start > end:
                return
            tier, first = "general", False
            description = "针对回访意见继续整改：" + resolution.text

    def _report(self, case: Case, task: FollowUpTask, author: User, at: datetime,
                progress: int) -> None:
        note = self.rng.choice(texts.DONE_NOTES if progress == 100 else texts.PROGRESS_NOTES)
        task.reports.append(ProgressReport(author_id=author.id, note=note, progress=progress,
                                           created_at=at))
        task.progress = progress
        case.updated_at = max(case.updated_at, at)
        self.batch.log(at, author.id, "case", case, "progress",
                       data={"task": Ref(task), "progress": progress, "photos": 0})

