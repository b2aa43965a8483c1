"""tracker.core.i18n.translated: a lazy message translated once a request, in its language."""
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from tracker.cases.models import CaseState
from tracker.core.i18n import translated
from tracker.core.labels import label

CASES = _l("Cases")


def test_same_text_as_the_lazy_message_in_each_language(app):
    with app.test_request_context():
        with force_locale("zh"):
            chinese = translated(CASES)
            assert chinese == str(CASES) and chinese != "Cases"
        with force_locale("en"):
            assert translated(CASES) == "Cases"  # not the Chinese kept a moment ago
        with force_locale("zh"):
            assert label(CaseState.closed) == str(_l("Closed")) != "Closed"


def test_a_freed_message_is_not_mistaken_for_a_new_one(app):
    with app.test_request_context(), force_locale("en"):
        assert translated(_l("Cases")) == "Cases"
        # The first lazy object is gone; a new one may get its id, and must get its own text.
        assert translated(_l("Meetings")) == "Meetings"
        assert all(translated(_l(text)) == text for text in ("Cases", "Meetings", "Sort") * 50)


def test_outside_a_request_it_is_plain_translation(app):
    with app.app_context():
        assert translated(CASES) == str(CASES)
