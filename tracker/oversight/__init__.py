"""Oversight for street and district officials (and liaisons): dashboard, exports."""
from flask import Flask


def init_app(app: Flask) -> None:
    pass
