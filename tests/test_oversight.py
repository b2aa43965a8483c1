"""The oversight dashboard and exports on hand-made cases: stage times, spreadsheets, scope."""
import csv
import io
from datetime import datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import select

from tests.conftest import shown
from tests.factories import make_case, set_state
from tests.vote_factories import committee_vote
from tracker.cases.models import CaseState
from tracker.cases.workflow import Action, transition
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.followup import operations as followup
from tracker.followup.models import Satisfaction, VisitMethod
from tracker.oversight import figures
from tracker.oversight.exports import headers
from tracker.places.models import Compound
from tracker.voting import operations as voting


@pytest.fixture
def decided(world):
    """A case through a passed committee vote: on the agenda, voted on, in follow-up."""
    vote = committee_vote(world, extra_members=0)
    voting.cast_ballot(vote, world.owners_member, "for")
    voting.close_vote(vote, world.liaison)
    db.session.commit()
    return vote.resolution.case


def test_each_stage_is_stamped_when_the_case_enters_it(world, decided):
    case = decided
    assert case.raised_at <= case.on_agenda_at <= case.resolution_at <= case.follow_up_at
    assert case.closed_at is None
    for task in followup.tasks_of(case):
        followup.report_progress(task, world.property_rep, note="完成", progress=100)
    followup.record_visit(case, world.liaison, method=VisitMethod.phone,
                          satisfaction=Satisfaction.satisfied, comment="",
                          expected_version=case.version)
    assert case.state == CaseState.closed and case.closed_at >= case.follow_up_at
    transition(case, Action.reopen, world.official, expected_version=case.version,
               reason="居民反映水泵又坏了")
    assert case.closed_at is None  # a reopened case is not closed


def _csv_rows(response):
    data = response.get_data()
    assert data.startswith("\ufeff".encode())  # Excel on Chinese Windows needs the BOM
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_case_csv_opens_with_chinese_intact_and_the_vote(client, login_as, world, decided):
    make_case(world.compound, world.liaison, title="楼道灯不亮")
    login_as(world.official)
    rows = _csv_rows(client.get("/oversight/cases.csv"))
    assert rows[0][0] == shown("Number") and len(rows[0]) == 20
    by_number = {row[0]: row for row in rows[1:]}
    assert len(by_number) == 2
    voted = by_number[decided.number]
    assert voted[2:5] == ["北湖街", "横堤社区", "德富花园"]
    assert all(voted[8:12]) and voted[12] == ""  # raised … follow-up started; not closed
    assert "业主委员会" in voted[14] and voted[15] == shown("yes") and voted[16] == "1"
    assert "依据" in voted[19]


def test_case_xlsx_has_the_filtered_rows_and_columns(client, login_as, world, decided):
    make_case(world.compound, world.liaison, title="楼道灯不亮")
    make_case(world.mc_compound, world.liaison, title="停车位不足")
    login_as(world.official)
    response = client.get("/oversight/cases.xlsx?state=raised")
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.values)
    with client.application.test_request_context():
        assert list(rows[0]) == headers()
    assert sorted(row[1] for row in rows[1:]) == ["停车位不足", "楼道灯不亮"]
    assert isinstance(rows[1][8], datetime)  # a real date cell, not text
    assert "attachment" in response.headers["Content-Disposition"]


def test_exports_stay_inside_the_persons_area(client, login_as, world):
    make_case(world.compound, world.liaison, title="北湖街的议题")
    make_case(world.far_compound, world.admin, title="唐家墩街的议题")
    login_as(world.official_out)
    rows = _csv_rows(client.get("/oversight/cases.csv"))
    assert [row[1] for row in rows[1:]] == ["唐家墩街的议题"]
    rows = _csv_rows(client.get("/oversight/table.csv"))
    assert "德富花园" not in str(rows) and "横堤社区" not in str(rows)


def test_a_formula_in_a_title_is_not_run_by_excel(client, login_as, world):
    make_case(world.compound, world.liaison, title='=HYPERLINK("http://x","点我")')
    login_as(world.liaison)
    rows = _csv_rows(client.get("/oversight/cases.csv"))
    assert rows[1][1].startswith("'=")


def test_dashboard_figures_on_hand_made_cases(app, client, login_as, world):
    now = utcnow()
    for days in (2, 4, 9):  # closed after 2, 4 and 9 days → median 4
        case = set_state(make_case(world.compound, world.liaison), CaseState.closed)
        case.raised_at, case.closed_at = now - timedelta(days=20), now - timedelta(days=20 - days)
    set_state(make_case(world.compound, world.liaison), CaseState.follow_up)
    make_case(world.mc_compound, world.liaison)
    db.session.commit()
    area = figures.area_of(select(Compound.id))
    window = figures.Window.ending(now, "Asia/Shanghai")
    whole = figures.compute(area, window)[None]
    assert whole.open_cases == 2 and whole.total("opened") == 5 and whole.total("closed") == 3
    assert whole.median_days == pytest.approx(4)
    rows = {r.name: r.figures for r in figures.table(area, window, figures.Level.compound)}
    assert rows["德富花园"].open_cases == 1 and rows["邮电小区"].open_cases == 1
    assert rows["正街花园"].open_cases == 0 and rows["正街花园"].median_days is None

    login_as(world.official)
    page = client.get("/oversight/").get_data(as_text=True)
    assert "4.0" in page and 'href="/cases/?community=' in page
    assert "<script" not in page.split("<svg", 1)[1]  # charts carry no script


def test_an_official_of_another_street_never_sees_this_streets_figures(client, login_as, world):
    make_case(world.compound, world.liaison, title="北湖街的议题")
    login_as(world.official_out)
    page = client.get("/oversight/").get_data(as_text=True)
    assert "横堤社区" not in page and "德富花园" not in page and "北湖街" not in page
    assert client.get(f"/oversight/?street={world.street.id}").status_code == 404
    assert client.get(f"/oversight/?community={world.community.id}").status_code == 404


def test_drill_down_link_narrows_the_case_list(client, login_as, world):
    make_case(world.compound, world.liaison, title="横堤社区的议题")
    make_case(world.neighbour_compound, world.liaison_out, title="北湖正街社区的议题")
    login_as(world.official)
    page = client.get(f"/cases/?community={world.community.id}").get_data(as_text=True)
    assert "横堤社区的议题" in page and "北湖正街社区的议题" not in page
    assert shown("Only %(area)s", area="横堤社区") in page


def test_oversight_only_reads(app):
    """Oversight changes nothing: its routes answer GET only (who gets them: tests/matrix/)."""
    methods = {m for r in app.url_map.iter_rules() if r.endpoint.startswith("oversight.")
               for m in r.methods - {"HEAD", "OPTIONS"}}
    assert methods == {"GET"}
