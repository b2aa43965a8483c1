"""The JSON API v1: token authentication, OpenAPI 3 document, problem+json errors.

Everything under /api/v1 acts as the owner of a personal access token, through the same policy
questions, scoped queries and operations as the pages; it adds no rule of its own.
"""
import http

from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from tracker.api.problems import MEDIA_TYPE, ProblemSchema


class TrackerApi(Api):
    """flask-smorest's Api, with errors documented and answered as problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        """Errors are answered by :func:`tracker.api.problems.respond_to_api_error`, which core's
        error handlers ask first; smorest's own handler would answer the HTML pages' errors too."""

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Problem details (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def init_app(app: Flask) -> None:
    from tracker.api import (
        cases,
        cli,
        followup,
        meetings,
        token_views,
        tokens_section,
        verify,
        votes,
    )
    from tracker.api.problems import respond_to_api_error
    from tracker.core.error_responders import ERROR_RESPONDERS
    from tracker.extensions import csrf

    app.config.update({
        "API_TITLE": "三方联动议事台 API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        # Vendored Swagger UI: no asset from the internet (DESIGN §7).
        "OPENAPI_SWAGGER_UI_URL": f"{app.static_url_path}/vendor/swagger-ui/",
        "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None, "persistAuthorization": False},
        "API_SPEC_OPTIONS": {
            "info": {"description": "Cases, joint meetings, votes and follow-up of 三方联动 "
                                    "as JSON. Every request carries a personal access token: "
                                    "`Authorization: Bearer sfld_…` (created on the password "
                                    "page). Errors are application/problem+json (RFC 9457). "
                                    "See docs/api.md for a worked example."},
            "components": {"securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "a personal access token (sfld_…)"}}},
            "security": [{"bearerAuth": []}],
        },
    })
    # Chinese as itself in JSON answers, not as \uXXXX escapes (only /healthz answers JSON
    # besides the API).
    app.json.ensure_ascii = False
    api = TrackerApi(app)
    for blp in (cases.blp, meetings.blp, votes.blp, followup.blp, verify.blp):
        api.register_blueprint(blp)
        csrf.exempt(blp)
    app.register_blueprint(token_views.bp)
    if respond_to_api_error not in ERROR_RESPONDERS:
        ERROR_RESPONDERS.append(respond_to_api_error)
    tokens_section.init_app(app)
    app.cli.add_command(cli.api_tokens)
