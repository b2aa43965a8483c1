"""Answers to errors in another format than an HTML page.

Features that answer some requests otherwise (the JSON API under /api/ answers with
application/problem+json) register a function here: it gets the error and returns a response, or
None to leave the error to the HTML error page. Core does not import those features.
"""
from collections.abc import Callable

ERROR_RESPONDERS: list[Callable] = []


def answered_elsewhere(error):
    """The first registered responder's answer to ``error``, or None."""
    for responder in ERROR_RESPONDERS:
        response = responder(error)
        if response is not None:
            return response
    return None
