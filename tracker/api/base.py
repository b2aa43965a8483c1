"""What every API blueprint shares: bearer authentication and refusals answered as problems."""
from flask import url_for
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser, abort

from tracker.api.auth import authenticate
from tracker.api.problems import problem_response
from tracker.cases.workflow import NotPermitted, TransitionRefused
from tracker.core.i18n import gettext as _
from tracker.extensions import db
from tracker.followup.operations import FollowUpRefused
from tracker.meetings.operations import MeetingRefused, MinutesConflict
from tracker.voting.operations import VoteRefused

PREFIX = "/api/v1"


def _refused(status: int):
    def handle(error):
        db.session.rollback()
        return problem_response(status, getattr(error, "message", None))
    return handle


def _minutes_conflict(error: MinutesConflict):
    db.session.rollback()
    return problem_response(409, _("The minutes were saved by someone else since the revision "
                                   "you edited; nothing was saved."),
                            current_revision=error.current.number)


class _Parser(FlaskParser):
    def _raw_load_json(self, req):
        # JSON nested deeper than Python's recursion limit ("[[[[…") makes the decoder raise
        # RecursionError, not the JSONDecodeError webargs answers with 400; it would be a 500.
        try:
            return super()._raw_load_json(req)
        except RecursionError:
            abort(400, messages={"json": ["JSON nested too deeply."]})


class _Blueprint(Blueprint):
    ARGUMENTS_PARSER = _Parser()


def api_blueprint(name: str, description: str, *, public: bool = False) -> Blueprint:
    """A blueprint of the API: every route needs a token unless ``public``.

    The domain's refusals become problems: not permitted → 403; a stale version or a state that
    does not allow the step → 409. The view's transaction is rolled back first.
    """
    blp = _Blueprint(name, __name__, url_prefix=PREFIX, description=description)
    if not public:
        blp.before_request(authenticate)
    blp.register_error_handler(NotPermitted, _refused(403))
    for refusal in (TransitionRefused, MeetingRefused, VoteRefused, FollowUpRefused):
        blp.register_error_handler(refusal, _refused(409))
    blp.register_error_handler(MinutesConflict, _minutes_conflict)
    return blp


def created(body, endpoint: str, **values):
    """201 with the new resource's address."""
    return body, 201, {"Location": url_for(endpoint, **values)}


def annotate(obj, **attributes):
    """``obj`` with what its schema shows beside its columns (timeline, quorum …)."""
    for name, value in attributes.items():
        setattr(obj, name, value)
    return obj
