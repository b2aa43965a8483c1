"""What every page shares: error pages, language choice, template filters."""
from flask import Flask


def init_app(app: Flask) -> None:
    from tracker.core import templating, views
    app.register_blueprint(views.bp)
    views.register_error_handlers(app)
    templating.init_app(app)
