"""Labels of stored values follow the language they are shown in, also within one request."""
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from tracker.cases.models import CaseState
from tracker.core.labels import label


def test_a_label_is_in_the_language_of_the_moment(app):
    with app.test_request_context():
        with force_locale("zh"):
            chinese = label(CaseState.closed)
            assert chinese == str(_l("Closed")) != "Closed"
        with force_locale("en"):
            assert label(CaseState.closed) == "Closed"  # not the Chinese shown a moment ago
        with force_locale("zh"):
            assert label(CaseState.closed) == chinese


def test_outside_a_request_it_is_the_default_language(app):
    with app.app_context():
        assert label(CaseState.closed) == str(_l("Closed"))
