"""Sending notifications: in-app always, e-mail too when SMTP is configured."""
import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

from tracker.auth.models import User
from tracker.core.cache import forget_after_commit
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.notifications.models import Notification
from tracker.notifications.queries import notified_user_ids, unread_cache_key, unread_of

log = logging.getLogger(__name__)


def notify(users: list[User], key: str, text: str, link: str = "", *,
           email: bool = True) -> list[Notification]:
    """Notify each of ``users`` once per ``key``; those already notified are skipped, so running
    a reminder job again sends nothing new. ``email``: also by e-mail where configured.
    Returns the notifications created."""
    users = {u.id: u for u in users if u is not None and u.active}
    if not users:
        return []
    already = notified_user_ids(key, users)
    created = [Notification(user_id=uid, key=key, text=text[:500], link=link)
               for uid in users if uid not in already]
    db.session.add_all(created)
    db.session.flush()
    forget_after_commit(db.session, *(unread_cache_key(n.user_id) for n in created))
    if email:
        _email([users[n.user_id] for n in created], text, link)
    return created


def _email(users: list[User], text: str, link: str) -> None:
    server = current_app.config.get("MAIL_SERVER")
    recipients = [u.email for u in users if getattr(u, "email", None)]
    if not server or not recipients:
        return
    message = EmailMessage()
    message["Subject"] = "三方联动议事台提醒"
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = ", ".join(recipients)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    message.set_content(f"{text}\n\n{base}{link}" if link else text)
    try:
        with smtplib.SMTP(server, current_app.config["MAIL_PORT"], timeout=20) as smtp:
            if current_app.config["MAIL_USE_TLS"]:
                smtp.starttls()
            if current_app.config["MAIL_USERNAME"]:
                smtp.login(current_app.config["MAIL_USERNAME"],
                           current_app.config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        # The in-app notification stands; a mail server being down must not lose it.
        log.exception("could not send reminder e-mail to %s", recipients)


def mark_read(user: User, notification_id: int | None = None) -> None:
    now = utcnow()
    for notification in unread_of(user, notification_id):
        notification.read_at = now
    db.session.flush()
    forget_after_commit(db.session, unread_cache_key(user.id))
