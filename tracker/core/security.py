"""Security headers on every response, HTTPS behind a proxy, and the CSP nonce.

The Content-Security-Policy allows scripts and styles only from the app's own origin, plus those
inline ``<script>``/``<style>`` elements that carry this request's nonce (the Swagger UI page's
start-up script, the ``<style>`` element pygal writes into each dashboard chart). No
'unsafe-inline' anywhere: a name or description a resident typed cannot become script or style.
"""
import secrets

from flask import Flask, Response, current_app, g, has_request_context, request
from werkzeug.middleware.proxy_fix import ProxyFix


def csp_nonce() -> str:
    """This request's nonce for an inline ``<script>`` or ``<style>`` element ('' outside one)."""
    if not has_request_context():
        return ""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    source = f"'self' 'nonce-{nonce}'"
    return "; ".join((
        "default-src 'self'",
        f"script-src {source}",
        f"style-src {source}",
        # data: for the minutes' QR code and pictures made in the browser (signature preview).
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for old browsers
    if request.is_secure and current_app.config["HSTS_SECONDS"]:
        headers.setdefault("Strict-Transport-Security",
                           f"max-age={current_app.config['HSTS_SECONDS']}")
    return response


def init_app(app: Flask) -> None:
    if proxies := app.config["TRUST_PROXY"]:
        # Behind nginx or a load balancer the client's address and scheme (https) arrive in
        # X-Forwarded-For / -Proto; trusted only from as many proxies as configured, or any
        # client could claim another address (and escape login throttling).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.after_request(set_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
