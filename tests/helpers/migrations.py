"""Running the migrations in a test without leaving the logging reconfigured."""
import logging
from contextlib import contextmanager


@contextmanager
def logging_untouched():
    """Alembic's env.py runs ``logging.config.fileConfig``, which disables every logger it does
    not name; put them back so later tests (caplog, warnings) see what they expect."""
    root = logging.getLogger()
    saved_root = (root.level, list(root.handlers))
    saved = {name: (lg.disabled, lg.level, list(lg.handlers), lg.propagate)
             for name, lg in logging.root.manager.loggerDict.items()
             if isinstance(lg, logging.Logger)}
    try:
        yield
    finally:
        root.setLevel(saved_root[0])
        root.handlers[:] = saved_root[1]
        for name, (disabled, level, handlers, propagate) in saved.items():
            lg = logging.getLogger(name)
            lg.disabled, lg.level, lg.propagate = disabled, level, propagate
            lg.handlers[:] = handlers
