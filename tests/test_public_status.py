"""A resident looks up a case without an account: number + last four phone digits."""
import pytest

from tests.conftest import shown
from tests.factories import make_case

PHONE = "13800001111"


@pytest.fixture
def case(world):
    return make_case(world.compound, world.liaison, resident_name="刘小华",
                     resident_phone=PHONE)


def test_every_public_route_is_tested(app):
    assert {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("public.")} \
        == {"public.lookup"}


def test_lookup_shows_state_and_steps_but_no_names_or_phones(client, case, world):
    assert client.get("/status/").status_code == 200
    page = client.post("/status/", data={"number": case.number.lower(),
                                         "phone_tail": PHONE[-4:]}).get_data(as_text=True)
    assert case.number in page and 'id="status"' in page
    for secret in ("刘小华", PHONE, world.liaison.name):
        assert secret not in page


@pytest.mark.parametrize("digits", ["0000", "1110"])
def test_wrong_digits_look_like_no_case(client, case, digits):
    page = client.post("/status/", data={"number": case.number, "phone_tail": digits})
    assert 'id="status"' not in page.get_data(as_text=True)
    unknown = client.post("/status/", data={"number": "NOPE-2026-001", "phone_tail": digits})
    assert page.status_code == unknown.status_code == 200


def test_a_case_without_a_phone_cannot_be_looked_up(client, world):
    case = make_case(world.compound, world.liaison)
    page = client.post("/status/", data={"number": case.number, "phone_tail": "    "})
    assert 'id="status"' not in page.get_data(as_text=True)


def test_lookups_are_rate_limited(client, case):
    for _ in range(10):
        client.post("/status/", data={"number": case.number, "phone_tail": "0000"})
    refused = client.post("/status/", data={"number": case.number, "phone_tail": PHONE[-4:]})
    assert refused.status_code == 429
    assert shown("Too many attempts") in refused.get_data(as_text=True)
