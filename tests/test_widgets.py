"""QuickSelect renders exactly what WTForms' Select renders, only faster."""
import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectChoice, SelectField
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import Select

from tracker.core.widgets import QuickSelect

MENUS = [
    [("", "All"), ("a", "A"), ("b", "B")],
    [("x<y", 'say "hi" & <b>bye</b>'), ("z", "")],  # escaping; an empty label shows the value
    [("", _l("All states")), ("open", _l("Cases"))],  # lazy labels, translated when shown
]


def _both(choices, data, **field_options):
    class Quick(Form):
        menu = SelectField("Menu", choices=choices, widget=QuickSelect(), **field_options)

    class Plain(Form):
        menu = SelectField("Menu", choices=choices, widget=Select(), **field_options)

    formdata = MultiDict({"menu": data}) if data is not None else None
    return Quick(formdata).menu, Plain(formdata).menu


@pytest.mark.parametrize("choices", MENUS)
@pytest.mark.parametrize("data", [None, "", "a", "x<y", "open", "missing"])
def test_the_same_html_as_wtforms(app, choices, data):
    for locale in ("zh", "en"):
        with app.test_request_context(), force_locale(locale):
            quick, plain = _both(choices, data, validators=[Optional()])
            assert str(quick()) == str(plain())
            assert str(quick(class_="wide", **{"aria-invalid": "true"})) == \
                str(plain(class_="wide", **{"aria-invalid": "true"}))


def test_a_selected_option_is_marked(app):
    with app.test_request_context():
        quick, _plain = _both(MENUS[0], "b")
        assert '<option selected value="b">B</option>' in str(quick())
        assert '<option value="a">A</option>' in str(quick())


def test_required_flag_and_other_choices_as_wtforms(app):
    with app.test_request_context():
        quick, plain = _both(MENUS[0], "", validators=[InputRequired()])
        assert " required" in str(quick()) and str(quick()) == str(plain())
        # Integer values are drawn the same; grouped options are left to WTForms, with its output.
        quick, plain = _both([(1, "one"), (2, "two")], "2", coerce=int)
        assert str(quick()) == str(plain()) and 'selected value="2"' in str(quick())
        groups = [SelectChoice("n", "N", optgroup="North"), SelectChoice("s", "S", optgroup="South")]
        quick, plain = _both(groups, "s")
        assert str(quick()) == str(plain()) and "<optgroup" in str(quick())
