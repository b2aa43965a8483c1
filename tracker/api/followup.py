"""Follow-up (督办) through the API: tasks, progress reports, the return visit."""
import marshmallow as ma
from marshmallow import validate

from tracker.api.auth import api_user
from tracker.api.base import annotate, api_blueprint, created
from tracker.api.case_schemas import CaseSchema, NamedSchema
from tracker.api.cases import case_body, visible_case
from tracker.api.fields import Text, Version
from tracker.api.problems import ApiProblem
from tracker.auth import scope
from tracker.cases import queries as case_queries
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.followup import operations
from tracker.followup.models import FollowUpTask, Satisfaction, VisitMethod

blp = api_blueprint("api_followup", "Follow-up (督办): tasks with working-day deadlines, "
                                    "progress reports, return visits.")


class ReportSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    author = ma.fields.Nested(NamedSchema, required=True)
    note = ma.fields.String(required=True)
    progress = ma.fields.Integer(required=True)
    created_at = ma.fields.DateTime(required=True)
    photo_count = ma.fields.Function(lambda r: len(r.photos), required=True)


class TaskSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    case_id = ma.fields.Integer(required=True)
    description = ma.fields.String(required=True)
    responsible = ma.fields.String(required=True)
    responsible_party_id = ma.fields.Integer(required=True, allow_none=True)
    tier = ma.fields.String(required=True)
    due_at = ma.fields.DateTime(required=True)
    provisional = ma.fields.Boolean(required=True, metadata={
        "description": "counted over a year whose holiday arrangement is not entered yet "
                       "(暂定); recomputed when it is"})
    progress = ma.fields.Integer(required=True)
    done_at = ma.fields.DateTime(required=True, allow_none=True)
    overdue = ma.fields.Boolean(required=True)
    reports = ma.fields.List(ma.fields.Nested(ReportSchema), required=True)
    can_report = ma.fields.Boolean(required=True)
    version = ma.fields.Integer(required=True)


class ProgressSchema(ma.Schema):
    note = Text(max_length=2000, min_length=1, required=True)
    progress = ma.fields.Integer(strict=True, required=True, validate=validate.Range(0, 100))


class VisitSchema(ma.Schema):
    method = ma.fields.Enum(VisitMethod, required=True)
    satisfaction = ma.fields.Enum(Satisfaction, required=True, metadata={
        "description": "satisfied or basically_satisfied closes the case; unsatisfied keeps "
                       "it in follow-up"})
    comment = Text(max_length=2000, load_default="")
    version = Version()


def _task_body(task: FollowUpTask) -> FollowUpTask:
    return annotate(task, overdue=task.overdue(utcnow()),
                 can_report=task.case.state.value == "follow_up"
                 and operations.can_report(api_user(), task))


@blp.route("/cases/<int:case_id>/tasks")
@blp.response(200, TaskSchema(many=True))
def case_tasks(case_id: int):
    """List a case's follow-up tasks.

    The case's follow-up tasks with their progress reports."""
    return [_task_body(t) for t in operations.tasks_of(visible_case(case_id))]


def _visible_task(task_id: int) -> FollowUpTask:
    task = db.session.get(FollowUpTask, task_id)
    if task is None:
        raise ApiProblem(404)
    case_queries.get_visible_case(api_user(), task.case_id)
    return task


@blp.route("/tasks/<int:task_id>")
@blp.response(200, TaskSchema)
def task_detail(task_id: int):
    """Read a follow-up task.

    A follow-up task with its progress reports."""
    return _task_body(_visible_task(task_id))


@blp.route("/tasks/<int:task_id>/progress", methods=["POST"])
@blp.arguments(ProgressSchema)
@blp.response(201, TaskSchema)
def report(values, task_id: int):
    """Report progress on a task.

    Report progress (members of the responsible party, the liaison cadre); 100 marks the
    task done."""
    user = api_user()
    task = _visible_task(task_id)
    if not operations.can_report(user, task):
        raise ApiProblem(403)
    operations.report_progress(task, user, note=values["note"], progress=values["progress"])
    db.session.commit()
    return created(_task_body(task), "api_followup.task_detail", task_id=task.id)


@blp.route("/cases/<int:case_id>/return-visits", methods=["POST"])
@blp.arguments(VisitSchema)
@blp.response(201, CaseSchema)
def return_visit(values, case_id: int):
    """Record the return visit.

    Record the return visit (回访, the liaison cadre) once every task is done; a satisfied
    resident closes the case. ``version`` is the case's."""
    user = api_user()
    case = visible_case(case_id)
    if not scope.is_liaison(user, case.compound_id):
        raise ApiProblem(403)
    operations.record_visit(case, user, method=values["method"],
                            satisfaction=values["satisfaction"], comment=values["comment"],
                            expected_version=values["version"])
    db.session.commit()
    return created(case_body(case, user), "api_cases.case_detail", case_id=case.id)
