"""What every page shares: error pages, language choice, template filters."""
from flask import Flask
from werkzeug.routing import IntegerConverter


class IdConverter(IntegerConverter):
    """``<int:…>`` in URLs stops at the largest id a database column holds (2**31 - 1): a larger
    number is a page that does not exist (404), not a database error (500)."""

    def __init__(self, map, *args, max=2**31 - 1, **kwargs):  # noqa: A002 - Werkzeug's names
        super().__init__(map, *args, max=max, **kwargs)


def init_app(app: Flask) -> None:
    from tracker.core import security, storage, templating, views
    app.request_class = storage.UploadRequest
    # Before any feature adds its routes: each rule takes its converter when it is added.
    app.url_map.converters["int"] = IdConverter
    app.register_blueprint(views.bp)
    app.before_request(views.refuse_nul_characters)
    views.register_error_handlers(app)
    templating.init_app(app)
    security.init_app(app)
    app.after_request(storage.status_507)
    from tracker.core.cache_cli import cache_group
    app.cli.add_command(cache_group)
