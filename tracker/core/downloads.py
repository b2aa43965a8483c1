"""Stored bytes sent as a file to save: exports, bulk prints.

The Content-Type is sent exactly as given, so a CSV says ``charset=utf-8`` once, and the
file's name travels in both forms browsers read.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Response
from werkzeug.datastructures import Headers

CHUNK = 256 * 1024


def attachment(data: bytes, content_type: str, filename: str, fallback: str) -> Response:
    """Stream ``data`` as a download named ``filename``.

    ``filename*`` (RFC 5987) carries the Chinese name; ``filename`` an ASCII one for old clients.
    The response is kept by no cache: exports and prints carry people's names and cases.
    """
    headers = Headers()
    headers.set("Content-Disposition", "attachment", filename=fallback,
                **{"filename*": "UTF-8''" + quote(filename, safe="")})
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Cache-Control"] = "private, no-store"

    def chunks():
        view = memoryview(data)
        for start in range(0, len(view), CHUNK):
            yield bytes(view[start:start + CHUNK])

    response = Response(chunks(), content_type=content_type, headers=headers)
    response.content_length = len(data)
    return response
