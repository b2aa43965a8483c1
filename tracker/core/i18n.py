"""Which language and time zone a page is shown in."""
import functools

import flask_babel
from babel import support as babel_support
from flask import Flask, current_app, has_request_context, request, session
from flask.globals import _cv_app
from jinja2 import pass_eval_context
from markupsafe import Markup
from wtforms.i18n import messages_path as wtforms_messages_path


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


class RequestDomain(flask_babel.Domain):
    """Flask-Babel's message domain, remembering the request's catalogue once it is chosen.

    Flask-Babel looks the catalogue up again on every message: six context-local lookups and a
    locale formatted to a string, about 7 µs. A case list translates some 500 messages, so that
    alone was a third of the page's time. The catalogue is kept on Flask-Babel's own request
    context next to the locale it belongs to, so ``force_locale`` (mail in the recipient's
    language) still gets the right one: a different locale object misses the cache.
    """

    def get_translations(self):
        app_context = _cv_app.get(None)
        babel_context = app_context.g.__dict__.get("_flask_babel") if app_context else None
        locale = getattr(babel_context, "babel_locale", None)
        if locale is None:  # the first message of a request chooses the locale
            return super().get_translations()
        cached = getattr(babel_context, "tracker_translations", None)
        if cached is not None and cached[0] is locale:
            return cached[1]
        translations = super().get_translations()
        babel_context.tracker_translations = (locale, translations)
        return translations


def translated(lazy) -> str:
    """``str(lazy)`` for a lazy message, kept for the rest of the request in its language.

    Enum labels and menu choices are lazy strings translated each time they are shown: fifty
    rows of the case list translated the same eight labels a hundred times (~4 µs each). The
    entry keeps the lazy object itself, so an id reused after it is freed cannot match.
    """
    app_context = _cv_app.get(None)
    babel_context = app_context.g.__dict__.get("_flask_babel") if app_context else None
    locale = getattr(babel_context, "babel_locale", None)
    if locale is None:  # no request, or its language not chosen yet
        return str(lazy)
    kept = getattr(babel_context, "tracker_texts", None)
    if kept is None or kept[0] is not locale:
        kept = babel_context.tracker_texts = (locale, {})
    entry = kept[1].get(id(lazy))
    if entry is None or entry[0] is not lazy:
        entry = kept[1][id(lazy)] = (lazy, str(lazy))
    return entry[1]


@functools.cache
def _wtforms_catalogue(locale: str) -> babel_support.Translations:
    return babel_support.Translations.load(wtforms_messages_path(), [locale], domain="wtforms")


class _WTFormsMessages:
    """WTForms' own messages ("Not a valid choice") in the request's language, looked up when a
    form needs one: a download or a photo never does, and choosing the language for it was a
    fortieth of a PDF download."""

    def ugettext(self, string: str) -> str:
        return _wtforms_catalogue(str(flask_babel.get_locale())).ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalogue(str(flask_babel.get_locale())).ungettext(singular, plural, n)


_WTFORMS_MESSAGES = _WTFormsMessages()


def _wtforms_translations_for_this_request() -> None:
    # Flask-WTF reads WTForms' own messages from disk on every request unless the request
    # already carries them: each language's catalogue is loaded once per process.
    request.wtforms_translations = _WTFORMS_MESSAGES


def install_fast_translations(app: Flask, babel: flask_babel.Babel) -> None:
    """Serve every message, in Python and in templates, through one ``RequestDomain``.

    Templates get their own ``_``/``gettext``/``ngettext`` instead of Jinja's "newstyle" ones,
    which behave the same (autoescaped, ``%(name)s`` filled in and escaped) but also format a
    message that has no placeholder, and look the catalogue up through two more layers.
    """
    domain = RequestDomain(domain=app.extensions["babel"].default_domain)
    babel.domain_instance = domain  # a cached_property of Flask-Babel's: this replaces it

    @pass_eval_context
    def gettext(eval_context, string, **variables):
        message = domain.get_translations().ugettext(string)
        return _fill(eval_context, message, variables)

    @pass_eval_context
    def ngettext(eval_context, singular, plural, num, **variables):
        message = domain.get_translations().ungettext(singular, plural, num)
        variables.setdefault("num", num)
        return _fill(eval_context, message, variables)

    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
    app.before_request(_wtforms_translations_for_this_request)


def _fill(eval_context, message: str, variables: dict) -> str:
    if eval_context.autoescape:
        # A message from our own catalogue is markup, as Jinja's own gettext treats it; the
        # variables filled in below are escaped by Markup's % formatting.
        message = Markup(message)  # nosec B704
    # Without a "%" formatting would return the message unchanged: skip its cost.
    return message % variables if "%" in message else message
