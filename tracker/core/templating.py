from datetime import datetime

from flask import Flask, current_app
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from wtforms.widgets import html_params

from tracker.core.i18n import gettext, install_in_templates, pgettext
from tracker.core.labels import label
from tracker.core.time import to_local


_MINUTES = "%Y-%m-%d %H:%M"


def localtime(value: datetime | None, fmt: str = _MINUTES) -> str:
    """``value`` (UTC) as the display time zone's wall clock, e.g. Beijing time."""
    if value is None:
        return ""
    return to_local(value, current_app.config["DISPLAY_TIMEZONE"]).strftime(fmt)


def document_date(value: datetime | None, with_time: bool = False) -> str:
    """A date as official documents write it in the display time zone: 2026年12月6日, month and
    day without a leading zero (GB/T 9704-2012, 7.3.5.3), with the time if asked."""
    if value is None:
        return ""
    local = to_local(value, current_app.config["DISPLAY_TIMEZONE"])
    day = f"{local.year}年{local.month}月{local.day}日"
    return f"{day} {local:%H:%M}" if with_time else day


def colon(label: str) -> str:
    """A label followed by the colon of the page's language: "背景：", "Background: "."""
    return str(label) + gettext(": ")


def aside(text: object) -> str:
    """``text`` in brackets after what precedes it, as the page's language writes them:
    "（德富花园）" in Chinese, " (德富花园)" in English."""
    return gettext(" (%(text)s)", text=text)


def series(items) -> str:
    """Items one after another: "甲、乙" in Chinese, "甲, 乙" in English."""
    return pgettext("list", ", ").join(str(item) for item in items)


def dict_without(args: dict, *keys: str) -> dict:
    """Query arguments minus some keys, for a link that drops one filter."""
    return {k: v for k, v in args.items() if k not in keys}


def init_app(app: Flask) -> None:
    app.add_template_filter(label)
    app.add_template_filter(dict_without)
    app.add_template_filter(localtime)
    app.add_template_filter(document_date)
    app.add_template_filter(colon)
    app.add_template_filter(aside)
    app.add_template_filter(series)
    app.jinja_env.globals.update(csrf_token=generate_csrf, get_locale=get_locale,
                                 html_params=html_params)
    app.jinja_env.globals["LANGUAGES"] = app.config["LANGUAGES"]
    install_in_templates(app)
