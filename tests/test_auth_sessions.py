"""When a login ends: logging out ends that login for good (a copy of its session or remember-me
cookie is refused), "log out everywhere" ends every login of the person, a password change every
one but the device changing it, and no login outlives its lifetime (30 days)."""
from datetime import timedelta, timezone

import time_machine
from sqlalchemy import select

from tests.conftest import field_errors, page_text, shown
from tests.factories import PASSWORD
from tests.helpers.logins import is_logged_in, log_in
from tracker.audit.models import AuditEvent
from tracker.core.time import utcnow
from tracker.extensions import db


def logged_in_remembered(app, login="liaison"):
    """A browser logged in with "Stay logged in on this device" ticked, and its remember-me
    cookie."""
    browser = app.test_client()
    response = browser.post("/login", data={"login": login, "password": PASSWORD,
                                            "remember": "y"})
    assert response.status_code == 302
    return browser, browser.get_cookie("remember_token")


def with_cookie(app, name, value):
    """Another browser that holds only a copy of the cookie ``name``."""
    copy = app.test_client()
    copy.set_cookie(name, value)
    return copy


def sent_to_login(client) -> bool:
    response = client.get("/cases/")
    return response.status_code == 302 and response.location.startswith("/login")


def actions(user) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.subject_type == "user", AuditEvent.subject_id == user.id)
        .order_by(AuditEvent.id)))


# -- logging out ---------------------------------------------------------------------------------

def test_a_session_cookie_copied_before_logging_out_is_refused_after(app, world):
    browser = app.test_client()
    log_in(browser, "liaison")
    copy = with_cookie(app, "session", browser.get_cookie("session").value)
    assert is_logged_in(copy)

    assert browser.post("/logout").status_code == 302

    assert sent_to_login(copy)
    assert sent_to_login(browser)
    assert actions(world.liaison) == ["login", "logout"]


def test_a_remember_me_cookie_is_refused_after_logging_out(app, world):
    browser, remembered = logged_in_remembered(app)
    # The browser closed and opened again: only the remember-me cookie is left, and it works.
    assert is_logged_in(with_cookie(app, "remember_token", remembered.value))

    browser.post("/logout")

    assert sent_to_login(with_cookie(app, "remember_token", remembered.value))


def test_logging_out_on_one_device_keeps_the_others(app, world):
    phone, _cookie = logged_in_remembered(app)
    desktop = app.test_client()
    log_in(desktop, "liaison")

    desktop.post("/logout")

    assert is_logged_in(phone)
    assert sent_to_login(desktop)


def test_a_logout_is_forgotten_once_the_login_would_have_expired(app, world):
    from tracker.auth.models import EndedLogin  # here: the other tests also run on older code
    browser = app.test_client()
    log_in(browser, "liaison")
    browser.post("/logout")
    assert db.session.scalar(select(EndedLogin.user_id)) == world.liaison.id

    with time_machine.travel(utcnow() + timedelta(days=31), tick=False):
        log_in(browser, "liaison")
        browser.post("/logout")

    db.session.expire_all()
    assert len(db.session.scalars(select(EndedLogin)).all()) == 1  # the second login only


# -- how long a login lasts ----------------------------------------------------------------------

def test_stay_logged_in_lasts_30_days(app, world):
    _browser, remembered = logged_in_remembered(app)
    expires = remembered.expires
    expires = expires if expires.tzinfo else expires.replace(tzinfo=timezone.utc)
    assert abs(expires - (utcnow() + timedelta(days=30))) < timedelta(minutes=5)

    with time_machine.travel(utcnow() + timedelta(days=29), tick=False):
        assert is_logged_in(with_cookie(app, "remember_token", remembered.value))
    # A copy kept past the cookie's expiry is refused by the server, not only dropped by the
    # browser.
    with time_machine.travel(utcnow() + timedelta(days=30, minutes=1), tick=False):
        assert sent_to_login(with_cookie(app, "remember_token", remembered.value))


def test_a_session_from_before_logins_had_nonces_is_refused(world, client):
    with client.session_transaction() as session:
        session["_user_id"] = f"{world.liaison.id}:{world.liaison.session_epoch}"

    assert sent_to_login(client)


# -- log out everywhere --------------------------------------------------------------------------

def test_logging_out_everywhere_ends_every_session_and_remember_me(app, world):
    phone, remembered = logged_in_remembered(app)
    desktop = app.test_client()
    log_in(desktop, "liaison")
    someone_else = app.test_client()
    log_in(someone_else, "owners_member")

    response = desktop.post("/logout/everywhere", data={"everywhere": "y"})

    assert response.status_code == 302 and response.location == "/login"
    assert shown("You have logged out on every device.") in page_text(desktop.get("/login"))
    assert sent_to_login(desktop)
    assert sent_to_login(phone)
    assert sent_to_login(with_cookie(app, "remember_token", remembered.value))
    assert is_logged_in(someone_else)
    assert actions(world.liaison)[-1] == "logout_everywhere"
    # Logging in again works as before.
    assert log_in(app.test_client(), "liaison").status_code == 302


def test_logging_out_everywhere_asks_for_a_confirmation(app, world, client):
    log_in(client, "liaison")
    page = page_text(client.get("/account/password"))
    assert 'action="/logout/everywhere"' in page

    response = client.post("/logout/everywhere", data={})

    assert response.status_code == 400
    assert field_errors(page_text(response)) == {"everywhere": [shown("Tick to confirm.")]}
    assert is_logged_in(client)
    assert "logout_everywhere" not in actions(world.liaison)


# -- a password change ---------------------------------------------------------------------------

def test_a_password_change_ends_other_remember_me_cookies_and_keeps_this_one(app, world):
    _phone, phone_cookie = logged_in_remembered(app)
    desktop, _old_cookie = logged_in_remembered(app)

    response = desktop.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "brand new secret",
        "confirm": "brand new secret"})

    assert response.status_code == 302
    assert sent_to_login(with_cookie(app, "remember_token", phone_cookie.value))
    assert is_logged_in(desktop)
    # The device that changed it stays logged in after the browser is closed, too.
    desktop_cookie = desktop.get_cookie("remember_token")
    assert is_logged_in(with_cookie(app, "remember_token", desktop_cookie.value))
    assert actions(world.liaison)[-1] == "change_password"
