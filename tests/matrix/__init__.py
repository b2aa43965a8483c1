"""What the features' permission tables share with the route matrix (test_route_matrix.py)."""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TO_LOGIN = (302, r"/login(\?next=.*)?")


@dataclass(frozen=True)
class Scenario:
    """One row of a feature's table: a route asked with what its targets give, and the answer
    each role expects. ``data`` is a form body (pages), ``json`` and ``files`` an API body."""
    endpoint: str
    method: str
    url: Callable[[Any], str]
    expected: dict
    data: Callable[[Any], dict] | None = None
    json: Callable[[Any], dict] | None = None
    files: Callable[[Any], dict] | None = None


@dataclass(frozen=True)
class Unchanged:
    """An answer after which the database must be as it was: a refusal that still answers 2xx
    or 3xx (a form shown again with its error, a redirect that did nothing)."""
    answer: Any
