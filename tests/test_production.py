"""TRACKER_ENV=production: no start without a real SECRET_KEY and signing certificate; demo
accounts, the demo password and the demo commands refused."""
import pytest

from tests.conftest import page_text, shown
from tests.factories import PASSWORD, make_user
from tests.helpers.logins import is_logged_in, log_in
from tracker import create_app
from tracker.config import load_config
from tracker.core.production import ProductionConfigError, warnings
from tracker.documents.signing import ensure_demo_identity

KEY = "a" * 64
REFUSED = "Demo accounts and the demo password cannot be used on this server. " \
          "Ask your administrator for an account or a new password."


@pytest.fixture
def identity(tmp_path):
    return ensure_demo_identity(tmp_path / "signing")


def production_app(app, **changes):
    return create_app({**app.config, "TRACKER_ENV": "production",
                       "PUBLIC_BASE_URL": "https://yishi.example.gov.cn", **changes})


def test_a_complete_configuration_starts(app, identity):
    production_app(app, SECRET_KEY=KEY, SIGNING_CERT=str(identity.cert_path),
                   SIGNING_KEY=str(identity.key_path))


@pytest.mark.parametrize(("key", "message"), [
    ("", "SECRET_KEY is not set"),
    ("changeme", "SECRET_KEY is a placeholder"),
    ("test-secret", "SECRET_KEY is a placeholder"),
    ("short-but-not-a-placeholder", "shorter than 32 characters")])
def test_a_missing_or_placeholder_secret_key_is_refused(app, identity, key, message):
    with pytest.raises(ProductionConfigError, match=message):
        production_app(app, SECRET_KEY=key, SIGNING_CERT=str(identity.cert_path),
                       SIGNING_KEY=str(identity.key_path))


def test_without_secret_key_in_the_environment_none_is_generated(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert load_config(str(tmp_path))["SECRET_KEY"] == ""
    assert not (tmp_path / "secret_key").exists()


def test_missing_signing_certificate_is_refused(app, identity, tmp_path):
    with pytest.raises(ProductionConfigError, match="SIGNING_CERT and SIGNING_KEY are not set"):
        production_app(app, SECRET_KEY=KEY, SIGNING_CERT="", SIGNING_KEY="")
    with pytest.raises(ProductionConfigError, match="does not exist"):
        production_app(app, SECRET_KEY=KEY, SIGNING_CERT=str(tmp_path / "nope.pem"),
                       SIGNING_KEY=str(identity.key_path))
    other = ensure_demo_identity(tmp_path / "other")
    with pytest.raises(ProductionConfigError, match="does not belong"):
        production_app(app, SECRET_KEY=KEY, SIGNING_CERT=str(identity.cert_path),
                       SIGNING_KEY=str(other.key_path))


def test_a_limiter_counting_in_one_process_is_warned_about(app, identity, caplog):
    complete = {"SECRET_KEY": KEY, "SIGNING_CERT": str(identity.cert_path),
                "SIGNING_KEY": str(identity.key_path)}
    production_app(app, **complete, RATELIMIT_STORAGE_URI="memory://")
    assert "RATELIMIT_STORAGE_URI is memory://" in caplog.text
    assert warnings({**complete, "RATELIMIT_STORAGE_URI": "redis://cache:6379/0"}) == []


def test_every_problem_is_named_at_once(app):
    with pytest.raises(ProductionConfigError) as refused:
        production_app(app, SECRET_KEY="", SIGNING_CERT="", SIGNING_KEY="")
    assert "SECRET_KEY" in str(refused.value) and "SIGNING_CERT" in str(refused.value)


def test_development_still_starts_without_either(app):
    create_app({**app.config, "TRACKER_ENV": "development", "SIGNING_CERT": ""})


@pytest.fixture
def production(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_ENV", "production")


@pytest.mark.parametrize(("username", "password"), [
    ("hushaoyi", PASSWORD),       # a seed-story account, whatever its password
    ("liaison", "demo2026"),      # the demo password on any account
])
def test_demo_logins_refused_in_production(world, client, db, production, username, password):
    user = world.users.get(username) or make_user(username, "胡绍移")
    user.set_password(password)
    db.session.commit()
    response = log_in(client, username, password)
    assert response.status_code == 200
    assert shown(REFUSED) in page_text(response)
    assert not is_logged_in(client)


def test_real_accounts_log_in_in_production(world, client, production):
    assert log_in(client, "liaison", PASSWORD).status_code == 302


def test_demo_password_logs_in_outside_production(world, client, db):
    world.liaison.set_password("demo2026")
    db.session.commit()
    assert log_in(client, "liaison", "demo2026").status_code == 302


@pytest.mark.parametrize("command", [["demo", "load"], ["demo", "district", "--cases", "0"]])
def test_demo_commands_refused_in_production(app, db, production, command):
    from tracker.auth.models import User
    result = app.test_cli_runner().invoke(args=command)
    assert result.exit_code == 1
    assert "TRACKER_ENV=production" in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


@pytest.mark.parametrize("address", ["", "http://127.0.0.1:5000", "http://localhost:8000",
                                     "http://[::1]/", "http://0.0.0.0:5000"])
def test_production_refuses_a_public_address_no_phone_can_reach(app, identity, address):
    with pytest.raises(ProductionConfigError, match="PUBLIC_BASE_URL"):
        production_app(app, SECRET_KEY=KEY, SIGNING_CERT=str(identity.cert_path),
                       SIGNING_KEY=str(identity.key_path), PUBLIC_BASE_URL=address)


def test_the_meeting_page_warns_while_the_minutes_print_this_machines_address(world, login_as):
    from tests.meeting_factories import held_meeting
    meeting = held_meeting(world)
    client = login_as(world.liaison)
    warning = "PUBLIC_BASE_URL"
    app = client.application
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"
    assert warning in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    app.config["PUBLIC_BASE_URL"] = "https://yishi.example.gov.cn"
    assert warning not in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
