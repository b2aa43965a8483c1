"""No N+1: the number of SQL statements a page runs does not grow with the rows it shows.

Two generated districts, a small one (a handful of cases) and a larger one (forty cases a
compound), each seen by its own liaison and district official (the case detail: a short and a
long timeline; the meeting detail: a short and a long agenda); every page must run exactly as many statements in both (counted on the engine,
so lazy loads in templates count too).
"""
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select

from tracker.audit.models import AuditEvent
from tracker.auth.models import User
from tracker.cases.models import Case, CaseState
from tracker.demo.district import DistrictOptions, generate_district
from tracker.extensions import db as _db
from tracker.meetings.models import AgendaItem, Meeting, MeetingState
from tracker.places.models import Community, Compound, District, Street

UNTIL = datetime(2026, 6, 30, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SIZES = {"小区": (1, 6, 12), "大区": (2, 40, 12)}   # compounds, cases per compound, months
PAGES = {
    "case list": ("liaison", "/cases/"),
    "case list, filtered by state": ("district official", "/cases/?state=closed"),
    "meeting list": ("liaison", "/meetings/"),
    "minutes register": ("district official", "/minutes-register/"),
    "dashboard": ("district official", "/oversight/"),
    "case detail": ("liaison", "/cases/{detail_case}"),
    "meeting detail": ("liaison", "/meetings/{detail_meeting}"),
}


def _meeting_by_agenda(district: str, longest: bool) -> int:
    """The district's held meeting with the longest (or shortest) agenda: both have minutes,
    resolutions and votes, so the page has the same sections."""
    items = func.count(AgendaItem.id)
    return _db.session.scalar(
        select(Meeting.id).join(Community).join(Street).join(District)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(District.name == district, Meeting.state == MeetingState.held)
        .group_by(Meeting.id).order_by(items.desc() if longest else items).limit(1))


@contextmanager
def counting():
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(_db.engine, "before_cursor_execute", count)


@pytest.fixture
def districts(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "CASES_PER_PAGE", 50)
    logins = {}
    for name, (compounds, cases, months) in SIZES.items():
        summary = generate_district(DistrictOptions(
            name=name, streets=1, communities=1, compounds=compounds, cases=cases,
            months=months, until=UNTIL))
        logins[name] = {role: phone for role, phone, _name, _place in summary.logins}
        # The case detail is compared between a short and a long timeline.
        logins[name]["detail_case"] = _case_by_timeline(name, longest=name == "大区")
        # …and the meeting page between a short and a long agenda.
        logins[name]["detail_meeting"] = _meeting_by_agenda(name, longest=name == "大区")
    return logins


def _case_by_timeline(district: str, longest: bool) -> int:
    """The district's closed case with the longest (or shortest) timeline: both went through a
    meeting, a vote, follow-up and a return visit, so the page has the same sections; both were
    raised on behalf of a resident (showing the phone asks whether the viewer may see it)."""
    events = func.count(AuditEvent.id)
    return _db.session.scalar(
        select(Case.id).join(Compound).join(Community).join(Street).join(District)
        .join(AuditEvent, (AuditEvent.subject_type == "case") & (AuditEvent.subject_id == Case.id))
        .where(District.name == district, Case.state == CaseState.closed,
               Case.resident_phone != "")
        .group_by(Case.id).order_by(events.desc() if longest else events).limit(1))


def _statements(client, login_as, phone: str, url: str) -> tuple[int, int]:
    """How many statements the page ran, and how long it was (to show it has more rows)."""
    login_as(_db.session.scalar(select(User).where(User.phone == phone)))
    client.get(url)  # warm: caches filled on a first visit are not the rows' doing
    _db.session.expire_all()
    with counting() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements), len(response.get_data())


@pytest.mark.parametrize("page", PAGES)
def test_statements_do_not_grow_with_rows(page, districts, client, login_as):
    role, url = PAGES[page]
    (few, small_page), (many, large_page) = (
        _statements(client, login_as, logins[role], url.format(**logins))
        for logins in districts.values())
    assert large_page > small_page, "the larger district's page should show more rows"
    assert many == few, f"{page}: {few} statements for few rows, {many} for many"
