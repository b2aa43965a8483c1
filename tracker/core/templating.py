import re
from datetime import datetime

from collections.abc import Callable

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from tracker.core.form_rendering import hidden_fields, render_field
from tracker.core.kept_markup import kept_markup
from tracker.core.labels import label
from tracker.core.time import to_local


_MINUTES = "%Y-%m-%d %H:%M"


def localtime(value: datetime | None, fmt: str = _MINUTES) -> str:
    if value is None:
        return ""
    local = to_local(value, current_app.config["DISPLAY_TIMEZONE"])
    if fmt == _MINUTES:  # what strftime writes, in a third of the time (a timeline has dozens)
        return local.replace(tzinfo=None).isoformat(" ", "minutes")
    return local.strftime(fmt)


def dict_without(args: dict, *keys: str) -> dict:
    """Query arguments minus some keys, for a link that drops one filter."""
    return {k: v for k, v in args.items() if k not in keys}


_STAND_IN = 987654321


def link_to_each(endpoint: str, key: str) -> Callable[[int], str]:
    """``url_for(endpoint, key=id)`` for the many rows of a list: the URL is built once with a
    stand-in id that is then replaced (``url_for`` costs ~25 µs; a list of fifty called it
    fifty times)."""
    head, found, tail = url_for(endpoint, **{key: _STAND_IN}).rpartition(str(_STAND_IN))
    if not found:
        raise ValueError(f"{endpoint}: {key} is not in its URL")
    return lambda value: f"{head}{int(value)}{tail}"


# Where the top bar's per-request values go; none can come out of the template otherwise.
_TOP_BAR_STAND_INS = {"@@person@@": "person", "@@csrf@@": "csrf", "@@next@@": "next"}
_TOP_BAR_STAND_IN = re.compile("|".join(_TOP_BAR_STAND_INS))


def top_bar(oversee: bool, unread: int) -> Markup:
    """The page's top bar: the main menu, the language switch, the person's name and log-out.

    The same for everyone with the same language, menu entries and unread badge, so it is
    drawn once per app (``kept_markup``) and per request only the person's name, the CSRF
    token and this page's address (where the language switch returns to) are put in; drawing
    it whole was a seventh of an empty page."""
    logged_in = current_user.is_authenticated
    admin = logged_in and current_user.is_admin
    badge = "" if not (logged_in and unread) else str(unread) if unread < 100 else "99+"
    kept = kept_markup("top bar", (request.script_root, logged_in, oversee, admin, badge),
                       lambda: current_app.jinja_env.get_template("_top_bar.html").render(
                           logged_in=logged_in, oversee=oversee, admin=admin, unread=badge,
                           **{name: stand_in for stand_in, name in _TOP_BAR_STAND_INS.items()}))
    values = {"person": escape(current_user.name) if logged_in else "",
              "csrf": escape(generate_csrf()), "next": escape(request.full_path)}
    # One pass, so a value is never searched for stand-ins itself.
    return Markup(_TOP_BAR_STAND_IN.sub(  # nosec B704 - kept part autoescaped, values escaped
        lambda found: values[_TOP_BAR_STAND_INS[found.group(0)]], kept))


def init_app(app: Flask) -> None:
    app.add_template_filter(label)
    app.add_template_filter(dict_without)
    app.add_template_filter(localtime)
    app.jinja_env.globals.update(csrf_token=generate_csrf, get_locale=get_locale,
                                 link_to_each=link_to_each, render_field=render_field,
                                 hidden_fields=hidden_fields, top_bar=top_bar)
    app.jinja_env.globals["LANGUAGES"] = app.config["LANGUAGES"]
