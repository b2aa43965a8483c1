"""The stored minutes PDF, the most fetched file, lets in and keeps out exactly whom every other
page would, and ends with the session as they do: through the one login check and the one scope
check, on the page and in the API."""
import pytest

from tests.factories import PASSWORD
from tests.meeting_factories import signed_meeting
from tracker.extensions import db
from tracker.meetings.models import MinutesDocument


@pytest.fixture
def download(world, db):
    """The signed meeting's download address and its stored bytes."""
    meeting = signed_meeting(world)
    return f"/meetings/{meeting.id}/minutes.pdf", db.session.scalar(db.select(MinutesDocument)).pdf


@pytest.mark.parametrize("who", ["admin", "liaison", "official", "district_official",
                                 "owners_member", "residents_member", "property_rep"])
def test_everyone_who_sees_the_meeting_downloads(download, world, login_as, who):
    path, pdf = download
    response = login_as(world.users[who]).get(path)
    assert response.status_code == 200
    assert response.data == pdf


@pytest.mark.parametrize("who", ["liaison_out", "official_out", "nobody"])
def test_people_out_of_scope_get_not_found(download, world, login_as, who):
    path, _pdf = download
    assert login_as(world.users[who]).get(path).status_code == 404


def test_a_missing_meeting_is_not_found(download, world, login_as):
    assert login_as(world.admin).get("/meetings/999999/minutes.pdf").status_code == 404


def test_without_a_login_the_login_page_asks(download, client):
    path, _pdf = download
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def test_a_deactivated_account_is_sent_to_log_in(download, world, login_as):
    path, _pdf = download
    client = login_as(world.official)
    assert client.get(path).status_code == 200
    world.official.active = False
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_password_change_ends_the_old_session_here_too(download, world, login_as):
    path, _pdf = download
    client = login_as(world.liaison)
    assert client.get(path).status_code == 200
    world.liaison.set_password("another password 2")  # bumps the session epoch
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_stay_logged_in_cookie_alone_still_downloads(download, world, client):
    path, pdf = download
    assert client.post("/login", data={"login": "liaison", "password": PASSWORD,
                                       "remember": "y"}).status_code == 302
    client.delete_cookie("session")  # the browser was closed: only the remember cookie is left
    response = client.get(path)
    assert response.status_code == 200 and response.data == pdf


def test_strong_session_protection_leaves_the_check_to_flask_login(download, world, login_as,
                                                                   app):
    """With "strong" protection a session seen from another browser is ended, here too."""
    path, _pdf = download
    client = login_as(world.liaison)
    assert client.get(path, headers={"User-Agent": "browser A"}).status_code == 200
    app.config["SESSION_PROTECTION"] = "strong"
    try:
        with client.session_transaction() as session:
            session["_id"] = "an identifier of another browser"
        response = client.get(path, headers={"User-Agent": "browser B"})
    finally:
        del app.config["SESSION_PROTECTION"]
    assert response.status_code == 302 and response.location.startswith("/login")


def _api(token):
    return {"Authorization": f"Bearer {token}"}


def test_the_api_download_refuses_a_deactivated_account(download, world, client):
    from tracker.api.tokens import create_token
    path, pdf = download
    _record, token = create_token(world.official, "test")
    db.session.commit()
    api_path = "/api/v1" + path
    response = client.get(api_path, headers=_api(token))
    assert response.status_code == 200 and response.data == pdf
    world.official.active = False
    db.session.commit()
    assert client.get(api_path, headers=_api(token)).status_code == 401


def test_the_api_download_keeps_out_whom_the_page_keeps_out(download, world, client):
    from tracker.api.tokens import create_token
    path, _pdf = download
    _record, token = create_token(world.official_out, "test")
    db.session.commit()
    assert client.get("/api/v1" + path, headers=_api(token)).status_code == 404
