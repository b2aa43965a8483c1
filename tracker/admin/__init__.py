"""Administration: places, parties, accounts and rulebooks (administrators only)."""
from flask import Flask


def init_app(app: Flask) -> None:
    from tracker.admin import (  # noqa: F401
        compound_views,
        place_views,
        role_views,
        rulebook_views,
        user_views,
    )
    from tracker.admin.views import bp
    app.register_blueprint(bp)
