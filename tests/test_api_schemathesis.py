"""Schemathesis over every operation of the OpenAPI document against a seeded app: no server
error, and every answer (status, content type, headers, body) as the document says.

Bounded so it runs with the suite: few examples per operation, no deadline. Requests carry the
liaison cadre's token, and path ids point at the seeded objects half the time.
"""
import itertools

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.meeting_factories import held_meeting
from tests.matrix.followup import follow_up_task
from tests.vote_factories import committee_vote
from tracker import create_app
from tracker.api import tokens
from tracker.extensions import db

# About a minute for the whole run; raise it locally to search harder (150 takes ~2.5 min).
MAX_EXAMPLES = 25
# Every other request with path ids is aimed at the seeded objects instead of random ids.
_turn = itertools.count()


@pytest.fixture
def seeded(app, world):
    """A case in each state the operations need, and the liaison's token."""
    task = follow_up_task(world)[0]
    vote = committee_vote(world, extra_members=0)
    meeting = held_meeting(world)
    _record, token = tokens.create_token(world.liaison, "schemathesis")
    db.session.commit()
    return {"token": token, "ids": {"case_id": task.case_id, "meeting_id": meeting.id,
                                    "vote_id": vote.id, "resolution_id": vote.resolution_id,
                                    "task_id": task.id}}


def _openapi_document() -> dict:
    """The document as the app serves it (an app of its own: the suite's app is a fixture)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SECRET_KEY": "x", "CHECK_PDF_ENVIRONMENT": False})
    return app.test_client().get("/api/v1/openapi.json").get_json()


def _valid_ids(path_parameters) -> bool:
    """Only a valid id is swapped for a seeded one, so a request meant to be invalid stays so."""
    return bool(path_parameters) and all(
        type(value) is int and 1 <= value <= 2**31 - 1 for value in path_parameters.values())


schema = schemathesis.openapi.from_dict(_openapi_document())
# The token is added to every request below; schemathesis checks separately (ignored_auth) that
# a request without it is refused.
schema.config.generation.update(max_examples=MAX_EXAMPLES, database="none",
                                with_security_parameters=False)
schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])


@schema.parametrize()
@hypothesis.settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
                     suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(app, seeded, case):
    # The document was read from an app of its own; requests (and the checks' probes without
    # the token) go to the suite's app, seeded above.
    case.operation.schema.app = app
    if _valid_ids(case.path_parameters) and next(_turn) % 2:
        case.path_parameters = {name: seeded["ids"].get(name, value)
                                for name, value in case.path_parameters.items()}
    # Business rules refuse some schema-valid requests (a case in another state: 409, a cursor
    # not given out: 422, a phone without a name: 422), so "schema-valid means accepted" is the
    # one default check left out.
    case.call_and_validate(app=app, headers={"Authorization": f"Bearer {seeded['token']}"},
                           excluded_checks=[positive_data_acceptance])

