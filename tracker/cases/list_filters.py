"""The case list's filter menus, drawn once for each distinct way they can look.

Seven menus of about forty options cost a tenth of the list page to draw, and they look the
same for everyone who sees the same language, compounds and chosen filters: what is drawn is
kept by exactly those, so nothing that differs can be shown from the kept copy.
"""
import threading

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from tracker.core.form_rendering import render_field

# Distinct (language, compounds, filters) kept per worker; dropped all at once beyond this
# (a few KB each): people keep choosing the same handful of filters.
_KEPT_MAX = 512
_kept: dict[tuple, Markup] = {}
_lock = threading.Lock()


def filter_fields(form, offer_compounds: bool) -> Markup:
    """The filter form's visible fields (``render_field`` of each) for a validated form."""
    key = (str(get_locale()), offer_compounds, tuple(form.compound.choices),
           tuple((field.name, field.data) for field in form))
    drawn = _kept.get(key)
    if drawn is None:
        drawn = _draw(form, offer_compounds)
        with _lock:
            if len(_kept) >= _KEPT_MAX:
                _kept.clear()
            _kept[key] = drawn
    return drawn


def _draw(form, offer_compounds: bool) -> Markup:
    fields = [render_field(form.q, placeholder=_("Number, title or description")),
              render_field(form.state)]
    if offer_compounds:
        fields.append(render_field(form.compound))
    fields += [render_field(form.category), render_field(form.source), render_field(form.flag),
               render_field(form.sort)]
    return Markup("\n  ").join(fields)
