"""How a form field is shown: a visible label, the input, a hint, and its errors right beside it.

Template globals rather than Jinja macros: a macro call costs Jinja about ten times a function
call, and a case page shows a dozen fields (a sixth of its time went to the macro itself).
"""
from collections.abc import Callable, Hashable

from flask import current_app, request
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from tracker.core.kept_markup import kept_markup

_HIDDEN = ("HiddenField", "CSRFTokenField")


def render_field(field, hint=None, **attributes) -> Markup:
    """``{{ render_field(form.title, hint=_("…"), rows=3) }}``: attributes go to the input; an
    ``id`` among them replaces the field's (several copies of one form on a page)."""
    errors = field.errors
    field_id = attributes.get("id", field.id)
    html = [f'<div class="field{" has-error" if errors else ""}">']
    if field.type == "BooleanField":
        html.append(f'<label class="check">{field(**attributes)} {escape(field.label.text)}'
                    "</label>")
    elif field.type == "RadioField":
        # Each choice inside its own label: a large target for a finger, read as one group.
        invalid = (f' aria-invalid="true" aria-describedby="{escape(field_id)}-error"'
                   if errors else "")
        html.append(f'<fieldset class="choices" id="{escape(field_id)}"{invalid}>'
                    f"<legend>{escape(field.label.text)}</legend>")
        html += [f'<label class="choice">{choice()} {escape(choice.label.text)}</label>'
                 for choice in field]
        html.append("</fieldset>")
    else:
        if errors:
            attributes = {**attributes, "aria-invalid": "true",
                          "aria-describedby": f"{field_id}-error"}
        # WTForms' own label, written out: ``field.label(for_=…)`` builds it through
        # html_params, a third of a select's cost.
        html.append(f'<label for="{escape(field_id)}">{escape(field.label.text)}</label>'
                    f"{field(**attributes)}")
    if hint:
        html.append(f'<small class="hint">{escape(hint)}</small>')
    if errors:
        html.append(f'<ul class="errors" id="{escape(field_id)}-error">')
        html += [f"<li>{escape(error)}</li>" for error in errors]
        html.append("</ul>")
    html.append("</div>")
    # Every text above is escaped or is WTForms' own escaped markup.
    return Markup("".join(html))  # nosec B704


def hidden_fields(form) -> Markup:
    """The form's hidden inputs and its CSRF token."""
    return Markup("".join(str(field()) for field in form  # nosec B704 - WTForms' markup
                          if field.type in _HIDDEN))


# Drawn in place of a copy's number, then replaced by it (as link_to_each does with an id).
_COPY = "__copy__"


def blank_form(template: str, make_form: Callable[[], FlaskForm], *, key: Hashable = (),
               copy: int | None = None, hidden: tuple[tuple[str, object], ...] = ()) -> Markup:
    """A form's hidden inputs and its visible fields, the fields drawn by ``template`` (which
    gets the form as ``form`` and ``copy``, the number that tells several copies of the form on
    one page apart, for their ids).

    A page asked for by GET shows its forms empty, so their fields look the same to everyone
    with the same language and ``key`` (what else they depend on: a compound's parties in a
    menu). They are drawn once per app and kept (:func:`kept_markup`), without making the form:
    the case page's four forms were a third of its time. ``hidden`` are the form's hidden
    values on such a page, in the form's order. After a refused POST the page shows what was
    typed, so the form is made from the request and drawn afresh.
    """
    if request.method not in ("GET", "HEAD"):
        form = make_form()
        return hidden_fields(form) + _draw(template, form, copy)
    fields = kept_markup(template, (key, copy is None), lambda: _draw(
        template, make_form(), None if copy is None else _COPY))
    if copy is not None:
        fields = fields.replace(_COPY, str(int(copy)))
    # The inputs WTForms would write: the hidden fields, then the CSRF token.
    inputs = [f'<input id="{name}" name="{name}" type="hidden" value="{escape(value)}">'
              for name, value in hidden]
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        inputs.append(f'<input id="{name}" name="{name}" type="hidden" '
                      f'value="{escape(generate_csrf())}">')
    return Markup("".join(inputs)) + fields  # nosec B704 - names are ours, values escaped


def _draw(template: str, form: FlaskForm, copy) -> Markup:
    return Markup(current_app.jinja_env.get_template(template)  # nosec B704 - autoescaped
                  .render(form=form, copy=copy))
