"""Printing signed minutes in bulk: a merged PDF or a ZIP of the signed files, with progress."""
from flask import Flask


def init_app(app: Flask) -> None:
    from tracker.printing import models  # noqa: F401
