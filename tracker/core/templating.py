from datetime import datetime

from collections.abc import Callable

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from tracker.core.form_rendering import hidden_fields, render_field
from tracker.core.kept_markup import kept_markup
from tracker.core.labels import label
from tracker.core.time import to_local


def localtime(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    return to_local(value, current_app.config["DISPLAY_TIMEZONE"]).strftime(fmt)


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


def main_menu(oversee: bool, admin: bool, unread: int) -> Markup:
    """The logged-in menu: the same for everyone with the same language, entries and unread
    badge, so it is drawn once per app (nine links and their labels were a tenth of the empty
    layout)."""
    badge = "" if not unread else str(unread) if unread < 100 else "99+"
    return kept_markup("main menu", (request.script_root, oversee, admin, badge), lambda: Markup(
        current_app.jinja_env.get_template("_main_menu.html")  # nosec B704 - autoescaped
        .render(oversee=oversee, admin=admin, unread=badge)))


def init_app(app: Flask) -> None:
    app.add_template_filter(label)
    app.add_template_filter(dict_without)
    app.add_template_filter(localtime)
    app.jinja_env.globals.update(csrf_token=generate_csrf, get_locale=get_locale,
                                 link_to_each=link_to_each, render_field=render_field,
                                 hidden_fields=hidden_fields, main_menu=main_menu)
    app.jinja_env.globals["LANGUAGES"] = app.config["LANGUAGES"]
