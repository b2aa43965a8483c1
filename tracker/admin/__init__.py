"""Administration: places, parties and accounts (administrators only)."""
from flask import Flask


def init_app(app: Flask) -> None:
    from tracker.admin import compound_views, place_views, role_views, user_views  # noqa: F401
    from tracker.admin.views import bp
    app.register_blueprint(bp)
