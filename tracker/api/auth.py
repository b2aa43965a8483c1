"""Who is calling: the owner of the bearer token, never the session cookie.

The API reads only the ``Authorization: Bearer …`` header. A browser's session cookie is ignored,
so a page on another site cannot make a logged-in browser change data through the API, and the
API needs no CSRF token (its blueprints are exempt from CSRF protection).
"""
from flask import g, request

from tracker.api.problems import ApiProblem
from tracker.api.tokens import user_for_token
from tracker.auth.models import User


def authenticate() -> None:
    """before_request of the API blueprints: 401 unless a valid token comes with the request."""
    if request.method == "OPTIONS":
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise ApiProblem(401)
    g.api_user = user


def api_user() -> User:
    return g.api_user
