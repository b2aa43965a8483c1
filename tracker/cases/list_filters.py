"""The case list's filters: read from the URL and drawn as menus once for each distinct look.

Reading the filters through WTForms and drawing its seven menus of about forty options cost a
fifth of the list page, and both give the same for everyone with the same language, compounds
and URL. So what they give is kept by exactly those, and nothing that differs can come from a
kept copy. The list itself (the rows) is read afresh every time.
"""
import threading
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from tracker.cases.forms import CaseFilterForm
from tracker.cases.queries import LIST_FLAGS, CaseFilters
from tracker.core.form_rendering import render_field

# Distinct (language, compounds, URL) kept per worker; dropped all at once beyond this (a few
# KB each): people keep choosing the same handful of filters.
_KEPT_MAX = 512
_kept: dict[tuple, "ChosenFilters"] = {}
_lock = threading.Lock()


def forget_all() -> None:
    """Drop every kept filter choice (between tests, whose compounds come and go)."""
    with _lock:
        _kept.clear()


@dataclass(frozen=True)
class ChosenFilters:
    """What the list's URL asks for, once checked, and its menus drawn."""
    filters: CaseFilters
    sort: str
    page: int
    street: int | None
    community: int | None
    compound: str
    fields: Markup  # the form's visible fields, each by render_field


def chosen_filters(args, compounds: list[tuple[str, str]], all_compounds: bool) \
        -> ChosenFilters:
    """The filters of the URL's ``args`` for a person who may filter by ``compounds`` (all of
    theirs if ``all_compounds``). Unknown values (an edited URL) give the unfiltered list."""
    key = (str(get_locale()), tuple(args.items(multi=True)), tuple(compounds), all_compounds)
    chosen = _kept.get(key)
    if chosen is None:
        chosen = _read(args, compounds, all_compounds)
        with _lock:
            if len(_kept) >= _KEPT_MAX:
                _kept.clear()
            _kept[key] = chosen
    return chosen


def _form(formdata, compounds) -> CaseFilterForm:
    form = CaseFilterForm(formdata)
    form.compound.choices = [("", _("All compounds"))] + compounds
    form.flag.choices = [("", _("All cases"))] + [
        (name, label) for name, (label, _narrow) in LIST_FLAGS.items()]
    return form


def _read(args, compounds, all_compounds: bool) -> ChosenFilters:
    form = _form(args, compounds)
    if not form.validate():
        form = _form(None, compounds)
    offer_compounds = all_compounds or bool(form.compound.data)
    fields = [render_field(form.q, placeholder=_("Number, title or description")),
              render_field(form.state)]
    if offer_compounds:
        fields.append(render_field(form.compound))
    fields += [render_field(form.category), render_field(form.source), render_field(form.flag),
               render_field(form.sort)]
    return ChosenFilters(filters=form.filters(), sort=form.sort.data or "newest",
                         page=form.page.data or 1, street=form.street.data,
                         community=form.community.data, compound=form.compound.data or "",
                         fields=Markup("\n  ").join(fields))
