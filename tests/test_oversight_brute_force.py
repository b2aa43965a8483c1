"""Every dashboard figure, recomputed by brute force in Python over a generated district.

The generator (``flask demo district``) spreads cases over every state and a year of months,
with meetings, follow-up tasks and return visits. Here every row is loaded and counted the slow,
obvious way, and the SQL aggregates must agree — for the whole district, per street, per
community and per compound, and for a street official, who sees only their street.
"""
import statistics
from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tracker.auth.models import OfficialScope, User
from tracker.cases.models import Case, CaseState
from tracker.extensions import db
from tracker.followup.models import FollowUpTask, ReturnVisit, Satisfaction
from tracker.meetings.models import Meeting, MeetingState
from tracker.oversight import figures
from tracker.oversight.policy import oversight_compound_ids
from tracker.places.models import Community, Compound, District, Street

ZONE = "Asia/Shanghai"
OPEN = {CaseState.raised, CaseState.meeting, CaseState.resolution, CaseState.follow_up}


# The history ends at a fixed moment, so that the same seed gives the same data on any day the
# suite runs (the figures below are computed for a window ending then).
UNTIL = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def district(app, db):
    result = app.test_cli_runner().invoke(args=[
        "demo", "district", "--name", "试算区", "--streets", "2", "--communities", "2",
        "--compounds", "2", "--cases", "20", "--months", "14", "--seed", "7",
        "--until", UNTIL.strftime("%Y-%m-%d %H:%M")])
    assert result.exit_code == 0, result.output
    # Without --pdfs the generator leaves past meetings held (a signed meeting needs its PDF,
    # ~0.25 s each). The dashboard reads only state and signed_at, so mark some signed here.
    held = db.session.scalars(select(Meeting).where(Meeting.state == MeetingState.held)
                              .order_by(Meeting.id)).all()
    for meeting in held[::3]:
        meeting.state, meeting.signed_at = MeetingState.signed, meeting.held_at + timedelta(days=3)
    db.session.commit()
    return db.session.scalar(select(District).where(District.name == "试算区"))


def month(value: datetime) -> str:
    return value.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m")


def brute_force(compound_ids: set[int], key, window: figures.Window) -> dict:
    """The figures per key(compound) over the given compounds, by loading every row."""
    out: dict = defaultdict(lambda: {"open": defaultdict(int), "opened": defaultdict(int),
                                     "closed": defaultdict(int), "days": [], "tasks": 0,
                                     "overdue": 0, "visits": 0, "satisfied": 0,
                                     "held": defaultdict(set), "signed": defaultdict(set)})
    for case in db.session.scalars(select(Case)):
        if case.compound_id not in compound_ids:
            continue
        f = out[key(case.compound)]
        if case.state in OPEN:
            f["open"][case.state] += 1
        if case.raised_at >= window.start:
            f["opened"][month(case.raised_at)] += 1
        if case.state == CaseState.closed and case.closed_at >= window.start:
            f["closed"][month(case.closed_at)] += 1
            f["days"].append((case.closed_at - case.raised_at).total_seconds() / 86400)
    for task in db.session.scalars(select(FollowUpTask)):
        if task.case.compound_id in compound_ids and task.done_at is None:
            f = out[key(task.case.compound)]
            f["tasks"] += 1
            f["overdue"] += task.due_at < window.now
    for visit in db.session.scalars(select(ReturnVisit)):
        compound = db.session.get(Case, visit.case_id).compound
        if compound.id in compound_ids and visit.visited_at >= window.start:
            f = out[key(compound)]
            f["visits"] += 1
            f["satisfied"] += visit.satisfaction in (Satisfaction.satisfied,
                                                     Satisfaction.basically_satisfied)
    for meeting in db.session.scalars(select(Meeting)):
        if meeting.state not in (MeetingState.held, MeetingState.signed):
            continue
        for compound in meeting.compounds:
            if compound.id not in compound_ids:
                continue
            f = out[key(compound)]
            if meeting.held_at and meeting.held_at >= window.start:
                f["held"][month(meeting.held_at)].add(meeting.id)
            if meeting.signed_at and meeting.signed_at >= window.start:
                f["signed"][month(meeting.signed_at)].add(meeting.id)
    return out


def assert_same(sql: figures.Figures, slow: dict) -> None:
    assert sql.open_by_state == dict(slow["open"])
    assert sql.opened == dict(slow["opened"])
    assert sql.closed == dict(slow["closed"])
    if slow["days"]:
        assert sql.median_days == pytest.approx(statistics.median(slow["days"]), abs=1e-3)
    else:
        assert sql.median_days is None
    assert (sql.open_tasks, sql.overdue_tasks) == (slow["tasks"], slow["overdue"])
    assert (sql.visits, sql.satisfied_visits) == (slow["visits"], slow["satisfied"])
    assert sql.held == {m: len(ids) for m, ids in slow["held"].items()}
    assert sql.signed == {m: len(ids) for m, ids in slow["signed"].items()}


KEYS = {
    None: lambda compound: None,
    figures.Level.street: lambda compound: compound.community.street_id,
    figures.Level.community: lambda compound: compound.community_id,
    figures.Level.compound: lambda compound: compound.id,
}


def district_compounds(district: District) -> set[int]:
    return set(db.session.scalars(
        select(Compound.id).join(Community).join(Street).where(Street.district_id == district.id)))


@pytest.mark.parametrize("level", list(KEYS), ids=lambda lv: lv.value if lv else "whole")
def test_every_figure_matches_brute_force(district, level):
    window = figures.Window.ending(UNTIL, ZONE)
    ids = district_compounds(district)
    area = select(Compound.id).where(Compound.id.in_(ids))
    slow = brute_force(ids, KEYS[level], window)
    sql = figures.compute(area, window, level)
    assert set(sql) == set(slow)
    for key in slow:
        assert_same(sql[key], slow[key])


def test_the_generated_data_exercises_every_figure(district):
    window = figures.Window.ending(UNTIL, ZONE)
    whole = figures.compute(select(Compound.id).where(
        Compound.id.in_(district_compounds(district))), window)[None]
    assert set(whole.open_by_state) == OPEN
    assert len(whole.opened) >= 10 and len(whole.closed) >= 6 and whole.median_days > 0
    assert whole.overdue_tasks > 0 and whole.open_tasks > whole.overdue_tasks
    assert 0 < whole.satisfied_visits < whole.visits
    assert whole.total("held") > 0 and len(whole.signed) >= 6


def test_a_street_official_sees_only_their_streets_figures(district, client, login_as):
    street, other = sorted(district.streets, key=lambda s: s.id)[:2]
    official = db.session.scalar(select(User).join(OfficialScope).where(
        OfficialScope.street_id == street.id))
    window = figures.Window.ending(UNTIL, ZONE)
    area = figures.area_of(oversight_compound_ids(official))
    own = {c.id for c in db.session.scalars(
        select(Compound).join(Community).where(Community.street_id == street.id))}
    slow = brute_force(own, KEYS[figures.Level.community], window)
    sql = figures.compute(area, window, figures.Level.community)
    assert set(sql) == set(slow) == {c.id for c in street.communities} & set(slow)
    for key in slow:
        assert_same(sql[key], slow[key])
    assert_same(figures.compute(area, window)[None], brute_force(own, KEYS[None], window)[None])

    login_as(official)
    page = client.get("/oversight/").get_data(as_text=True)
    assert all(c.name in page for c in street.communities)
    assert not any(c.name in page for c in other.communities) and other.name not in page
    assert client.get(f"/oversight/?street={other.id}").status_code == 404
    rows = client.get("/oversight/cases.csv").get_data().decode("utf-8-sig").splitlines()[1:]
    assert rows and all(f",{street.name}," in row for row in rows)
