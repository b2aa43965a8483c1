"""How a form field is shown: a visible label, the input, a hint, and its errors right beside it.

Template globals rather than Jinja macros: a macro call costs Jinja about ten times a function
call, and a case page shows a dozen fields (a sixth of its time went to the macro itself).
"""
from markupsafe import Markup, escape

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
