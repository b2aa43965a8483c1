"""Administration: places, parties and accounts (administrators only)."""
from flask import Flask


def init_app(app: Flask) -> None:
    from tracker.admin import views
    app.register_blueprint(views.bp)
