"""The password page shows the token section (auth does not import the API)."""
from flask import Flask


def init_app(app: Flask) -> None:
    from tracker.api.token_views import section_context
    app.jinja_env.globals["account_sections"].append("auth/_api_tokens.html")
    app.jinja_env.globals["api_tokens"] = section_context
