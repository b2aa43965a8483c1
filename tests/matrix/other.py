"""The route matrix's rows for the public pages and the notification inbox
(tests/test_route_matrix.py)."""
from tests.matrix import TO_LOGIN, Unchanged
from tracker.extensions import db
from tracker.notifications.models import Notification


class Targets:
    """A notification of the liaison's."""

    def __init__(self, world):
        self.note = Notification(user_id=world.liaison.id, key="matrix", text="督办事项即将到期",
                                 link="/cases/")
        db.session.add(self.note)
        db.session.commit()


TO_INBOX = (302, r"/notifications/")
EVERYONE = {"others": 200}
LOGGED_IN = {"anonymous": TO_LOGIN, "others": 200}

# (endpoint, method, url(targets), expected, data(targets))
SCENARIOS = {
    "stylesheet": ("static", "GET", lambda t: "/static/css/app.css", EVERYONE, None),
    # A resident looks a case up without an account (test_public_status.py).
    "status lookup page": ("public.lookup", "GET", lambda t: "/status/", EVERYONE, None),
    "look up a case": ("public.lookup", "POST", lambda t: "/status/", {"others": Unchanged(200)},
                       lambda t: {"number": "NOPE-2026-001", "phone_tail": "1111"}),
    "notification inbox": ("notifications.inbox", "GET", lambda t: "/notifications/", LOGGED_IN,
                           None),
    # Only the liaison's own notification is marked read; anyone else's request changes nothing.
    "mark the liaison's notification read": (
        "notifications.read", "POST", lambda t: "/notifications/read",
        {"anonymous": TO_LOGIN, "liaison": TO_INBOX, "others": Unchanged(TO_INBOX)},
        lambda t: {"id": str(t.note.id)}),
}
