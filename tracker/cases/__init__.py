"""Cases: raising a residents' problem and moving it through its states."""
from flask import Flask

from tracker.cases import labels  # noqa: F401  (registers the enum labels)


def init_app(app: Flask) -> None:
    from tracker.cases import privacy, views
    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(event_label=labels.event_label, state_label=labels.state_label,
                                 resident_phone_for=privacy.resident_phone_for)
    # Features above cases add sections to the case page (templates to include, in order).
    app.jinja_env.globals["case_sections"] = []
    # …and tools to the case list (the oversight export links).
    app.jinja_env.globals["case_list_tools"] = []
