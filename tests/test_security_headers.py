"""Security headers on every kind of response; HTTPS behind a proxy; the CSP nonce."""
import io
import re

import pytest

from tests.factories import image_bytes
from tests.meeting_factories import signed_meeting
from tests.helpers.cases import newest_case, raise_form
from tracker import create_app
from tracker.core.security import content_security_policy


def assert_secured(response, *, https=False):
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    directives = dict(d.strip().partition(" ")[::2] for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert re.fullmatch(r"'self' 'nonce-[\w-]{20,}'", directives["script-src"])
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == directives["form-action"] == "'self'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert ("Strict-Transport-Security" in headers) == https


def test_every_kind_of_response_carries_the_headers(world, client, login_as, bearer):
    meeting = signed_meeting(world)
    liaison = login_as(world.liaison)
    liaison.post("/cases/new", data=raise_form(
        world.compound, photos=[(io.BytesIO(image_bytes()), "pump.jpg")]))
    case = newest_case()
    [photo] = case.photos
    responses = {
        "html": liaison.get("/cases/"),
        "404": liaison.get("/cases/999999"),
        "pdf": liaison.get(f"/meetings/{meeting.id}/minutes.pdf"),
        "image": liaison.get(f"/cases/{case.id}/photos/{photo.id}"),
        "csv": liaison.get("/oversight/cases.csv"),
        "xlsx": liaison.get("/oversight/cases.xlsx"),
        "static": liaison.get("/static/js/signature.js"),
        "api": client.get("/api/v1/cases", headers=bearer(world.liaison)),
        "api-401": client.get("/api/v1/cases"),
        "swagger": client.get("/api/v1/docs"),
    }
    responses["403"] = login_as(world.nobody).get("/oversight/")
    kinds = {name: (r.status_code, r.mimetype) for name, r in responses.items()}
    assert kinds == {
        "html": (200, "text/html"), "404": (404, "text/html"), "403": (403, "text/html"),
        "pdf": (200, "application/pdf"), "image": (200, "image/jpeg"),
        "csv": (200, "text/csv"),
        "xlsx": (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "static": (200, "text/javascript"), "api": (200, "application/json"),
        "api-401": (401, "application/problem+json"), "swagger": (200, "text/html")}
    for response in responses.values():
        assert_secured(response)


def test_each_request_has_its_own_nonce_and_inline_elements_carry_it(world, client):
    first, second = client.get("/api/v1/docs"), client.get("/api/v1/docs")
    nonces = [re.search(r"'nonce-([\w-]+)'", r.headers["Content-Security-Policy"]).group(1)
              for r in (first, second)]
    assert nonces[0] != nonces[1]
    page = first.get_data(as_text=True)
    assert re.findall(r"<script(?! src)[^>]*>", page) == [f'<script nonce="{nonces[0]}">']


def test_dashboard_charts_style_element_carries_the_nonce(world, login_as):
    response = login_as(world.district_official).get("/oversight/")
    nonce = re.search(r"'nonce-([\w-]+)'", response.headers["Content-Security-Policy"]).group(1)
    page = response.get_data(as_text=True)
    styles = re.findall(r"<style[^>]*>", page)
    assert styles and all(f'nonce="{nonce}"' in s for s in styles)
    assert ' style="' not in page  # style attributes are refused by the policy


def test_no_template_has_inline_script_or_style_attributes():
    from pathlib import Path
    for template in Path("templates").rglob("*.html"):
        if template.name == "minutes_pdf.html":  # rendered by WeasyPrint, never served
            continue
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\b(src|nonce)=)", text), template
        assert not re.search(r"\sstyle=|\son[a-z]+=|javascript:", text), template


@pytest.fixture
def proxied_app(app):
    https = create_app({**app.config, "TRUST_PROXY": 1, "SESSION_COOKIE_SECURE": True,
                        "REMEMBER_COOKIE_SECURE": True})
    return https


def test_behind_a_trusted_proxy_https_brings_hsts(world, proxied_app):
    client = proxied_app.test_client()
    secure = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert_secured(secure, https=True)
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert_secured(client.get("/login"), https=False)


def test_an_untrusted_forwarded_proto_is_ignored(world, client):
    assert_secured(client.get("/login", headers={"X-Forwarded-Proto": "https"}), https=False)


def test_secure_cookies_when_configured_for_https(monkeypatch, tmp_path):
    from tracker.config import load_config
    monkeypatch.setenv("PREFERRED_URL_SCHEME", "https")
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    config = load_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    monkeypatch.setenv("PREFERRED_URL_SCHEME", "http")
    config = load_config(str(tmp_path))
    assert not config["SESSION_COOKIE_SECURE"] and not config["REMEMBER_COOKIE_SECURE"]


def test_session_cookie_is_secure_httponly_over_https(world, proxied_app):
    client = proxied_app.test_client()
    client.get("/login", headers={"X-Forwarded-Proto": "https"})
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.secure and cookie.http_only


def test_policy_names_the_nonce():
    assert "script-src 'self' 'nonce-abc'" in content_security_policy("abc")
