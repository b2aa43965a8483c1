"""Throttles (failed logins, status lookups, verifications, signatures, ballots): where they count.

A throttle holds only if every worker process and every app server of a deployment adds to the
same count: counted in each process's memory, ``make demo``'s two workers would allow twice the
limit, and three servers of two workers six times. So the count lives in one Redis that all of
them reach — by default the one on this machine, which ``make demo`` installs and starts; several
app servers set ``RATELIMIT_STORAGE_URI`` to the Redis they share (docs/scaling.md).

While that Redis does not answer, Flask-Limiter counts in each process's memory until it answers
again — logins keep working, throttled per process — and the warning it logs goes to the app's
log. An application under test (``TESTING``) with no storage named counts in its own memory:
the suite resets its counts after every test, which in a shared Redis would reset those of a
deployment on the same machine.
"""
import hashlib
import logging

from flask import Flask
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from tracker.extensions import limiter

DEFAULT_STORAGE_URI = "redis://127.0.0.1:6379/0"
REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://")


def configure_limiter(app: Flask) -> None:
    config = app.config
    if not config.get("RATELIMIT_STORAGE_URI"):
        config["RATELIMIT_STORAGE_URI"] = "memory://" if app.testing else DEFAULT_STORAGE_URI
    if not config.get("RATELIMIT_KEY_PREFIX"):
        config["RATELIMIT_KEY_PREFIX"] = database_key(config.get("SQLALCHEMY_DATABASE_URI", ""))
    if config["RATELIMIT_STORAGE_URI"].startswith(REDIS_SCHEMES):
        # A Redis that does not answer must cost a login a moment, not a worker's timeout:
        # then the in-memory fallback takes over.
        config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_timeout": 0.5,
                                                        "socket_connect_timeout": 0.5})
    limiter.init_app(app)
    _log_with_app(limiter.logger, app.logger)


def database_key(database_url: str) -> str:
    """The default key prefix: the database's name, hashed. Every server of a deployment names
    the same database (whatever host name it reaches it by), so they share their counts; two
    deployments, or test servers with databases of their own, on one Redis stay apart."""
    try:
        name = make_url(database_url).database or ""
    except ArgumentError:  # not a URL: the app fails where it connects, not here
        name = database_url
    return "tracker-" + hashlib.sha256(name.encode()).hexdigest()[:12]


class _ToAppLog(logging.Handler):
    def __init__(self, app_logger: logging.Logger):
        super().__init__(logging.WARNING)
        self.app_logger = app_logger

    def emit(self, record: logging.LogRecord) -> None:
        self.app_logger.handle(record)


def _log_with_app(limiter_logger: logging.Logger, app_logger: logging.Logger) -> None:
    """Flask-Limiter's warnings ("Rate limit storage unreachable - falling back to in-memory
    storage") go where the app's do. Its own logger has only a NullHandler, so under gunicorn
    they would be dropped."""
    for handler in [h for h in limiter_logger.handlers if isinstance(h, _ToAppLog)]:
        limiter_logger.removeHandler(handler)
    limiter_logger.addHandler(_ToAppLog(app_logger))
    limiter_logger.propagate = False  # the app's logger passes them on to the root's handlers
