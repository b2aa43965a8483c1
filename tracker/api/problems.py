"""Errors as ``application/problem+json`` (RFC 9457) with a Chinese ``title``.

Every error under /api/ — a refused operation, a validation error, a route that does not exist,
a server error — is answered here, never with an HTML page. ``detail`` is the app's own message
(in the default language, Chinese); 422 answers list the fields at fault in ``errors``.
"""
from __future__ import annotations

import json

import marshmallow as ma
from flask import Response, request
from werkzeug.exceptions import HTTPException

MEDIA_TYPE = "application/problem+json"
PREFIX = "/api/"

# The title names the kind of problem and is the same for every occurrence (RFC 9457 §3.1.4).
TITLES = {
    400: "请求格式错误",
    401: "未认证或令牌无效",
    403: "无权进行此操作",
    404: "未找到或不在您的工作范围内",
    405: "不支持该请求方法",
    406: "无法提供所要求的格式",
    409: "与当前状态冲突",
    413: "请求内容过大",
    415: "不支持的内容类型",
    422: "提交的数据未通过校验",
    429: "请求过于频繁",
    500: "服务器内部错误",
}
DETAILS = {
    400: "请求无法解析。",
    401: "请在 Authorization 请求头中提供有效的 API 令牌（Bearer）。",
    403: "您的账号没有进行此操作的权限。",
    404: "该资源不存在，或不在您的工作范围内。",
    405: "该地址不接受此请求方法。",
    409: "该对象已被他人修改，或当前状态不允许此操作；请重新读取后再试。",
    413: "上传的内容超过了允许的大小。",
    415: "请求的内容类型不受支持。",
    422: "请检查 errors 中列出的字段。",
    429: "短时间内请求过多，请稍后再试。",
    500: "服务器未能完成此请求，数据没有保存。请稍后再试。",
}


class ApiProblem(HTTPException):
    """An error to answer as problem+json: raise it from an API view."""

    def __init__(self, status: int, detail=None, *, errors: list | None = None, **extra):
        super().__init__()
        self.code = status
        self.detail = detail
        self.errors = errors
        self.extra = extra


class FieldErrorSchema(ma.Schema):
    pointer = ma.fields.String(metadata={"description": "JSON pointer into the body, e.g. #/title"})
    parameter = ma.fields.String(metadata={"description": "query or form parameter at fault"})
    detail = ma.fields.String(required=True)


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details."""
    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True, metadata={"description": "in Chinese"})
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(required=True)
    errors = ma.fields.List(ma.fields.Nested(FieldErrorSchema),
                            metadata={"description": "the fields at fault (422)"})
    current_revision = ma.fields.Integer(
        metadata={"description": "minutes conflicts: the newer revision's number"})


def problem_response(status: int, detail=None, *, errors: list | None = None, headers=None,
                     **extra) -> Response:
    body = {"type": "about:blank", "title": TITLES.get(status, TITLES[500] if status >= 500
                                                        else TITLES[400]),
            "status": status, "detail": str(detail) if detail else DETAILS.get(status, "")}
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = Response(json.dumps(body, ensure_ascii=False), status=status,
                        mimetype=MEDIA_TYPE)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _field_errors(messages) -> list[dict]:
    """webargs' {"json": {"title": ["…"]}, "query": {…}} as RFC 9457 ``errors`` entries."""
    out = []

    def walk(path: list[str], value, location: str):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(path + [str(key)], inner, location)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            for message in value:
                where = {"pointer": "#/" + "/".join(path)} if location == "json" \
                    else {"parameter": ".".join(path)}
                out.append({**where, "detail": message})
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(path + [str(index)], inner, location)
        else:
            out.append({"pointer": "#/" + "/".join(path), "detail": str(value)})

    for location, fields in (messages or {}).items():
        walk([], fields, location)
    return out


def respond_to_api_error(error) -> Response | None:
    """The responder registered with core: problem+json for requests under /api/."""
    if not request.path.startswith(PREFIX):
        return None
    if isinstance(error, ApiProblem):
        return problem_response(error.code, error.detail, errors=error.errors, **error.extra)
    if not isinstance(error, HTTPException):
        return problem_response(500)
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    if "messages" in data:  # webargs: the request did not match the schema
        errors = _field_errors(data["messages"])
        if status == 400:
            return problem_response(400, errors=errors)
        return problem_response(422, errors=errors, headers=data.get("headers"))
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return problem_response(status, headers=headers)
