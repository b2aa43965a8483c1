"""Follow-up until the resident says it is fixed: tasks, progress, return visit (DESIGN §6)."""
import io
from datetime import timedelta

import pytest

from tests.factories import image_bytes
from tracker.cases.models import CaseState
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.followup import operations
from tracker.followup.models import ReturnVisit, Satisfaction
from tracker.places.models import PartyKind


def test_a_passed_vote_creates_its_task_with_a_working_day_deadline(case_in_follow_up):
    [task] = operations.tasks_of(case_in_follow_up)
    assert task.responsible == case_in_follow_up.compound.party_of(
        PartyKind.property_company).name
    assert task.tier == "complex" and task.due_at > utcnow() + timedelta(days=15)


def test_property_company_reports_progress_with_a_photo(case_in_follow_up, world, login_as):
    [task] = operations.tasks_of(case_in_follow_up)
    client = login_as(world.property_rep)
    response = client.post(f"/followup/tasks/{task.id}/progress", data={
        "note": "新水泵已安装", "progress": "100",
        "photos": (io.BytesIO(image_bytes()), "pump.jpg")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.refresh(task)
    assert task.progress == 100 and task.done_at is not None
    photo = task.reports[0].photos[0]
    assert client.get(f"/followup/tasks/{task.id}/photos/{photo.id}").status_code == 200
    # The owners' committee member is not the responsible party: refused.
    assert login_as(world.owners_member).post(f"/followup/tasks/{task.id}/progress", data={
        "note": "x", "progress": "50"}).status_code == 403


def test_unsatisfied_visit_keeps_the_case_open_and_satisfied_closes_it(case_in_follow_up,
                                                                       world, login_as):
    case = case_in_follow_up
    [task] = operations.tasks_of(case)
    operations.report_progress(task, world.property_rep, note="完成", progress=100)
    db.session.commit()
    client = login_as(world.liaison)
    client.post(f"/followup/cases/{case.id}/visit", data={
        "method": "phone", "satisfaction": "unsatisfied", "comment": "还是停水",
        "version": str(case.version)})
    db.session.refresh(case)
    assert case.state == CaseState.follow_up
    client.post(f"/followup/cases/{case.id}/visit", data={
        "method": "home_visit", "satisfaction": "satisfied", "comment": "已修好",
        "version": str(case.version)})
    db.session.refresh(case)
    assert case.state == CaseState.closed
    visits = db.session.scalars(db.select(ReturnVisit).order_by(ReturnVisit.id))
    assert [v.satisfaction for v in visits] == [
        Satisfaction.unsatisfied, Satisfaction.satisfied]


def test_no_return_visit_before_every_task_is_done(case_in_follow_up, world):
    with pytest.raises(operations.FollowUpRefused):
        operations.record_visit(case_in_follow_up, world.liaison, method=operations.VisitMethod
                                .phone, satisfaction=Satisfaction.satisfied, comment="",
                                expected_version=case_in_follow_up.version)


def test_liaison_adds_a_task_with_an_explicit_date(case_in_follow_up, world, login_as):
    due = (utcnow() + timedelta(days=3)).date()
    response = login_as(world.liaison).post(f"/followup/cases/{case_in_follow_up.id}/tasks",
                                            data={"description": "回访业主", "tier": "",
                                                  "due_on": due.isoformat(),
                                                  "responsible_party": "0"})
    assert response.status_code == 302
    assert len(operations.tasks_of(case_in_follow_up)) == 2
    assert login_as(world.official).post(f"/followup/cases/{case_in_follow_up.id}/tasks",
                                         data={"description": "x"}).status_code == 403
    assert login_as(world.official_out).post(f"/followup/cases/{case_in_follow_up.id}/tasks",
                                             data={"description": "x"}).status_code == 404


def test_case_page_shows_the_follow_up(case_in_follow_up, world, login_as):
    page = login_as(world.official).get(f"/cases/{case_in_follow_up.id}").get_data(as_text=True)
    assert 'id="follow-up"' in page and "由物业公司更换水泵" in page


def test_case_list_filters_cases_with_an_overdue_task(case_in_follow_up, world, login_as):
    from tests.factories import make_case
    other = make_case(world.compound, world.liaison, title="另一个议题")
    client = login_as(world.liaison)
    page = client.get("/cases/?flag=overdue").get_data(as_text=True)
    assert case_in_follow_up.number not in page   # its task is not due yet
    [task] = operations.tasks_of(case_in_follow_up)
    task.due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    page = client.get("/cases/?flag=overdue").get_data(as_text=True)
    assert case_in_follow_up.number in page and other.number not in page
    assert other.number in client.get("/cases/").get_data(as_text=True)
