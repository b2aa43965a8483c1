"""Reminders for cron: each threshold reaches each person once; rerunning sends nothing new."""
from datetime import timedelta

from sqlalchemy import select

from tests.helpers.followup import follow_up_task
from tests.meeting_factories import held_meeting
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.followup import operations
from tracker.notifications.models import Notification


def _sent(user) -> list[str]:
    return list(db.session.scalars(select(Notification.key).where(
        Notification.user_id == user.id).order_by(Notification.id)))


def test_due_soon_then_overdue_each_once(world, app):
    task = follow_up_task(world)
    runner = app.test_cli_runner()
    task.due_at = utcnow() + timedelta(hours=5)
    db.session.commit()
    assert "task reminder" in runner.invoke(args=["reminders", "send"]).output
    runner.invoke(args=["reminders", "send"])
    assert _sent(world.property_rep) == [f"task:{task.id}:due-soon"]
    assert _sent(world.liaison) == [f"task:{task.id}:due-soon"]
    assert _sent(world.owners_member) == []   # not the responsible party
    task.due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    runner.invoke(args=["reminders", "send"])
    runner.invoke(args=["reminders", "send"])
    assert _sent(world.property_rep) == [f"task:{task.id}:due-soon", f"task:{task.id}:overdue"]


def test_done_tasks_are_not_reminded(world, app):
    task = follow_up_task(world)
    operations.report_progress(task, world.property_rep, note="完成", progress=100)
    task.due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    app.test_cli_runner().invoke(args=["reminders", "send"])
    assert _sent(world.property_rep) == []


def test_unsigned_minutes_remind_the_convener_after_3_and_7_days(world, app):
    meeting = held_meeting(world)
    runner = app.test_cli_runner()
    runner.invoke(args=["reminders", "send"])
    assert _sent(world.liaison) == []
    meeting.held_at = utcnow() - timedelta(days=4)
    db.session.commit()
    runner.invoke(args=["reminders", "send"])
    meeting.held_at = utcnow() - timedelta(days=8)
    db.session.commit()
    runner.invoke(args=["reminders", "send"])
    runner.invoke(args=["reminders", "send"])
    assert _sent(world.liaison) == [f"meeting:{meeting.id}:unsigned-3d",
                                    f"meeting:{meeting.id}:unsigned-7d"]


def test_notification_centre_shows_and_marks_read(world, app, login_as):
    task = follow_up_task(world)
    task.due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    app.test_cli_runner().invoke(args=["reminders", "send"])
    client = login_as(world.property_rep)
    page = client.get("/notifications/").get_data(as_text=True)
    assert task.case.number in page and 'class="count"' in client.get("/cases/").get_data(
        as_text=True)
    [note] = db.session.scalars(select(Notification).where(
        Notification.user_id == world.property_rep.id)).all()
    response = client.post("/notifications/read", data={"id": str(note.id), "next": note.link})
    assert response.status_code == 302 and response.location.endswith(note.link)
    db.session.refresh(note)
    assert note.read_at is not None
    # Someone else's notification cannot be marked read.
    assert login_as(world.liaison).post("/notifications/read", data={"id": str(note.id)}) \
        .status_code == 302


def test_notification_routes_need_login_and_show_only_ones_own(app, client, world, login_as):
    routes = {r.endpoint for r in app.url_map.iter_rules()
              if r.endpoint.startswith("notifications.")}
    assert routes == {"notifications.inbox", "notifications.read"}
    assert "/login" in client.get("/notifications/").location
    assert "/login" in client.post("/notifications/read", data={}).location
    task = follow_up_task(world)
    task.due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    app.test_cli_runner().invoke(args=["reminders", "send"])
    page = login_as(world.official).get("/notifications/").get_data(as_text=True)
    assert task.case.number not in page
