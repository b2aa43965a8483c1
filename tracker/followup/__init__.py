"""Follow-up (督办): tasks with working-day deadlines, progress reports, return visits."""
from flask import Flask


def init_app(app: Flask) -> None:
    from tracker.followup import labels  # noqa: F401 - before the forms, whose menus use them
    from tracker.followup import case_section, operations, public_views, views  # noqa: F401
    app.register_blueprint(views.bp)
    app.register_blueprint(public_views.bp)
    from tracker.followup import cli
    app.cli.add_command(cli.reminders)
    # The case page shows the follow-up section; cases does not import this feature.
    app.jinja_env.globals["case_sections"].append("followup/_case_section.html")
    app.jinja_env.globals.update(followup=case_section.section_context)
    from tracker.core.i18n import lazy_gettext as _l

    from tracker.cases.queries import register_list_flag
    register_list_flag("overdue", _l("With an overdue task"), operations.narrow_to_overdue)
