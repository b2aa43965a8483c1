"""Which language and time zone a page is shown in, and its messages in that language.

Code and templates translate through ``gettext`` / ``lazy_gettext`` here rather than Flask-Babel's
functions of the same name: Flask-Babel finds the request, its locale and the domain again on
every lookup, and a page makes about a hundred lookups (menus, labels, table headings). Here the
catalogue is found once a request and each lookup is a dictionary access; the answers are the
same (docs/scaling.md, "Where a page's time goes"). To speak another language for a while, use
``speaking`` below: Flask-Babel's ``force_locale`` alone would leave the request's catalogue in
place.
"""
from collections.abc import Iterator
from contextlib import contextmanager

from babel.support import NullTranslations
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import LazyString, force_locale, get_translations

from tracker.core.cache import request_cached


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    # Commands (cron, `flask …`) have no session: they speak the default language.
    chosen = session.get("locale") if has_request_context() else None
    if chosen in languages:
        return chosen
    # Chinese unless the person picked English; browsers on government PCs often say en-US.
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["DISPLAY_TIMEZONE"]


def is_safe_redirect(target: str | None) -> bool:
    """Only same-site relative paths: ``/cases`` yes, ``//evil.example`` or ``http://…`` no.

    Control characters and spaces are refused too: browsers drop tabs and newlines from URLs, so
    ``/<TAB>/evil.example`` is followed as ``//evil.example``, and a newline cannot go in a header.
    """
    return bool(target) and target.startswith("/") and not target.startswith("//") \
        and "\\" not in target and not any(c <= " " or c == "\x7f" for c in target) \
        and request is not None


@request_cached
def catalogue() -> NullTranslations:
    """The messages of the language this request speaks."""
    return get_translations()


def gettext(string: str, **variables) -> str:
    text = catalogue().ugettext(string)
    return text % variables if variables else text


def pgettext(context: str, string: str) -> str:
    """``string`` as translated in ``context``: the same English, different Chinese (", "
    between clauses is "，", between the items of a list "、")."""
    return catalogue().pgettext(context, string)


def lazy_gettext(string: str, **variables) -> LazyString:
    """``gettext`` when the text is shown: for labels declared before any language is chosen."""
    return LazyString(gettext, string, **variables)


@contextmanager
def speaking(locale: str) -> Iterator[None]:
    """Messages in ``locale`` inside the block (a document issued in Chinese whatever the issuer's
    language), the request's own language again after it."""
    try:
        with force_locale(locale):
            catalogue.prime(get_translations())
            yield
    finally:
        catalogue.prime(get_translations())


def install_in_templates(app: Flask) -> None:
    """Templates' ``_()``/``gettext``/``ngettext`` through this request's catalogue, with Jinja's
    new-style semantics as Flask-Babel sets them up (translated text is markup; values put into
    it are escaped)."""
    app.jinja_env.install_gettext_callables(gettext=lambda s: catalogue().ugettext(s),
                                            ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
                                            newstyle=True)
