"""What the features' permission tables share with the route matrix (test_route_matrix.py)."""
from dataclasses import dataclass
from typing import Any

TO_LOGIN = (302, r"/login(\?next=.*)?")


@dataclass(frozen=True)
class Unchanged:
    """An answer after which the database must be as it was: a refusal that still answers 2xx
    or 3xx (a form shown again with its error, a redirect that did nothing)."""
    answer: Any
