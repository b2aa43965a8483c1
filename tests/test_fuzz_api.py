"""Hostile input on every operation of the JSON API: no server error, every refusal
as application/problem+json, no write on refusal, and accepted text stored as sent.

The operations are read from the app's OpenAPI document, so a new one is fuzzed as soon as it is
documented — and :func:`test_every_operation_is_fuzzed` fails until it has a setup in ``SETUPS``
saying which object its path names and which body passes. Bodies are drawn from the documented
schema, field by field: kept, given a hostile value of the right type (control characters, bidi
marks, emoji, 𠀀, 100 kB, huge and negative numbers, far dates), given a value of the wrong type
(null, a list, an object, a number for a string …), or left out; or the whole body is replaced by
something that is not an object, or not JSON. Query parameters get the same treatment.

Unlike tests/test_api_schemathesis.py (answers as documented, mostly schema-valid data), this
aims at refusals. The number of examples comes from the hypothesis profile: 200 per operation in
CI.
"""
import io
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PASSWORD, World, make_case, set_state
from tests.fuzz_support import DATES, NUMBERS, UPLOADS, WriteRecorder, hostile_text
from tests.helpers.fuzzing import (
    FRESH_OBJECTS,
    owners_assembly_vote,
    return_visit_urls,
    small_committee_vote,
)
from tests.meeting_factories import held_meeting, planned_meeting
from tests.vote_factories import proposed
from tracker import create_app
from tracker.cases.models import CaseState
from tracker.extensions import db
from tracker.meetings.minutes import content_sha256

PROBLEM = "application/problem+json"


def _openapi_document() -> dict:
    """The document as the app serves it (an app of its own: the suite's app is a fixture)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SECRET_KEY": "x", "CHECK_PDF_ENVIRONMENT": False})
    return app.test_client().get("/api/v1/openapi.json").get_json()


DOCUMENT = _openapi_document()
OPERATIONS = [(method.upper(), path) for path, item in DOCUMENT["paths"].items()
              for method in item if method in ("get", "post", "put", "patch", "delete")]


@dataclass(frozen=True)
class Setup:
    """Who calls the operation and ``make(world) → (path ids, a body that passes)``.

    ``writes_on_refusal``: tables a refusal may write on purpose (none so far).
    """
    role: str
    make: Callable[[World], tuple[dict, dict]]
    writes_on_refusal: frozenset = frozenset()


def _raised(world):
    return set_state(make_case(world.compound, world.liaison), CaseState.raised)


def _none(world):
    return {}, {}


def _case_ids(world):
    return {"case_id": _raised(world).id}, {}


def _task(world):
    from tests.matrix.followup import follow_up_task
    return follow_up_task(world)[0]


def _meeting_ids(factory, body=None):
    def make(world):
        meeting = factory(world)
        return {"meeting_id": meeting.id}, body(meeting, world) if body else {}
    return make


def _minutes(meeting, world):
    item = meeting.agenda[0]
    from tracker.meetings.minutes import current_revision
    return {"base_revision": current_revision(meeting).number, "other_business": "无",
            "items": [{"case_id": item.case_id, "background": "水泵老化。", "decision": "更换",
                       "responsible": "物业", "deadline": "15个工作日", "views": {}}]}


def _sign(meeting, world):
    return {"password": PASSWORD, "content_sha256": content_sha256(meeting)}


def _propose(meeting, world):
    case = meeting.agenda[0].case
    return {"case_id": case.id, "version": case.version, "text": "由物业更换水泵。",
            "deadline_tier": "general", "body": "owners_committee"}


def _attendance(meeting, world):
    return {"entries": [{"user_id": world.owners_member.id, "status": "present"}]}


def _new_meeting(world):
    return {}, {"compound_ids": [world.compound.id], "title": "停车协商", "place": "会议室",
                "starts_at": "2026-12-01T19:30:00+08:00"}


def _new_case(world):
    return {}, {"compound_id": world.compound.id, "title": "外来车辆乱停", "category": "parking",
                "source": "walk_in", "description": "晚上停满外来车辆。"}


def _action(world):
    case = _raised(world)
    return {"case_id": case.id}, {"action": "withdraw", "version": case.version,
                                  "reason": "重复立案"}


def _resolution(world):
    return {"resolution_id": proposed(world).id}, {"at_meeting": True}


def _vote(body):
    def make(world):
        vote = small_committee_vote(world)
        return {"vote_id": vote.id}, body
    return make


def _unit_ballots(world):
    vote = owners_assembly_vote(world)
    return {"vote_id": vote.id}, {"ballots": [
        {"unit_id": unit["unit_id"], "choice": "for"} for unit in vote.eligible["units"]]}


def _progress(world):
    return {"task_id": _task(world).id}, {"note": "已更换水泵", "progress": 60}


def _tasks_of(world):
    return {"case_id": _task(world).case_id}, {}


def _task_ids(world):
    return {"task_id": _task(world).id}, {}


def _return_visit(world):
    _page, action = return_visit_urls(world)
    case_id = int(action.split("/")[3])
    from tracker.cases.models import Case
    case = db.session.get(Case, case_id)
    return {"case_id": case_id}, {"method": "phone", "satisfaction": "satisfied",
                                  "version": case.version}


SETUPS: dict[tuple[str, str], Setup] = {
    ("GET", "/api/v1/places"): Setup("liaison", _none),
    ("GET", "/api/v1/cases"): Setup("liaison", _none),
    ("POST", "/api/v1/cases"): Setup("liaison", _new_case),
    ("GET", "/api/v1/cases/{case_id}"): Setup("liaison", _case_ids),
    ("POST", "/api/v1/cases/{case_id}/actions"): Setup("liaison", _action),
    ("POST", "/api/v1/cases/{case_id}/photos"): Setup("liaison", _case_ids),
    ("GET", "/api/v1/meetings"): Setup("liaison", _none),
    ("POST", "/api/v1/meetings"): Setup("liaison", _new_meeting),
    ("POST", "/api/v1/meetings/{meeting_id}/held"): Setup("liaison",
                                                         _meeting_ids(planned_meeting)),
    ("POST", "/api/v1/meetings/{meeting_id}/cancel"): Setup(
        "liaison", _meeting_ids(planned_meeting, lambda m, w: {"reason": "台风"})),
    ("GET", "/api/v1/meetings/{meeting_id}"): Setup("liaison", _meeting_ids(planned_meeting)),
    ("PUT", "/api/v1/meetings/{meeting_id}/attendance"): Setup(
        "liaison", _meeting_ids(planned_meeting, _attendance)),
    ("GET", "/api/v1/meetings/{meeting_id}/minutes"): Setup("liaison",
                                                           _meeting_ids(held_meeting)),
    ("PUT", "/api/v1/meetings/{meeting_id}/minutes"): Setup(
        "liaison", _meeting_ids(held_meeting, _minutes)),
    ("POST", "/api/v1/meetings/{meeting_id}/signatures"): Setup(
        "owners_member", _meeting_ids(held_meeting, _sign)),
    ("GET", "/api/v1/meetings/{meeting_id}/minutes.pdf"): Setup("liaison",
                                                               _meeting_ids(held_meeting)),
    ("POST", "/api/v1/meetings/{meeting_id}/resolutions"): Setup(
        "liaison", _meeting_ids(held_meeting, _propose)),
    ("GET", "/api/v1/resolutions/{resolution_id}"): Setup("liaison", _resolution),
    ("POST", "/api/v1/resolutions/{resolution_id}/vote"): Setup("liaison", _resolution),
    ("GET", "/api/v1/votes/{vote_id}"): Setup("liaison", _vote({})),
    ("POST", "/api/v1/votes/{vote_id}/ballot"): Setup("owners_member", _vote({"choice": "for"})),
    ("PUT", "/api/v1/votes/{vote_id}/unit-ballots"): Setup("liaison", _unit_ballots),
    ("POST", "/api/v1/votes/{vote_id}/close"): Setup("liaison", _vote({"reason": "到时"})),
    ("GET", "/api/v1/cases/{case_id}/tasks"): Setup("liaison", _tasks_of),
    ("GET", "/api/v1/tasks/{task_id}"): Setup("liaison", _task_ids),
    ("POST", "/api/v1/tasks/{task_id}/progress"): Setup("property_rep", _progress),
    ("POST", "/api/v1/cases/{case_id}/return-visits"): Setup("liaison", _return_visit),
    ("POST", "/api/v1/verify"): Setup("liaison", _none),
}


def test_every_operation_is_fuzzed():
    missing = sorted(set(OPERATIONS) - set(SETUPS))
    assert not missing, f"add these operations to SETUPS in {__file__}: {missing}"
    stale = sorted(set(SETUPS) - set(OPERATIONS))
    assert not stale, f"SETUPS names operations that are gone: {stale}"


# --- values from the schema -------------------------------------------------------------------

def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "allOf" in schema:
        merged: dict = {}
        for part in schema["allOf"]:
            merged.update(_resolve(part))
        return merged
    return schema


JSON_ANY = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text(),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6)
WRONG = st.sampled_from([None, True, 0, -1, 1.5, 1e308, "", "x", [], {}, [None], {"": None}])
FAR_TIMES = st.sampled_from([
    "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "1970-01-01T00:00:00+14:00",
    "2026-11-20T11:30", "2026-11-20T11:30:00", "2026-02-30T10:00:00Z", "2026-11-20",
    "10000-01-01T00:00:00Z", "2026-11-20T11:30:00+99:00", "now", "1e10"] + DATES)
BIG_INTS = st.sampled_from([0, -1, 2**31 - 1, 2**31, -(2**31) - 1, 2**63, 2**64, 10**30,
                            -(10**30)]) | st.integers()


def value_of(schema: dict, depth: int = 0) -> st.SearchStrategy:
    """A value for ``schema``: sometimes right, often wrong in the ways a client gets it wrong."""
    schema = _resolve(schema)
    kind = schema.get("type")
    wrong = WRONG | JSON_ANY
    if "enum" in schema:
        return st.sampled_from(schema["enum"]) | hostile_text() | wrong
    if kind == "string":
        if schema.get("format") == "date-time":
            return FAR_TIMES | hostile_text() | wrong
        if schema.get("format") == "binary":
            return hostile_text() | wrong
        return hostile_text() | wrong
    if kind == "integer":
        return BIG_INTS | st.floats(allow_nan=False) | st.sampled_from(NUMBERS) | wrong
    if kind == "number":
        return st.floats() | BIG_INTS | st.sampled_from(NUMBERS) | wrong
    if kind == "boolean":
        return st.booleans() | st.sampled_from(["true", "false", 1, 0, "yes"]) | wrong
    if kind == "array" and depth < 3:
        return st.lists(value_of(schema.get("items", {}), depth + 1), max_size=4) | wrong
    if (kind == "object" or "properties" in schema) and depth < 3:
        return object_of(schema, {}, depth + 1) | wrong
    return wrong


def object_of(schema: dict, base: dict, depth: int = 0) -> st.SearchStrategy[dict]:
    """``base`` with each documented property kept, replaced, made null or left out, and now
    and then a property the schema does not have."""
    properties = _resolve(schema).get("properties", {})
    names = sorted(set(properties) | set(base))
    plans = {name: value_of(properties.get(name, {}), depth) for name in names}
    modes = st.sampled_from(["keep", "keep", "keep", "hostile", "hostile", "null", "missing"])

    @st.composite
    def draw(draw):
        body = {}
        for name in names:
            mode = draw(modes)
            if mode == "keep" and name in base:
                body[name] = base[name]
            elif mode == "hostile":
                body[name] = draw(plans[name])
            elif mode == "null":
                body[name] = None
            elif mode == "keep" and draw(st.booleans()):
                body[name] = draw(plans[name])
        if draw(st.integers(0, 9)) == 0:
            body[draw(st.text(max_size=10))] = draw(JSON_ANY)
        return body
    return draw()


def _body_schema(method: str, path: str) -> tuple[str | None, dict]:
    content = DOCUMENT["paths"][path][method.lower()].get("requestBody", {}).get("content", {})
    for media_type, spec in content.items():
        return media_type, _resolve(spec.get("schema", {}))
    return None, {}


def _parameters(method: str, path: str) -> list[dict]:
    item = DOCUMENT["paths"][path]
    return item.get("parameters", []) + item[method.lower()].get("parameters", [])


def request_of(method: str, path: str, base: dict) -> st.SearchStrategy[dict]:
    """Keyword arguments for ``client.open``: query string, JSON (or not) or multipart body."""
    media_type, schema = _body_schema(method, path)
    query = {p["name"]: value_of(p.get("schema", {})) for p in _parameters(method, path)
             if p["in"] == "query"}

    @st.composite
    def draw(draw):
        kwargs: dict = {"query_string": {}}
        for name, values in query.items():
            if draw(st.booleans()):
                value = draw(values)
                kwargs["query_string"][name] = value if isinstance(value, str) \
                    else json.dumps(value)
        if draw(st.booleans()):  # a parameter the operation does not have
            kwargs["query_string"][draw(hostile_text())] = draw(hostile_text())
        if media_type == "multipart/form-data":
            data = {}
            for name in schema.get("properties", {}):
                uploads = draw(st.lists(st.sampled_from(UPLOADS), max_size=3))
                data[name] = [(io.BytesIO(content), filename) for content, filename in uploads]
            if draw(st.booleans()):
                data[draw(hostile_text())] = draw(hostile_text())
            kwargs.update(data=data, content_type="multipart/form-data")
        elif media_type is not None:
            shape = draw(st.integers(0, 19))
            if shape == 0:  # not an object at all
                kwargs["data"] = json.dumps(draw(WRONG | JSON_ANY))
            elif shape == 1:  # not JSON, or JSON with NaN, or too deep
                kwargs["data"] = draw(st.sampled_from([
                    "{", "", "NaN", '{"a": NaN}', "[" * 5000 + "]" * 5000, "\ufeff{}",
                    '{"title": "\\ud800"}', '{"a": 1, "a": 2}', "null", "x" * 100_000]))
            else:
                kwargs["data"] = json.dumps(draw(object_of(schema, base)))
            kwargs["content_type"] = draw(st.sampled_from(
                ["application/json"] * 8 + ["text/plain", "application/json; charset=latin-1",
                                            "application/x-www-form-urlencoded"]))
        return kwargs
    return draw()


# --- the test ---------------------------------------------------------------------------------

@pytest.fixture
def recorder(app, db):
    with WriteRecorder(db.engine) as recorder:
        yield recorder


NOT_STORED = {"password", "content_sha256", "drawing_png"}  # checked, not kept as text


def _typed_strings(kwargs: dict, path: str, method: str) -> list[str]:
    """Top-level free-text properties sent in a JSON body (what should be stored as sent)."""
    media_type, schema = _body_schema(method, path)
    if media_type != "application/json" or "json" not in kwargs.get("content_type", ""):
        return []
    try:
        body = json.loads(kwargs["data"])
    except ValueError:
        return []
    if not isinstance(body, dict):
        return []
    found = []
    for name, spec in schema.get("properties", {}).items():
        spec = _resolve(spec)
        value = body.get(name)
        if name in NOT_STORED:
            continue
        if spec.get("type") == "string" and "enum" not in spec and "format" not in spec \
                and isinstance(value, str) and value.isprintable() and value.strip() \
                and len(value) <= int(spec.get("maxLength", 10**9)):
            found.append(value.strip())
    return found


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_hostile_request(method, path, app, world, client, bearer, recorder, cheap_passwords):
    setup = SETUPS[(method, path)]
    spot: dict = {}

    def fresh():
        db.session.rollback()
        ids, base = setup.make(world)
        spot.update(ids=ids, base=base, request=request_of(method, path, base),
                    fresh=spot.get("fresh", -1) + 1)

    fresh()
    headers = bearer(getattr(world, setup.role))
    bad_ids = itertools.cycle([0, -1, 2**31, 99999999])

    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow, HealthCheck.data_too_large],
              deadline=None)
    @given(st.data())
    def run(data):
        kwargs = data.draw(request_of_cached())
        spot["examples"] = spot.get("examples", 0) + 1
        ids = dict(spot["ids"])
        if ids and data.draw(st.integers(0, 9)) == 0:
            ids = {name: next(bad_ids) for name in ids}
        url = path.format(**ids)
        recorder.start()
        try:
            response = client.open(url, method=method, headers=headers, **kwargs)
        finally:
            recorder.stop()
            db.session.rollback()
        assert response.status_code < 500, response.get_data(as_text=True)[:2000]
        written = recorder.tables() - {"api_tokens"}  # "last used" is kept on every call
        if response.status_code >= 400:
            assert response.mimetype == PROBLEM, response.mimetype
            assert written <= setup.writes_on_refusal, \
                f"refused ({response.status_code}) but wrote to {sorted(written)}"
        elif written:
            stored = recorder.values()
            for value in _typed_strings(kwargs, path, method):
                assert value in stored, value
            if spot["fresh"] < FRESH_OBJECTS:
                fresh()

    def request_of_cached():
        return spot["request"]

    run()
    # The profile's number (200 in CI) really ran: a run that quietly tried fewer would prove less
    # than it claims.
    assert spot["examples"] >= settings.default.max_examples


def test_json_nested_too_deeply_is_a_bad_request(world, client, bearer):
    """Found by the fuzzing above: the decoder's RecursionError was a 500."""
    response = client.post("/api/v1/cases", headers=bearer(world.liaison),
                           data="[" * 100_000 + "]" * 100_000, content_type="application/json")

    assert response.status_code == 400
    assert response.mimetype == PROBLEM
