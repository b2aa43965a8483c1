"""Planning, agenda, roll call, holding and cancelling meetings through the pages."""
from sqlalchemy import func, select

from tests.factories import make_case
from tests.meeting_factories import held_meeting, planned_meeting, take_roll_call
from tracker.audit.models import AuditEvent
from tracker.cases.models import CaseState
from tracker.meetings.models import Meeting, MeetingState


def test_liaison_plans_a_numbered_meeting(world, login_as):
    client = login_as(world.liaison)
    response = client.post("/meetings/new", data={
        "compounds": [str(world.compound.id)], "kind": "regular", "title": "停水问题",
        "starts_at": "2026-11-20T19:30", "place": "社区会议室",
        "chair": str(world.liaison.id), "recorder": str(world.liaison.id)})
    assert response.status_code == 302
    meeting = world_meeting()
    assert meeting.number == "〔2026〕第1期"
    assert meeting.starts_at.hour == 11  # 19:30 in Shanghai is 11:30 UTC
    second = client.post("/meetings/new", data={
        "compounds": [str(world.compound.id)], "kind": "regular", "title": "第二次",
        "starts_at": "2026-12-01T19:30", "place": "社区会议室",
        "chair": str(world.liaison.id), "recorder": str(world.liaison.id)})
    assert second.status_code == 302
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "〔2026〕第2期" in page


def world_meeting() -> Meeting:
    from tracker.extensions import db
    return db.session.scalars(select(Meeting).order_by(Meeting.id)).first()


def test_meeting_form_errors_are_shown_and_nothing_is_written(world, login_as):
    response = login_as(world.liaison).post("/meetings/new", data={
        "compounds": [], "kind": "regular", "title": "", "starts_at": "not a date",
        "place": "", "chair": str(world.liaison.id), "recorder": str(world.liaison.id)})
    assert response.status_code == 200
    assert world_meeting() is None


def test_meeting_cannot_span_two_communities(world, login_as, db):
    from tracker.auth.models import LiaisonAssignment
    db.session.add(LiaisonAssignment(user=world.liaison, compound=world.neighbour_compound))
    db.session.commit()
    response = login_as(world.liaison).post("/meetings/new", data={
        "compounds": [str(world.compound.id), str(world.neighbour_compound.id)],
        "kind": "regular", "title": "跨社区", "starts_at": "2026-11-20T19:30", "place": "x",
        "chair": str(world.liaison.id), "recorder": str(world.liaison.id)})
    assert "one community" in response.get_data(as_text=True) or \
        "同一社区" in response.get_data(as_text=True)
    assert world_meeting() is None


def test_agenda_add_moves_case_to_meeting_and_removal_needs_reason(world, login_as, db):
    meeting = planned_meeting(world, with_case=False)
    case = make_case(world.compound, world.liaison)
    client = login_as(world.liaison)
    client.post(f"/meetings/{meeting.id}/agenda", data={"case_id": str(case.id)})
    db.session.refresh(case)
    assert case.state == CaseState.meeting
    item = meeting.agenda[0]
    refused = client.post(f"/meetings/{meeting.id}/agenda/{item.id}/remove", data={"reason": ""})
    assert refused.status_code == 200
    db.session.refresh(case)
    assert case.state == CaseState.meeting
    client.post(f"/meetings/{meeting.id}/agenda/{item.id}/remove", data={"reason": "材料不全"})
    db.session.refresh(case)
    assert case.state == CaseState.raised


def test_case_of_another_compound_cannot_be_put_on_the_agenda(world, login_as, db):
    meeting = planned_meeting(world, with_case=False)
    other = make_case(world.mc_compound, world.liaison)
    response = login_as(world.liaison).post(f"/meetings/{meeting.id}/agenda",
                                            data={"case_id": str(other.id)})
    assert response.status_code == 302
    db.session.refresh(other)
    assert other.state == CaseState.raised
    assert not meeting.agenda


def test_agenda_reorder(world, login_as, db):
    meeting = planned_meeting(world)
    second = make_case(world.compound, world.liaison, title="第二个议题")
    client = login_as(world.liaison)
    client.post(f"/meetings/{meeting.id}/agenda", data={"case_id": str(second.id)})
    item = next(i for i in meeting.agenda if i.case_id == second.id)
    client.post(f"/meetings/{meeting.id}/agenda/{item.id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert [i.case_id for i in meeting.agenda][0] == second.id


def test_meeting_without_three_party_quorum_cannot_be_held(world, login_as, db):
    meeting = planned_meeting(world)
    take_roll_call(meeting, world, absent=("property_rep",))
    response = login_as(world.liaison).post(f"/meetings/{meeting.id}/held", follow_redirects=True)
    db.session.refresh(meeting)
    assert meeting.state == MeetingState.planned
    page = response.get_data(as_text=True)
    assert "cannot be marked held" in page or "不能标记为已召开" in page


def test_roll_call_page_shows_live_quorum(world, login_as):
    meeting = planned_meeting(world)
    client = login_as(world.liaison)
    data = {"roll-submit": "1"}
    for user in (world.residents_member, world.owners_member, world.property_rep):
        data[f"status-{user.id}"] = "present"
    client.post(f"/meetings/{meeting.id}/attendance", data=data)
    page = client.get(f"/meetings/{meeting.id}/attendance").get_data(as_text=True)
    assert 'class="quorum ok"' in page
    assert client.post(f"/meetings/{meeting.id}/held").status_code == 302


def test_closing_carries_undecided_cases_over(world, login_as, db):
    meeting = planned_meeting(world)
    case = meeting.agenda[0].case
    client = login_as(world.liaison)
    client.post(f"/meetings/{meeting.id}/cancel", data={"reason": "台风"})
    db.session.refresh(case)
    db.session.refresh(meeting)
    assert meeting.state == MeetingState.cancelled
    assert case.state == CaseState.raised and case.carried_over
    later = planned_meeting(world, with_case=False)
    fresh = make_case(world.compound, world.liaison, title="新议题")
    page = client.get(f"/meetings/{later.id}").get_data(as_text=True)
    # The carried-over case is offered first in the agenda form.
    assert page.index(case.number) < page.index(fresh.number)
    events = db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.subject_id == case.id, AuditEvent.action == "carry_over"))
    assert events == 1


def test_held_meeting_gets_default_signers(world):
    meeting = held_meeting(world)
    assert {r.user.username for r in meeting.required_signers} == {
        "residents_member", "owners_member", "property_rep"}


def test_the_agenda_menu_is_capped_but_any_raised_case_may_be_added(world, login_as, db,
                                                                    monkeypatch):
    from tracker.meetings import queries
    monkeypatch.setattr(queries, "AGENDA_CHOICES_MAX", 2)
    meeting = planned_meeting(world, with_case=False)
    cases = [make_case(world.compound, world.liaison, title=f"积压诉求{n}") for n in range(3)]
    client = login_as(world.liaison)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "积压诉求0" in page and "积压诉求1" in page  # the two oldest …
    assert "积压诉求2" not in page  # … and no more
    client.post(f"/meetings/{meeting.id}/agenda", data={"case_id": str(cases[2].id)})
    db.session.refresh(cases[2])
    assert cases[2].state == CaseState.meeting  # not in the menu, still a valid choice


def test_a_huge_case_id_for_the_agenda_is_refused_not_an_error(world, login_as, db):
    meeting = planned_meeting(world, with_case=False)
    response = login_as(world.liaison).post(f"/meetings/{meeting.id}/agenda",
                                            data={"case_id": "9" * 30})
    assert response.status_code == 302 and not meeting.agenda
