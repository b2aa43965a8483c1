"""``flask demo district`` generates a consistent district: places, scopes, cases whose stage
columns, timelines, votes, follow-up and meetings agree with what the operations would write."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tests.factories import make_user
from tracker.audit.models import AuditEvent
from tracker.auth.models import LiaisonAssignment, OfficialScope, User
from tracker.auth.scope import visible_compound_ids
from tracker.cases.models import Case, CaseState
from tracker.cases.workflow import STAGE_COLUMNS, Action
from tracker.core.time import utcnow
from tracker.extensions import db as _db
from tracker.followup.models import FollowUpTask, ReturnVisit, Satisfaction
from tracker.meetings.minutes import content_sha256
from tracker.meetings.models import Meeting, MeetingState, MinutesDocument, Signature
from tracker.meetings.verification import verify_minutes_pdf
from tracker.places.models import Community, Compound, District, Street
from tracker.voting import queries as vote_queries
from tracker.voting import records
from tracker.voting.models import Resolution, Vote, VoteState

UNTIL = "2026-06-30 18:00"
UNTIL_AT = datetime(2026, 6, 30, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SMALL = ["--streets", "2", "--communities", "2", "--compounds", "2", "--cases", "12",
         "--months", "10"]
STAGES = ["raised_at", "on_agenda_at", "resolution_at", "follow_up_at", "closed_at"]
STATE_CHANGES = {a.value for a in Action} | {"raise"}


def generate(app, *args, name="测试区"):
    return app.test_cli_runner().invoke(args=["demo", "district", "--name", name, *args])


@pytest.fixture
def district(app, db):
    result = generate(app, *SMALL, "--until", UNTIL)
    assert result.exit_code == 0, result.output
    return result


def cases_of(name="测试区"):
    return list(_db.session.scalars(select(Case).join(Compound).join(Community).join(Street)
                                    .join(District).where(District.name == name)
                                    .order_by(Case.raised_at, Case.number)))


def test_counts_progress_and_summary(district, db):
    output = district.output
    assert "Generating 测试区" in output           # the progress bar's label
    assert "Generated 测试区" in output and "Sample logins" in output
    assert "street official" in output and "liaison" in output and "district official" in output
    assert "Elapsed:" in output
    [place] = db.session.scalars(select(District).where(District.name == "测试区"))
    assert len(place.streets) == 2
    assert sum(len(s.communities) for s in place.streets) == 4
    assert sum(len(c.compounds) for s in place.streets for c in s.communities) == 8
    assert len(cases_of()) == 8 * 12
    assert "96 cases" in output


def test_every_state_occurs(district, db):
    assert {case.state for case in cases_of()} == set(CaseState)


def test_stage_columns_agree_with_the_timeline(district, db):
    now = utcnow()
    for case in cases_of():
        stamps = [getattr(case, column) for column in STAGES]
        present = [s for s in stamps if s is not None]
        assert stamps[:len(present)] == present, case.number     # no stage skipped
        assert present == sorted(present), case.number             # raised ≤ … ≤ closed
        assert all(s <= now and s <= UNTIL_AT for s in present), case.number
        assert (case.closed_at is not None) == (case.state == CaseState.closed), case.number
        if case.state in STAGE_COLUMNS:
            reached = STAGES.index(STAGE_COLUMNS[case.state])
            assert stamps[reached] is not None and stamps[reached + 1:] == \
                [None] * (len(STAGES) - reached - 1), case.number

        events = list(db.session.scalars(select(AuditEvent).where(
            AuditEvent.subject_type == "case", AuditEvent.subject_id == case.id)
            .order_by(AuditEvent.id)))
        assert events[0].action == "raise" and events[0].created_at == case.raised_at
        times = [e.created_at for e in events]
        assert times == sorted(times) and times[-1] <= now, case.number
        state, entered = None, {}
        for event in events:
            if event.to_state is None:
                continue
            assert event.action in STATE_CHANGES
            assert event.from_state == state, (case.number, event.action)
            state = event.to_state
            entered[CaseState(state)] = event.created_at
        assert state == case.state.value, case.number
        for target, column in STAGE_COLUMNS.items():
            if getattr(case, column) is not None:
                assert getattr(case, column) == entered[target], (case.number, column)


def test_nothing_happens_after_the_end(district, db):
    end = min(utcnow(), UNTIL_AT)
    for column in (AuditEvent.created_at, FollowUpTask.created_at, FollowUpTask.done_at,
                   ReturnVisit.visited_at, Vote.opened_at, Vote.closed_at, Meeting.created_at,
                   Meeting.held_at):
        assert db.session.scalar(select(func.max(column))) <= end, column


def test_a_street_official_sees_exactly_their_street(district, db):
    for scope in db.session.scalars(select(OfficialScope)):
        user = db.session.get(User, scope.user_id)
        seen = set(db.session.scalars(visible_compound_ids(user)))
        if scope.street_id:
            expected = select(Compound.id).join(Community).where(
                Community.street_id == scope.street_id)
        else:
            expected = select(Compound.id)
        assert seen == set(db.session.scalars(expected))
    for assignment in db.session.scalars(select(LiaisonAssignment)):
        seen = set(db.session.scalars(visible_compound_ids(assignment.user)))
        assert seen == {c.id for c in assignment.community.compounds}


def test_the_same_seed_gives_the_same_cases(app, db):
    for name in ("甲区", "乙区"):
        assert generate(app, *SMALL, "--until", UNTIL, name=name).exit_code == 0
    assert generate(app, *SMALL, "--until", UNTIL, "--seed", "2", name="丙区").exit_code == 0

    def story(name):
        return [(c.title, c.state, *(getattr(c, column) for column in STAGES))
                for c in cases_of(name)]
    assert story("甲区") == story("乙区")
    assert story("甲区") != story("丙区")
    codes = list(db.session.scalars(select(Compound.code)))
    assert len(codes) == len(set(codes)) == 24


def test_an_existing_name_is_refused(app, db):
    assert generate(app, "--streets", "1", "--communities", "1", "--compounds", "1",
                    "--cases", "2").exit_code == 0
    before = db.session.scalar(select(func.count(Case.id)))
    again = generate(app, "--streets", "1")
    assert again.exit_code == 1
    assert "already exists" in again.output
    assert db.session.scalar(select(func.count(Case.id))) == before


def test_logins_skip_phone_numbers_and_usernames_already_taken(app, db):
    make_user("13600000002", "已有用户")
    make_user("someone", "已有用户", phone="13600000003")
    db.session.commit()
    result = generate(app, "--streets", "1", "--communities", "1", "--compounds", "2",
                      "--cases", "3")
    assert result.exit_code == 0, result.output
    phones = list(db.session.scalars(select(User.phone).where(User.phone.is_not(None))))
    usernames = list(db.session.scalars(select(User.username)))
    assert len(phones) == len(set(phones)) and len(usernames) == len(set(usernames))
    assert "13600000001" in phones and "13600000004" in phones
    # Generated people log in with their phone number (the seed-story demo uses 139…).
    assert all(p.startswith("136") for p in phones)


def test_generated_pages_render(district, client, login_as, db):
    """A liaison and a street official open cases in every state, meetings and votes."""
    liaison = db.session.scalar(select(LiaisonAssignment)).user
    official = db.session.scalar(select(OfficialScope).where(
        OfficialScope.street_id.is_not(None))).user
    mine = select(Compound.id).join(Community).join(LiaisonAssignment,
                                                   LiaisonAssignment.community_id == Community.id
                                                   ).where(LiaisonAssignment.user_id == liaison.id)
    login_as(liaison)
    for state in CaseState:
        case = db.session.scalar(select(Case).where(Case.state == state,
                                                    Case.compound_id.in_(mine)).limit(1))
        if case is not None:
            page = client.get(f"/cases/{case.id}")
            assert page.status_code == 200 and case.title in page.get_data(as_text=True)
    for meeting in db.session.scalars(select(Meeting).where(
            Meeting.community_id == db.session.scalar(select(LiaisonAssignment.community_id)
                                                      .where(LiaisonAssignment.user_id
                                                             == liaison.id)))):
        assert client.get(f"/meetings/{meeting.id}").status_code == 200
        if meeting.state == MeetingState.held:
            assert client.get(f"/meetings/{meeting.id}/minutes").status_code == 200
    for vote in db.session.scalars(select(Vote).join(Resolution).join(Case).where(
            Case.compound_id.in_(mine))):
        assert client.get(f"/votes/{vote.id}").status_code == 200
    login_as(official)
    assert client.get("/cases/").status_code == 200
    assert client.get("/meetings/").status_code == 200


def test_votes_recompute_to_their_stored_result(district, db):
    votes = list(db.session.scalars(select(Vote)))
    assert any(v.state == VoteState.closed and v.result["passed"] for v in votes)
    assert any(v.state == VoteState.closed and not v.result["passed"] for v in votes)
    for vote in votes:
        if vote.state == VoteState.open:
            assert vote.closes_at > UNTIL_AT and vote.inputs is None
            assert vote.resolution.case.state == CaseState.resolution
            continue
        assert records.verify(vote.inputs, vote.result)
        # …and the inputs are what the stored ballots and roll call give.
        assert vote_queries.snapshot(vote) == vote.inputs
        assert vote.resolution.passed == vote.result["passed"]


def test_follow_up_and_return_visits(district, db):
    tasks = list(db.session.scalars(select(FollowUpTask)))
    assert all(0 <= t.progress <= 100 for t in tasks)
    assert all((t.done_at is not None) == (t.progress == 100) for t in tasks)
    open_tasks = [t for t in tasks if t.done_at is None]
    assert any(t.due_at < UNTIL_AT for t in open_tasks)      # overdue
    assert any(t.due_at > UNTIL_AT for t in open_tasks)      # not yet due
    for case in cases_of():
        case_tasks = [t for t in tasks if t.case_id == case.id]
        visits = list(db.session.scalars(select(ReturnVisit).where(
            ReturnVisit.case_id == case.id).order_by(ReturnVisit.visited_at)))
        if case.state == CaseState.closed:
            assert case_tasks and all(t.done_at for t in case_tasks)
            assert visits[-1].satisfaction != Satisfaction.unsatisfied
            assert visits[-1].visited_at == case.closed_at
            assert all(v.satisfaction == Satisfaction.unsatisfied for v in visits[:-1])
        elif case.state == CaseState.follow_up:
            assert case_tasks
        else:
            assert not visits
    assert any(v.satisfaction == Satisfaction.unsatisfied
               for v in db.session.scalars(select(ReturnVisit)))


def test_without_pdfs_no_meeting_claims_to_be_signed(district, db):
    meetings = list(db.session.scalars(select(Meeting)))
    states = {m.state for m in meetings}
    assert {MeetingState.held, MeetingState.planned} <= states
    assert MeetingState.signed not in states
    assert db.session.scalar(select(func.count(MinutesDocument.id))) == 0
    assert db.session.scalar(select(func.count(Signature.id))) == 0
    for meeting in meetings:
        assert meeting.signed_at is None
        assert (meeting.held_at is not None) == (meeting.state == MeetingState.held)
        if meeting.state == MeetingState.held:
            assert {r.party_id for r in meeting.required_signers} == \
                {p.id for c in meeting.compounds for p in c.parties}
    numbers = [(m.community_id, m.number) for m in meetings]
    assert len(numbers) == len(set(numbers))
    on_agenda = set(db.session.scalars(select(Resolution.case_id)))
    assert on_agenda and all(db.session.get(Case, case_id).on_agenda_at for case_id in on_agenda)


def test_with_pdfs_signed_meetings_have_their_issued_pdf(app, db):
    result = generate(app, "--streets", "1", "--communities", "1", "--compounds", "1",
                      "--cases", "6", "--months", "3", "--until", UNTIL, "--pdfs")
    assert result.exit_code == 0, result.output
    signed = list(db.session.scalars(select(Meeting).where(
        Meeting.state == MeetingState.signed)))
    assert signed
    for meeting in signed:
        assert meeting.held_at < meeting.signed_at <= UNTIL_AT
        document = db.session.scalar(select(MinutesDocument).where(
            MinutesDocument.meeting_id == meeting.id))
        assert document is not None and verify_minutes_pdf(document.pdf).valid
        # The signatures vouch for the minutes as the app reads them now.
        assert document.content_sha256 == content_sha256(meeting)
        signatures = list(db.session.scalars(select(Signature).where(
            Signature.meeting_id == meeting.id)))
        assert {s.content_sha256 for s in signatures} == {content_sha256(meeting)}
        assert {s.party_id for s in signatures} == \
            {r.party_id for r in meeting.required_signers}
