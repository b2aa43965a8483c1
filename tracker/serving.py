"""The application as an app server serves it (``wsgi.py``; ``bench/wsgi.py`` the same way)."""
import gc

from flask import Flask

from tracker import create_app
from tracker.core.production import public_address_problem


def app_for_serving(config: dict | None = None) -> Flask:
    """:func:`create_app`, then the objects it made are set aside from garbage collection.

    A worker holds some 270,000 objects once its pages have run (modules, mappings, compiled
    statements and templates); every full collection walked them all, a stall a user notices
    every few hundred requests (docs/scaling.md has the figures). Frozen
    (``gc.freeze``), they are skipped; what requests create is collected as before. Freezing
    before gunicorn forks its workers also keeps the pages they share unwritten.
    """
    app = create_app(config)
    if problem := public_address_problem(app.config):
        # Production refuses to start (tracker.core.production); the demo serves on this
        # machine's address, which works here but not on a phone scanning printed minutes.
        app.logger.warning("%s", problem)
    gc.collect()
    gc.freeze()
    return app
