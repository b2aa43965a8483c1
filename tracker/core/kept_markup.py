"""Markup that is the same for everyone with the same language and key, drawn once per app.

An empty form's fields and the main menu come out the same for every request that shares a few
facts (the language, a compound's parties, which menu entries the person gets), yet drawing
them took a fifth of a case page. They are kept per app (``app.extensions["kept_markup"]``, a
KB or two each, dropped all at once beyond ``_KEPT_MAX``) under every fact they depend on, so a
kept copy is never one that another fact would have drawn differently. Nothing is kept while
templates reload (debug), so an edited template shows on the next page.
"""
import threading
from collections.abc import Callable, Hashable

from flask import current_app
from flask_babel import get_locale
from markupsafe import Markup

_KEPT_MAX = 512
_lock = threading.Lock()


def kept_markup(kind: str, key: Hashable, draw: Callable[[], Markup]) -> Markup:
    """``draw()``, kept for ``kind`` under the request's language and ``key``."""
    app = current_app._get_current_object()
    if app.jinja_env.auto_reload:
        return draw()
    kept = app.extensions.setdefault("kept_markup", {})
    full_key = (kind, str(get_locale()), key)
    markup = kept.get(full_key)
    if markup is None:
        markup = draw()
        with _lock:
            if len(kept) >= _KEPT_MAX:
                kept.clear()
            kept[full_key] = markup
    return markup
