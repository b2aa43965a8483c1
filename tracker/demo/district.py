"""``flask --app tracker demo district``: a whole invented district to try oversight on.

Streets, communities and compounds with their parties and people, then months of history per
community: cases raised and taken through joint meetings, committee votes, follow-up tasks and
return visits to closing (or withdrawn, carried over, rejected and reworked), with the stage
columns and audit events that tracker.cases.workflow and the features' operations write.

Rows are built in memory and written per community in a few flushes (see
:mod:`tracker.demo.district_batch`), not through the operations one case at a time; the votes'
figures are still computed by tracker.voting.rules, deadlines by tracker.followup.deadlines, and
with ``--pdfs`` the minutes PDFs are issued by tracker.meetings.issuing. Without ``--pdfs`` held
meetings stay unsigned, since a signed meeting without its issued PDF would claim one.

The same seed and the same ``until`` give the same data.
"""
from __future__ import annotations

import calendar
import random
import time as timer
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from tracker.auth.models import LiaisonAssignment, OfficialScope
from tracker.cases.models import Case
from tracker.core.time import utcnow
from tracker.demo import district_texts as texts
from tracker.demo.district_batch import SHANGHAI, Batch, Clock, between, days, hours
from tracker.demo.district_cases import CaseLives
from tracker.demo.district_meetings import MeetingPlan, MeetingSchedule
from tracker.demo.district_people import Cast, Logins, Names, make_compound
from tracker.extensions import db
from tracker.followup.models import FollowUpTask, ReturnVisit
from tracker.meetings.issuing import issue_minutes_pdf
from tracker.meetings.minutes import content_sha256, current_revision
from tracker.meetings.models import MeetingState, Signature
from tracker.places.models import Community, Compound, District, Street
from tracker.voting.models import Resolution, Vote

DEFAULT_NAME = "模拟区"
DEFAULT_PASSWORD = "demo2026"


class DistrictExists(Exception):
    pass


@dataclass
class DistrictOptions:
    name: str = DEFAULT_NAME
    streets: int = 3
    communities: int = 3        # per street
    compounds: int = 3          # per community
    cases: int = 20             # per compound
    months: int = 12
    seed: int = 1
    password: str = DEFAULT_PASSWORD
    pdfs: bool = False
    until: datetime | None = None   # end of the history (aware); now by default


@dataclass
class Summary:
    start: datetime
    end: datetime
    places: Counter = field(default_factory=Counter)
    cases: Counter = field(default_factory=Counter)
    meetings: Counter = field(default_factory=Counter)
    follow_up: Counter = field(default_factory=Counter)
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)
    seconds: float = 0.0


def generate_district(options: DistrictOptions,
                      advance: Callable[[int], None] = lambda _n: None) -> Summary:
    """Generate and commit the district, one community at a time; ``advance(1)`` after each.

    :raise DistrictExists: a district of that name exists (nothing is written).
    """
    started = timer.monotonic()
    if db.session.scalar(select(District.id).where(District.name == options.name)):
        raise DistrictExists(options.name)
    end = Clock.utc(options.until or utcnow())
    clock = Clock(start=months_before(end, options.months), end=end)
    summary = Summary(clock.start, clock.end)
    rng = random.Random(options.seed)
    names = Names(rng, set(db.session.scalars(select(Compound.code))))
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    logins = Logins(generate_password_hash(options.password, method=method),
                    created_at=clock.start - days(30))

    district = District(name=options.name)
    official = logins.user(names.person())
    db.session.add(OfficialScope(user=official, district=district))
    summary.logins.append(("district official", official.phone, official.name, district.name))
    streets = []
    community_names = iter(names.communities(options.streets * options.communities))
    for street_name in names.streets(options.streets):
        street = Street(district=district, name=street_name)
        official = logins.user(names.person())
        db.session.add(OfficialScope(user=official, street=street))
        if not streets:
            summary.logins.append(("street official", official.phone, official.name,
                                   street_name))
        companies = rng.sample(texts.PROPERTY_COMPANIES, 4)
        streets.append((street, [next(community_names) for _ in range(options.communities)],
                        companies))
    db.session.add(district)
    db.session.commit()
    # Plain values: each community's rows are dropped from the session once committed.
    streets = [(street.id, street.name, *rest) for street, *rest in streets]
    summary.places["streets"] = len(streets)

    for s, (street_id, street_name, community_names_, companies) in enumerate(streets):
        for c, community_name in enumerate(community_names_):
            community_rng = random.Random(f"{options.seed}:{s}:{c}")
            _community(options, clock, summary, community_rng, names, logins,
                       (street_id, street_name), community_name, companies)
            advance(1)
    summary.places["people"] = logins.created
    summary.seconds = timer.monotonic() - started
    return summary


def _community(options: DistrictOptions, clock: Clock, summary: Summary, rng: random.Random,
               names: Names, logins: Logins, street: tuple[int, str], name: str,
               companies: list[str]) -> None:
    street_id, street_name = street
    community = Community(street_id=street_id, name=name)
    liaison = logins.user(names.person())
    db.session.add_all([community, LiaisonAssignment(user=liaison, community=community)])
    if summary.places["communities"] == 0:
        summary.logins.append(("liaison", liaison.phone, liaison.name, name))
    casts = [make_compound(rng, names, logins, community, street_name, companies)
             for _ in range(options.compounds)]
    db.session.flush()
    batch = Batch()
    schedule = MeetingSchedule(rng, clock, batch, community, casts, liaison)
    lives = CaseLives(rng, clock, batch, names, schedule, liaison)
    cases = [(case, cast) for cast in casts for case in lives.raise_cases(cast, options.cases)]
    cases.sort(key=lambda pair: pair[0].raised_at)
    for case, cast in cases:
        lives.live(case, cast)
    to_sign = schedule.write(with_signing=options.pdfs)
    batch.write()
    for plan in to_sign:
        _sign(plan, rng, clock, batch)
    batch.write_events()
    _count(summary, clock, casts, [case for case, _cast in cases], schedule.plans)
    db.session.commit()
    db.session.expunge_all()  # keep the session small: each community stands on its own


def _sign(plan: MeetingPlan, rng: random.Random, clock: Clock, batch: Batch) -> None:
    """Every required representative signs the minutes a few days after the meeting; the PDF
    is issued by the app's own code (tracker.meetings.issuing), as locking the minutes does."""
    meeting = plan.row
    db.session.expire(meeting)  # collections in the database's order, as the hash is read later
    sha = content_sha256(meeting)
    revision = current_revision(meeting)
    signed_at = between(rng, plan.minutes_at + hours(1),
                        min(plan.minutes_at + days(5), clock.end))
    times = sorted(between(rng, plan.minutes_at + hours(0.5), signed_at)
                   for _ in meeting.required_signers[1:]) + [signed_at]
    for signer, at in zip(meeting.required_signers, times, strict=True):
        db.session.add(Signature(meeting_id=meeting.id, party_id=signer.party_id,
                                 user_id=signer.user_id, revision_number=revision.number,
                                 content_sha256=sha, signed_at=at,
                                 client_address=f"192.168.1.{rng.randint(2, 250)}"))
        batch.log(at, signer.user_id, "meeting", meeting, "sign",
                  data={"party": signer.party.name, "sha256": sha})
    meeting.state, meeting.signed_at, meeting.updated_at = MeetingState.signed, signed_at, \
        signed_at
    batch.log(signed_at, meeting.convener_id, "meeting", meeting, "signed",
              from_state=MeetingState.held, to_state=MeetingState.signed)
    db.session.flush()
    document = issue_minutes_pdf(meeting)
    document.created_at = signed_at
    plan.state = MeetingState.signed


def _count(summary: Summary, clock: Clock, casts: list[Cast], cases: list[Case],
           plans: list[MeetingPlan]) -> None:
    summary.places["communities"] += 1
    summary.places["compounds"] += len(casts)
    summary.cases.update(case.state.value for case in cases)
    summary.meetings.update(p.state.value for p in plans
                            if p.touched or p.state == MeetingState.planned)
    ids = [case.id for case in cases]
    tasks = db.session.execute(select(FollowUpTask.due_at, FollowUpTask.done_at).where(
        FollowUpTask.case_id.in_(ids))).all()
    summary.follow_up["tasks"] += len(tasks)
    summary.follow_up["open"] += sum(done is None for _due, done in tasks)
    summary.follow_up["overdue"] += sum(done is None and due < clock.end for due, done in tasks)
    summary.follow_up["votes"] += db.session.scalar(select(func.count(Vote.id)).join(
        Resolution, Resolution.id == Vote.resolution_id).where(Resolution.case_id.in_(ids)))
    summary.follow_up["visits"] += db.session.scalar(select(func.count(ReturnVisit.id)).where(
        ReturnVisit.case_id.in_(ids)))


def months_before(end: datetime, months: int) -> datetime:
    """The same local day and time ``months`` calendar months earlier (clamped to the month's
    last day)."""
    local = end.astimezone(SHANGHAI)
    year, month = divmod(local.month - 1 - months, 12)
    year, month = local.year + year, month + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return Clock.utc(local.replace(year=year, month=month, day=day))

