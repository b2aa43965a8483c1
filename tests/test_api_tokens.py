"""Personal access tokens: created on the password page and shown once, stored hashed, revoked;
the API takes only them, never the session cookie."""
import hashlib
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import page_text, shown
from tests.factories import PASSWORD, make_case
from tracker.api.models import ApiToken
from tracker.audit.models import AuditEvent
from tracker.cases.models import Case
from tracker.extensions import db


def test_a_token_is_shown_once_and_stored_as_its_hash(client, login_as, world):
    login_as(world.liaison)

    response = client.post("/account/tokens/", data={"name": "12345热线对接"})

    assert response.status_code == 200
    token = re.search(r'<code id="new-token">(sfld_[\w-]+)</code>', page_text(response)).group(1)
    record = db.session.scalar(select(ApiToken))
    assert record.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert record.user_id == world.liaison.id and record.name == "12345热线对接"
    page = page_text(client.get("/account/password"))
    assert "12345热线对接" in page and token not in page
    api = client.get("/api/v1/places", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200


def test_a_token_needs_a_name(client, login_as, world):
    login_as(world.liaison)

    response = client.post("/account/tokens/", data={"name": ""})

    assert response.status_code == 400
    assert db.session.scalar(select(ApiToken)) is None


def test_a_revoked_token_gets_401(client, login_as, world, bearer):
    headers = bearer(world.liaison)
    record = db.session.scalar(select(ApiToken))
    login_as(world.liaison)

    response = client.post(f"/account/tokens/{record.id}/revoke")

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, record.id).revoked_at is not None
    refused = client.get("/api/v1/places", headers=headers)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert refused.get_json()["title"] == "未认证或令牌无效"


def test_nobody_revokes_another_persons_token(client, login_as, world, bearer):
    bearer(world.liaison)
    record = db.session.scalar(select(ApiToken))
    login_as(world.owners_member)

    assert client.post(f"/account/tokens/{record.id}/revoke").status_code == 404
    db.session.expire_all()
    assert db.session.get(ApiToken, record.id).revoked_at is None


def test_a_deactivated_account_s_token_gets_401(client, world, bearer):
    headers = bearer(world.liaison)
    world.liaison.active = False
    db.session.commit()

    assert client.get("/api/v1/places", headers=headers).status_code == 401


TOKENS_HINT = "Active API tokens: %(n)d. The systems that use them stop working until they are " \
    "given new ones."


def test_the_password_page_asks_whether_to_revoke_the_tokens(client, login_as, world, bearer):
    bearer(world.liaison)
    bearer(world.liaison)
    bearer(world.liaison)
    record = db.session.scalars(select(ApiToken).order_by(ApiToken.id.desc())).first()
    login_as(world.liaison)
    client.post(f"/account/tokens/{record.id}/revoke")  # a revoked token is not counted

    page = page_text(client.get("/account/password"))

    assert shown(TOKENS_HINT, n=2) in page
    assert re.search(r'<input checked id="revoke_api_tokens" name="revoke_api_tokens" '
                     r'type="checkbox" value="y">', page)


@pytest.mark.parametrize(("ticked", "answer"), [(True, 401), (False, 200)],
                         ids=["revoke them too", "keep them"])
def test_a_password_change_revokes_the_tokens_if_asked(client, login_as, world, bearer, ticked,
                                                       answer):
    headers = bearer(world.liaison)
    other = bearer(world.liaison)
    login_as(world.liaison)

    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "brand new secret",
        "confirm": "brand new secret", **({"revoke_api_tokens": "y"} if ticked else {})})

    assert response.status_code == 302
    assert client.get("/api/v1/places", headers=headers).status_code == answer
    assert client.get("/api/v1/places", headers=other).status_code == answer
    change = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "change_password"))
    assert change.data == {"api_tokens_revoked": 2 if ticked else 0}
    assert db.session.scalar(select(func.count()).where(
        AuditEvent.action == "api_token_revoke")) == (2 if ticked else 0)


def test_the_page_showing_a_new_token_asks_too(client, login_as, world):
    login_as(world.liaison)

    page = page_text(client.post("/account/tokens/", data={"name": "12345热线对接"}))

    assert shown(TOKENS_HINT, n=1) in page
    assert '<input checked id="revoke_api_tokens"' in page


def test_without_tokens_the_password_page_does_not_ask(client, login_as, world):
    login_as(world.liaison)

    page = page_text(client.get("/account/password"))

    assert 'name="revoke_api_tokens"' not in page


def test_the_last_use_is_noted(client, world, bearer):
    headers = bearer(world.liaison)

    client.get("/api/v1/places", headers=headers)

    db.session.expire_all()
    assert db.session.scalar(select(ApiToken)).last_used_at is not None


def test_the_session_cookie_does_not_open_the_api(client, login_as, world):
    """A logged-in browser cannot be made to change data through the API (no CSRF there)."""
    case = make_case(world.compound, world.liaison)
    login_as(world.liaison)

    read = client.get("/api/v1/cases")
    write = client.post(f"/api/v1/cases/{case.id}/actions",
                        json={"action": "withdraw", "version": case.version, "reason": "x"})

    assert (read.status_code, write.status_code) == (401, 401)
    db.session.expire_all()
    assert db.session.get(Case, case.id).state.value == "raised"


def test_a_token_needs_no_csrf_token(client, world, bearer):
    case = make_case(world.compound, world.liaison)

    response = client.post(f"/api/v1/cases/{case.id}/actions", headers=bearer(world.liaison),
                           json={"action": "withdraw", "version": case.version, "reason": "重复"})

    assert response.status_code == 200


def test_malformed_authorization_headers_get_401(client, world):
    for header in ("Bearer", "Bearer sfld_nope", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000):
        response = client.get("/api/v1/places", headers={"Authorization": header})
        assert response.status_code == 401, header


def test_the_docs_and_the_openapi_document_are_served_locally(client, db):
    spec = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")

    assert spec.status_code == 200 and spec.get_json()["openapi"].startswith("3.")
    page = docs.get_data(as_text=True)
    assert docs.status_code == 200
    assert not re.search(r'(src|href)="(https?:)?//', page)
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        assert client.get(asset).status_code == 200, asset
