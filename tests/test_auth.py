"""Logging in and out, changing the password, login throttling and the ?next= guard."""
import hashlib

import pytest
from sqlalchemy import select

from tests.conftest import field_errors, input_value, page_text, shown
from tests.factories import PASSWORD
from tests.helpers.logins import is_logged_in, log_in
from tracker.audit.models import AuditEvent
from tracker.extensions import db

WRONG_LOGIN = "Wrong phone number, username or password."
THROTTLED = ("Too many failed logins. Please wait 15 minutes and try again, "
             "or ask your administrator to reset your password.")


@pytest.mark.parametrize("login", ["liaison", "13900000003", "  liaison  "],
                         ids=["username", "phone", "username with spaces"])
def test_login_by_username_or_phone(world, client, login):
    response = log_in(client, login)

    assert response.status_code == 302
    assert response.location == "/"
    assert is_logged_in(client)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login"))
    assert event.actor_id == world.liaison.id


@pytest.mark.parametrize(("login", "password"), [
    ("liaison", "wrong password"),
    ("13900000003", "wrong password"),
    ("nobody-by-this-name", PASSWORD),
], ids=["wrong password", "wrong password by phone", "unknown account"])
def test_wrong_credentials_say_the_same_thing(world, client, login, password):
    response = log_in(client, login, password)

    page = page_text(response)
    assert response.status_code == 200
    # The same message whether the account exists or not, next to the password field.
    assert field_errors(page) == {"password": [shown(WRONG_LOGIN)]}
    assert input_value(page, "login") == login
    assert not is_logged_in(client)


@pytest.fixture
def scrypt_calls(monkeypatch):
    """The parameters (n, r, p) of every scrypt hash computed while the fixture is active."""
    calls = []
    scrypt = hashlib.scrypt

    def counted(password, *, salt, n, r, p, maxmem=0, dklen=64):
        calls.append((n, r, p))
        return scrypt(password, salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=dklen)

    monkeypatch.setattr(hashlib, "scrypt", counted)
    return calls


@pytest.mark.parametrize("login", ["liaison", "nobody-by-this-name", "official"],
                         ids=["existing account", "unknown account", "deactivated account"])
def test_a_login_costs_one_password_check_whether_the_account_exists_or_not(
        world, client, scrypt_calls, login):
    """The answer's time must not tell who has an account (bench/login_timing.py measures it)."""
    world.official.active = False
    db.session.commit()
    # The first check of an unknown account in the process also makes its stand-in hash.
    log_in(client, "another-unknown-name", "wrong password", address="10.4.0.1")
    real = tuple(int(x) for x in world.liaison.password_hash.split("$")[0].split(":")[1:])
    scrypt_calls.clear()

    response = log_in(client, login, "wrong password")

    assert response.status_code == 200 and not is_logged_in(client)
    assert scrypt_calls == [real]  # one check, at the cost of a real account's


def test_inactive_account_is_refused(world, client):
    world.official.active = False
    db.session.commit()

    response = log_in(client, "official")

    assert response.status_code == 200
    assert field_errors(page_text(response))["login"] == [
        shown("This account has been deactivated. Ask your administrator.")]
    assert not is_logged_in(client)


def test_deactivating_ends_an_open_session(world, client, login_as):
    login_as(world.official)
    assert is_logged_in(client)

    world.official.active = False
    db.session.commit()

    response = client.get("/cases/")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_logout_is_post_only(world, client, login_as):
    login_as(world.liaison)

    assert client.get("/logout").status_code == 405
    assert is_logged_in(client)  # a link or an <img src=/logout> cannot log anyone out

    response = client.post("/logout", data={})
    assert response.status_code == 302
    assert response.location == "/login"
    assert shown("You have logged out.") in page_text(client.get("/login"))
    assert not is_logged_in(client)
    assert db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.actor_id == world.liaison.id)).all() == ["logout"]


def change_password(client, current, new, confirm=None):
    return client.post("/account/password", data={
        "current_password": current, "new_password": new,
        "confirm": new if confirm is None else confirm})


@pytest.mark.parametrize(("current", "new", "confirm", "field", "message"), [
    ("wrong password", "brand new secret", None, "current_password",
     "The current password is wrong."),
    (PASSWORD, "brand new secret", "brand new secreT", "confirm", "The two passwords differ."),
    (PASSWORD, "short", None, "new_password", "The password must have at least %(n)d characters."),
    ("", "brand new secret", None, "current_password", "Please enter your current password."),
], ids=["wrong current password", "mismatch", "too short", "no current password"])
def test_change_password_refused(world, client, login_as, current, new, confirm, field, message):
    login_as(world.liaison)

    response = change_password(client, current, new, confirm)

    assert response.status_code == 200
    expected = shown(message, n=8) if "%(n)d" in message else shown(message)
    assert field_errors(page_text(response)) == {field: [expected]}
    db.session.refresh(world.liaison)
    assert world.liaison.check_password(PASSWORD)


def test_change_password_logs_out_other_sessions(app, world, client, login_as):
    other_device = app.test_client()
    log_in(other_device, "liaison")
    assert is_logged_in(other_device)
    login_as(world.liaison)

    response = change_password(client, PASSWORD, "brand new secret")

    assert response.status_code == 302
    assert shown("Your password has been changed. Other devices have been logged out.") \
        in page_text(client.get("/", follow_redirects=True))
    assert is_logged_in(client)  # the device that changed it stays logged in
    stale = other_device.get("/cases/")
    assert stale.status_code == 302 and stale.location.startswith("/login")
    # Only the new password works from now on.
    fresh = app.test_client()
    assert log_in(fresh, "liaison", PASSWORD).status_code == 200
    assert log_in(fresh, "liaison", "brand new secret").status_code == 302


def test_account_is_throttled_after_five_failures(world, client):
    # Each attempt from a different address: the limit is per account, wherever they come from.
    for attempt in range(5):
        response = log_in(client, "liaison", "wrong password", address=f"10.2.0.{attempt}")
        assert response.status_code == 200

    refused = log_in(client, "liaison", PASSWORD, address="10.2.0.99")

    assert refused.status_code == 429
    page = page_text(refused)
    assert shown(THROTTLED) in page
    assert '<form method="post"' in page  # the login page, not a bare error
    assert not is_logged_in(client)
    # Another account from the same address is not affected.
    assert log_in(client, "owners_member", address="10.2.0.99").status_code == 302


def test_account_throttle_ignores_case_and_spaces(world, client):
    for spelling in ["liaison", "LIAISON", " Liaison", "liaison ", "LiAiSoN"]:
        assert log_in(client, spelling, "wrong password").status_code == 200

    assert log_in(client, "liaison").status_code == 429


def test_successful_logins_do_not_count(world, client):
    for _ in range(4):
        assert log_in(client, "liaison", "wrong password").status_code == 200
    for _ in range(3):
        assert log_in(client, "liaison").status_code == 302
        client.post("/logout", data={})

    assert log_in(client, "liaison").status_code == 302


def test_address_is_throttled_after_twenty_failures(world, client):
    for attempt in range(20):
        response = log_in(client, f"guess{attempt}", "wrong password", address="10.3.0.1")
        assert response.status_code == 200

    refused = log_in(client, "liaison", PASSWORD, address="10.3.0.1")

    assert refused.status_code == 429
    assert shown(THROTTLED) in page_text(refused)
    assert not is_logged_in(client)
    # The same account from another address is fine.
    assert log_in(client, "liaison", address="10.3.0.2").status_code == 302


@pytest.mark.parametrize(("next_url", "target"), [
    ("/cases/%3Fstate%3Draised", "/cases/?state=raised"),
    ("//evil.example/", "/"),
    ("https://evil.example/", "/"),
    ("/%5Cevil.example", "/"),          # /\evil.example: some browsers read \ as /
    ("/%09/evil.example", "/"),         # browsers drop tabs: // again
    ("/%0d%0aSet-Cookie:x=1", "/"),     # header injection must not become a 500
    ("javascript:alert(1)", "/"),
    ("", "/"),
], ids=["own page", "other host", "absolute URL", "backslash", "tab", "newline", "javascript",
        "empty"])
def test_next_only_leads_to_own_pages(world, client, next_url, target):
    response = log_in(client, "liaison", next_url=next_url)

    assert response.status_code == 302
    assert response.location == target


@pytest.mark.parametrize(("next_url", "target"), [
    ("/cases/", "/cases/"), ("//evil.example/", "/"), ("/\t/evil.example", "/")])
def test_language_switch_only_returns_to_own_pages(world, client, next_url, target):
    response = client.post("/language/en", data={"next": next_url})

    assert response.status_code == 302
    assert response.location == target


def test_login_page_in_english_after_switching(world, client):
    client.post("/language/en", data={"next": "/login"})
    response = log_in(client, "liaison", "wrong password")

    assert WRONG_LOGIN in page_text(response)
    assert '<html lang="en">' in page_text(response)


def test_throttle_message_in_english(world, client):
    client.post("/language/en", data={"next": "/login"})
    for _ in range(5):
        log_in(client, "liaison", "wrong password")

    refused = log_in(client, "liaison")

    assert refused.status_code == 429
    assert THROTTLED in page_text(refused)
