"""Reminder e-mail through a real SMTP server on 127.0.0.1 (aiosmtpd), sent once per threshold."""
import email
import email.policy
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from tests.helpers.followup import follow_up_task
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.followup import operations


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, _server, _session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(app, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    yield inbox
    controller.stop()


def _recipients(inbox) -> list[str]:
    return sorted(r for m in inbox.messages for r in m.rcpt_tos)


def test_due_soon_and_overdue_are_mailed_once_each(world, app, smtp):
    world.property_rep.email = "lvjuan@example.org"
    task = follow_up_task(world)
    task.due_at = utcnow() + timedelta(hours=3)
    db.session.commit()
    runner = app.test_cli_runner()
    runner.invoke(args=["reminders", "send"])
    runner.invoke(args=["reminders", "send"])
    assert _recipients(smtp) == ["lvjuan@example.org"]
    body = email.message_from_bytes(smtp.messages[0].content,
                                    policy=email.policy.default).get_content()
    assert "24小时内到期" in body and task.case.number in body
    task.due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    runner.invoke(args=["reminders", "send"])
    runner.invoke(args=["reminders", "send"])
    assert len(smtp.messages) == 2


def test_nothing_is_sent_for_closed_cases(world, app, smtp):
    world.property_rep.email = "lvjuan@example.org"
    task = follow_up_task(world)
    operations.report_progress(task, world.property_rep, note="完成", progress=100)
    operations.record_visit(task.case, world.liaison, method=operations.VisitMethod.phone,
                            satisfaction=operations.Satisfaction.satisfied, comment="",
                            expected_version=task.case.version)
    task.due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    app.test_cli_runner().invoke(args=["reminders", "send"])
    assert smtp.messages == []
