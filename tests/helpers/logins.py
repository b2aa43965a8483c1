"""Logging in through the login form, and asking whether a client is logged in."""
from tests.factories import PASSWORD


def log_in(client, login, password=PASSWORD, address="10.1.0.1", next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url is not None else "")
    return client.post(url, data={"login": login, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def is_logged_in(client) -> bool:
    response = client.get("/cases/")
    return response.status_code == 200
