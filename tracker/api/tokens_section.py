"""The password page shows the token section, and a password change may revoke the person's
tokens (auth does not import the API)."""
from flask import Flask


def init_app(app: Flask) -> None:
    from tracker.api import tokens
    from tracker.api.token_views import section_context
    from tracker.auth.operations import API_TOKENS
    API_TOKENS.active_count = tokens.active_count
    API_TOKENS.revoke_all = tokens.revoke_all
    app.jinja_env.globals["account_sections"].append("auth/_api_tokens.html")
    app.jinja_env.globals["api_tokens"] = section_context
