"""Which language and time zone a page is shown in."""
from flask import current_app, has_request_context, request, session


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
