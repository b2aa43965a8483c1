"""Logging in through the login form or straight into a session, and asking whether a client is
logged in."""
from tests.factories import PASSWORD


def log_in(client, login, password=PASSWORD, address="10.1.0.1", next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url is not None else "")
    return client.post(url, data={"login": login, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def is_logged_in(client) -> bool:
    response = client.get("/cases/")
    return response.status_code == 200


def client_logged_in(app, user):
    """A new test client of ``app`` (another browser, or another worker of the deployment)
    whose session is ``user``'s, without going through the login form."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client
