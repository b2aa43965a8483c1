"""The working calendar the district keeps: provisional deadlines in a year nobody confirmed,
confirmed ones once its arrangement is entered, and the open deadlines counted again then.

The years 2035 and 2036 stand for "a year whose notice is not out yet": the holidays library
only extrapolates their festivals. The arrangement entered for 2035 below is made up so that it
differs from the library's guess where the boundaries are: its Spring Festival runs 7–14
February (the library guesses 7–10 and 12 February), and Saturday 17 February and Saturday
29 December are make-up working days.
"""
from datetime import date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import delete, select

from tracker.audit.models import AuditEvent
from tracker.core.cache import forget
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.followup import operations as followup
from tracker.followup.deadlines import deadline_for
from tracker.notifications.models import Notification
from tracker.workcalendar import operations, queries
from tracker.workcalendar.models import CalendarDay, CalendarYear, YearSource
from tracker.workcalendar.rules import BEIJING, DayKind, library_days

SPRING_FESTIVAL_2035 = [date(2035, 2, 7) + timedelta(days=n) for n in range(8)]  # 7–14 Feb
ARRANGEMENT_2035 = {
    date(2035, 1, 1): DayKind.off,
    **{day: DayKind.off for day in SPRING_FESTIVAL_2035},
    date(2035, 2, 17): DayKind.work,   # Saturday
    date(2035, 12, 29): DayKind.work,  # Saturday, moved for 2036's New Year
}
ARRANGEMENT_2036 = {date(2036, 1, 1): DayKind.off}


def bj(*args) -> datetime:
    return datetime(*args, tzinfo=BEIJING)


def end_of(y, m, d) -> datetime:
    return bj(y, m, d, 23, 59, 59, 999999)


def forget_years(*years: int) -> None:
    """Make ``years`` unconfirmed whatever the installed library carries (written past the
    operations, so the answers every worker shares about them are forgotten here)."""
    db.session.execute(delete(CalendarDay).where(CalendarDay.year.in_(years)))
    db.session.execute(delete(CalendarYear).where(CalendarYear.year.in_(years)))
    db.session.commit()
    forget(*(queries.confirmed_cache_key(year) for year in years))


def now_in_beijing() -> datetime:
    return utcnow().astimezone(BEIJING)


def forget_the_years_ahead() -> list[int]:
    """Make the years a 15-working-day deadline set now may reach unconfirmed; returns them."""
    now = now_in_beijing()
    years = sorted({now.year, (now + timedelta(days=40)).year})
    forget_years(*years)
    return years


@pytest.fixture
def unconfirmed_2035(db):
    forget_years(2035, 2036)
    # What the tests below take the library's guess to be (holidays 0.109 and later).
    guess = {d for d, (kind, _name) in library_days(2035).items() if kind is DayKind.off}
    assert {date(2035, 2, 7), date(2035, 2, 12)} <= guess
    assert not guess & {date(2035, 2, 13), date(2035, 2, 14), date(2035, 12, 31)}


def test_the_last_counted_day_is_the_saturday_make_up_day(unconfirmed_2035):
    start = bj(2035, 2, 15, 10, 0)  # Thursday
    provisional = deadline_for("general", start)
    # Weekends and the guessed festivals: Fri 16, Mon 19 … Mon 26 February.
    assert provisional.at == end_of(2035, 2, 26) and provisional.provisional
    operations.import_year(None, 2035, ARRANGEMENT_2035, notice_title="2035年放假安排")
    confirmed = deadline_for("general", start)
    # Fri 16, Sat 17 (make-up), Mon 19 … Fri 23: the seventh is Fri 23; and two working days
    # end on the Saturday itself.
    assert confirmed.at == end_of(2035, 2, 23) and not confirmed.provisional
    assert queries.calendar_from(start).add_working_days(start, 2).at == end_of(2035, 2, 17)


def test_a_period_that_starts_the_day_before_the_festival_week(unconfirmed_2035):
    start = bj(2035, 2, 6, 16, 0)  # Tuesday, the day before
    # Guess: 7–12 off (12th a Monday 补假), then Tue 13 … Wed 21 February.
    assert deadline_for("general", start).at == end_of(2035, 2, 21)
    operations.import_year(None, 2035, ARRANGEMENT_2035)
    # Entered: 7–14 off, then Thu 15, Fri 16, Sat 17 (make-up), Mon 19 … Thu 22 February.
    assert deadline_for("general", start).at == end_of(2035, 2, 22)


def test_a_period_across_the_31st_of_december(unconfirmed_2035):
    start = bj(2035, 12, 27, 9, 0)  # Thursday
    both_guessed = deadline_for("general", start)
    # Fri 28, Mon 31, (1 January off), Wed 2 … Tue 8 January.
    assert both_guessed.at == end_of(2036, 1, 8)
    assert both_guessed.unconfirmed_years == (2035, 2036)
    operations.import_year(None, 2035, ARRANGEMENT_2035)
    half = deadline_for("general", start)
    # Fri 28, Sat 29 (make-up), Mon 31, Wed 2 … Mon 7 January; 2036 still a guess.
    assert half.at == end_of(2036, 1, 7) and half.provisional
    assert half.unconfirmed_years == (2036,)
    operations.import_year(None, 2036, ARRANGEMENT_2036)
    whole = deadline_for("general", start)
    assert whole.at == end_of(2036, 1, 7) and not whole.provisional


def test_the_last_week_of_december_waits_for_next_years_notice(unconfirmed_2035):
    operations.import_year(None, 2035, ARRANGEMENT_2035)
    assert not deadline_for("general", bj(2035, 12, 10, 9, 0)).provisional  # ends 19 December
    # Ends on 27 December: next year's notice may still move days of that week.
    assert deadline_for("general", bj(2035, 12, 18, 9, 0)).provisional


def test_hour_tiers_need_no_calendar(unconfirmed_2035):
    urgent = deadline_for("urgent", bj(2035, 2, 8, 9, 0))
    assert urgent.at == bj(2035, 2, 8, 11, 0) and not urgent.provisional


# --- the vote, the task, and the year confirmed later ----------------------------------------

def test_a_passed_vote_gets_a_provisional_task_recomputed_when_the_year_is_imported(
        world, cli_runner):
    """At whatever date the suite runs (pytest --clock): the task is never dropped; once the
    year is entered the deadline moves, the move is audited and the responsible party told."""
    from tests import vote_factories
    touched = forget_the_years_ahead()
    case = vote_factories.case_in_follow_up(world)
    [task] = followup.tasks_of(case)
    assert task.tier == "complex" and task.provisional
    before = task.due_at.astimezone(BEIJING)
    # The notice turns the deadline's own day into a day off, so the deadline moves on.
    guessed_off = [day for day, (kind, _name) in library_days(before.year).items()
                   if kind is DayKind.off and day != before.date()]
    lines = [f"{day.isoformat()},off" for day in [before.date(), *guessed_off]]
    path = cli_runner.tmp_path / "arrangement.csv"
    path.write_text("date,kind\n" + "\n".join(lines) + "\n", encoding="utf-8")
    for year in touched:
        if year != before.year:
            operations.import_year(None, year, {}, notice_title=f"{year}年")
    db.session.commit()
    result = cli_runner.invoke(args=["calendar", "import", str(before.year), str(path),
                                "--notice", "关于部分节假日安排的通知 国办发明电〔2099〕1号"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    task = db.session.get(type(task), task.id)
    assert not task.provisional
    assert task.due_at.astimezone(BEIJING).date() > before.date()
    moved = db.session.scalars(select(AuditEvent).where(
        AuditEvent.subject_type == "case", AuditEvent.subject_id == case.id,
        AuditEvent.action == "deadline_moved")).one()
    assert moved.data["task"] == task.id and datetime.fromisoformat(moved.data["from"]) == before
    told = db.session.scalars(select(Notification).where(
        Notification.user_id == world.property_rep.id,
        Notification.key.like(f"task:{task.id}:deadline:%"))).one()
    assert "调整为" in told.text and case.number in told.text
    assert db.session.scalar(select(Notification.id).where(
        Notification.user_id == world.liaison.id,
        Notification.key == told.key)) is not None


def test_a_deadline_that_does_not_move_is_confirmed_quietly(world):
    from tests import vote_factories
    touched = forget_the_years_ahead()
    case = vote_factories.case_in_follow_up(world)
    [task] = followup.tasks_of(case)
    due = task.due_at
    for year in touched:  # exactly the guess, confirmed
        operations.import_year(None, year, {d: k for d, (k, _n) in library_days(year).items()
                                            if k is DayKind.off})
    db.session.commit()
    db.session.refresh(task)
    assert task.due_at == due and not task.provisional
    actions = set(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.subject_type == "case", AuditEvent.subject_id == case.id)))
    assert "deadline_confirmed" in actions and "deadline_moved" not in actions
    assert db.session.scalar(select(Notification.id).where(
        Notification.key.like(f"task:{task.id}:deadline:%"))) is None


# --- the file and the library ------------------------------------------------------------------

@pytest.fixture
def cli_runner(app, db, tmp_path):
    runner = app.test_cli_runner()
    runner.tmp_path = tmp_path
    return runner


def test_a_bad_file_is_refused_whole_with_its_line_numbers(cli_runner):
    forget_years(2035)
    path = cli_runner.tmp_path / "bad.csv"
    path.write_text("date,kind\n2035-01-01,off\n2035-02-07,holiday\n2036-01-01,off\n"
                    "2035-01-01,work\n2035-13-01,off\n2035-02-08\n", encoding="utf-8")
    result = cli_runner.invoke(args=["calendar", "import", "2035", str(path)])
    assert result.exit_code != 0
    refused = [line.split("：")[0] for line in result.output.splitlines() if line.startswith("第")]
    assert refused == ["第3行", "第4行", "第5行", "第6行", "第7行"], result.output
    assert "holiday" in result.output and "2036-01-01" in result.output
    assert queries.year_record(2035) is None
    assert db.session.scalar(select(CalendarDay.day).where(CalendarDay.year == 2035)) is None


def test_import_show_and_status_on_the_command_line(cli_runner, world):
    forget_years(2035)
    path = cli_runner.tmp_path / "2035.csv"
    path.write_text("\n".join(f"{d.isoformat()},{k.value}" for d, k in ARRANGEMENT_2035.items()),
                    encoding="utf-8")
    result = cli_runner.invoke(args=["calendar", "import", "2035", str(path), "--notice",
                                     "关于2035年部分节假日安排的通知 国办发明电〔2034〕9号",
                                     "--by", "district_official"])
    assert result.exit_code == 0, result.output
    record = queries.year_record(2035)
    assert record.updated_by_id == world.district_official.id
    assert record.confirmed and record.source is YearSource.manual
    assert record.notice_number == "国办发明电〔2034〕9号"
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.subject_type == "calendar_year", AuditEvent.subject_id == 2035)).one()
    assert event.action == "imported" and "2035-02-17" in event.data["work"]
    shown = cli_runner.invoke(args=["calendar", "show", "2035"]).output
    assert "2035-02-17 work" in shown and "2035-02-13 off" in shown and "已确认" in shown
    status = cli_runner.invoke(args=["calendar", "status"]).output
    assert "2035: 已确认（人工录入）" in status and "2026: 已确认（取自 holidays" in status


def test_the_library_never_overwrites_a_year_entered_by_hand(db):
    operations.import_year(None, 2026, {date(2026, 3, 2): DayKind.off}, notice_title="更正")
    record = queries.year_record(2026)
    record.library_version = "0.1"  # as if filled by an older release before the correction
    forget_years(2025)
    db.session.commit()
    assert 2025 in operations.fill_from_library(None)
    assert 2026 not in operations.fill_from_library(None)
    db.session.commit()
    assert queries.entered_days(2026) == {date(2026, 3, 2): (DayKind.off, "")}
    # The hand-entered year decides, whatever the library says: only 2 March off, and Saturday
    # 28 February no longer a make-up day: Tue 3 … Wed 11 March.
    assert not deadline_for("general", bj(2026, 2, 27, 9, 0)).provisional
    assert deadline_for("general", bj(2026, 2, 27, 9, 0)).at == end_of(2026, 3, 11)


def test_a_newer_library_release_refreshes_the_years_it_filled(db):
    record = queries.year_record(2025)
    record.library_version = "0.99"
    db.session.execute(delete(CalendarDay).where(CalendarDay.day == date(2025, 10, 8)))
    db.session.commit()
    assert operations.fill_from_library(None) == [2025]
    db.session.commit()
    assert queries.entered_days(2025)[date(2025, 10, 8)][0] is DayKind.off


# --- the pages ------------------------------------------------------------------------------

def test_a_district_official_marks_days_and_confirms_the_year(world, login_as):
    forget_years(2035)
    client = login_as(world.district_official)
    page = client.get("/calendar/2035")
    assert page.status_code == 200
    assert 'value="2035-02-13"' in page.get_data(as_text=True)
    assert client.post("/calendar/2035/day", data={"day": "2035-02-13"}).status_code == 302
    drawn = str(queries.year_record(2035).version)
    # A click from a page drawn before the year existed is outdated: nothing changes.
    client.post("/calendar/2035/day", data={"day": "2035-02-17", "version": ""})
    assert queries.year_as_entered(2035).is_working_day(date(2035, 2, 17)) is False
    assert client.post("/calendar/2035/day", data={"day": "2035-02-17",
                                                   "version": drawn}).status_code == 302
    record = queries.year_record(2035)
    assert not record.confirmed  # a draft: deadlines still provisional
    assert deadline_for("general", bj(2035, 2, 6, 9, 0)).provisional
    response = client.post("/calendar/2035/confirm", data={
        "notice_title": "国务院办公厅关于2035年部分节假日安排的通知", "notice_number": "",
        "version": str(record.version)})
    assert response.status_code == 302
    calendar = queries.working_calendar([2035])
    assert not calendar.is_working_day(date(2035, 2, 13))
    assert calendar.is_working_day(date(2035, 2, 17))
    # The festivals the page showed as foreseen, and nobody clicked, stay days off.
    assert not calendar.is_working_day(date(2035, 1, 1))  # a Monday
    assert not calendar.is_working_day(date(2035, 10, 2))
    assert queries.year_record(2035).updated_by_id == world.district_official.id
    history = client.get("/calendar/2035").get_data(as_text=True)
    assert "李宝红" in history


def test_confirming_without_the_notice_keeps_what_was_typed(world, login_as):
    forget_years(2035)
    client = login_as(world.admin)
    response = client.post("/calendar/2035/confirm", data={
        "notice_title": "", "notice_number": "国办发明电〔2034〕9号"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "国办发明电〔2034〕9号" in text and 'id="notice_title-error"' in text
    assert queries.year_record(2035) is None


def test_a_bad_file_on_the_page_is_refused_next_to_the_field(world, login_as):
    import io
    forget_years(2035)
    client = login_as(world.admin)
    response = client.post("/calendar/2035/import", data={
        "notice_title": "通知", "file": (io.BytesIO(b"2035-02-07,holiday\n"), "a.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert "holiday" in response.get_data(as_text=True)
    assert queries.year_record(2035) is None


@pytest.mark.parametrize("role", ["liaison", "official", "owners_member", "property_rep"])
def test_only_district_officials_and_administrators_edit(world, login_as, role):
    client = login_as(getattr(world, role))
    assert client.get("/calendar/2027").status_code == 200
    assert client.post("/calendar/2027/day", data={"day": "2027-02-11"}).status_code == 403
    assert client.post("/calendar/2027/confirm", data={"notice_title": "x"}).status_code == 403
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.subject_type == "calendar_year")) is None


def test_district_officials_see_a_banner_from_november_until_next_year_is_entered(
        world, login_as):
    forget_years(2036)
    with time_machine.travel(bj(2035, 11, 2, 9, 0), tick=False):
        official = login_as(world.district_official).get("/cases/").get_data(as_text=True)
        assert "2036" in official and "/calendar/2036" in official
        liaison = login_as(world.liaison).get("/cases/").get_data(as_text=True)
        assert "/calendar/2036" not in liaison
        operations.import_year(world.admin, 2036, ARRANGEMENT_2036)
        db.session.commit()
        after = login_as(world.district_official).get("/cases/").get_data(as_text=True)
        assert "/calendar/2036" not in after
    with time_machine.travel(bj(2035, 10, 30, 9, 0), tick=False):
        forget_years(2036)
        before = login_as(world.admin).get("/cases/").get_data(as_text=True)
        assert "/calendar/2036" not in before


def test_the_case_page_says_a_deadline_is_provisional(world, login_as):
    from tests import vote_factories
    forget_the_years_ahead()
    case = vote_factories.case_in_follow_up(world)
    text = login_as(world.liaison).get(f"/cases/{case.id}").get_data(as_text=True)
    assert "暂定" in text


def test_a_passed_resolution_left_without_its_task_gets_it_back(world):
    """A passed vote closed without its task (when the calendar lacked a year) leaves its case
    in follow-up with nothing to follow up; ``db upgrade`` gives it its task, counted from then
    so that it does not start overdue."""
    from tests import vote_factories
    from tracker.followup.models import FollowUpTask
    case = vote_factories.case_in_follow_up(world)
    [lost] = followup.tasks_of(case)
    db.session.execute(delete(FollowUpTask))
    db.session.commit()
    [task] = followup.restore_missing_tasks()
    db.session.commit()
    assert task.case_id == case.id and task.tier == "complex"
    assert task.responsible_party_id == lost.responsible_party_id
    assert abs(task.counted_from - now_in_beijing()) < timedelta(seconds=5)
    assert task.due_at > now_in_beijing() + timedelta(days=15)
    assert followup.restore_missing_tasks() == []  # once repaired, nothing more


def test_the_timeline_says_in_chinese_that_a_deadline_moved(world, login_as):
    from tests import vote_factories
    touched = forget_the_years_ahead()
    case = vote_factories.case_in_follow_up(world)
    [task] = followup.tasks_of(case)
    due = task.due_at.astimezone(BEIJING).date()
    for year in touched:
        operations.import_year(None, year, {due: DayKind.off} if due.year == year else {})
    db.session.commit()
    text = login_as(world.liaison).get(f"/cases/{case.id}").get_data(as_text=True)
    assert "重新计算了督办期限" in text and f"{due.isoformat()} → " in text
    assert "deadline_moved" not in text


def _vote_ready_to_pass(world):
    from tests import vote_factories
    from tracker.places.models import PartyKind
    from tracker.voting import operations as voting
    forget_the_years_ahead()
    vote = vote_factories.committee_vote(world, extra_members=0)
    voting.cast_ballot(vote, world.owners_member, "for")
    vote.resolution.responsible_party = world.compound.party_of(PartyKind.property_company)
    db.session.commit()
    return vote


def test_closing_the_vote_on_the_page_warns_that_the_deadline_is_provisional(world, login_as):
    vote = _vote_ready_to_pass(world)
    client = login_as(world.liaison)
    response = client.post(f"/votes/{vote.id}/close", data={"confirm": "y"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert 'class="flash flash-warning"' in response.get_data(as_text=True)
    assert "为暂定" in response.get_data(as_text=True)


def test_closing_the_vote_through_the_api_sets_no_session(world, client, bearer):
    vote = _vote_ready_to_pass(world)
    response = client.post(f"/api/v1/votes/{vote.id}/close", json={},
                           headers=bearer(world.liaison))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    [task] = followup.tasks_of(db.session.get(type(vote), vote.id).resolution.case)
    assert task.provisional


def test_a_file_that_is_no_csv_is_refused_with_a_message(cli_runner):
    forget_years(2035)
    path = cli_runner.tmp_path / "huge.csv"
    path.write_text("2035-01-01," + "x" * 200_000 + "\n", encoding="utf-8")
    result = cli_runner.invoke(args=["calendar", "import", "2035", str(path)])
    assert result.exit_code != 0 and "CSV" in result.output
    assert queries.year_record(2035) is None


def test_a_task_reopened_after_its_year_was_confirmed_is_counted_again(world):
    from tests import vote_factories
    touched = forget_the_years_ahead()
    case = vote_factories.case_in_follow_up(world)
    [task] = followup.tasks_of(case)
    followup.report_progress(task, world.property_rep, note="完成", progress=100)
    due = task.due_at.astimezone(BEIJING).date()
    for year in touched:  # the guess, and the notice makes the (done) task's last day off
        guess = {d: k for d, (k, _n) in library_days(year).items() if k is DayKind.off}
        operations.import_year(None, year, {**guess, due: DayKind.off} if due.year == year
                               else guess)
    db.session.commit()
    assert task.provisional  # done: left alone
    followup.report_progress(task, world.property_rep, note="又坏了", progress=50)
    db.session.commit()
    assert not task.provisional and task.due_at.astimezone(BEIJING).date() > due


def test_an_outdated_confirmation_is_refused_and_comes_back_ready_to_send(world, login_as):
    forget_years(2035)
    client = login_as(world.district_official)
    client.post("/calendar/2035/day", data={"day": "2035-02-13", "version": ""})
    current = queries.year_record(2035).version
    response = client.post("/calendar/2035/confirm", data={
        "notice_title": "关于2035年部分节假日安排的通知", "version": ""})  # drawn before
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "关于2035年部分节假日安排的通知" in text and f'value="{current}"' in text
    assert not queries.year_record(2035).confirmed
