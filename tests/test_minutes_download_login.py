"""The stored minutes PDF checks the session's person in its own statement
(tracker.auth.loader.checks_login_itself): it must let in and keep out exactly whom every other
page would, and end with the session as they do."""
import pytest
from sqlalchemy import event

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


@pytest.mark.parametrize("who", ["residents_member", "liaison", "district_official", "admin"])
def test_a_download_runs_one_statement(download, world, login_as, app, who):
    path, _pdf = download
    client = login_as(world.users[who])
    client.get(path)  # the bytes are now kept in this process
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    # The person is not read on their own first: one statement checks the login and the scope.
    assert len(statements) == 1, statements


def test_strong_session_protection_leaves_the_check_to_flask_login(download, world, login_as,
                                                                   app):
    """With "strong" protection a session seen from another browser is ended: the download must
    not let it in by checking the session itself."""
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
