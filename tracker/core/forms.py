"""The base of every form: Flask-WTF's (its CSRF token), with WTForms' own messages ("This field
is required.", "Not a valid choice.") in the page's language.

Flask-WTF reads WTForms' message catalogue from disk on every request that shows or checks a
form; WTForms' own translation support keeps one catalogue per language for the process
(``Meta.cache_translations``), which this base turns on with the request's language. The
configuration sets ``WTF_I18N_ENABLED = False`` so that Flask-WTF leaves the messages to it.
"""
from flask_babel import get_locale
from flask_wtf import FlaskForm


class Form(FlaskForm):
    class Meta:
        cache_translations = True

        @property
        def locales(self) -> list[str]:
            return [str(get_locale())]
