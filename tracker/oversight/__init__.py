"""Oversight for street and district officials (and liaisons): dashboard, exports."""
from flask import Flask, g, has_request_context
from flask_login import current_user


def init_app(app: Flask) -> None:
    from tracker.oversight import policy, views
    app.register_blueprint(views.bp)
    # The case list offers the export to those who may oversee; cases does not import this.
    app.jinja_env.globals["case_list_tools"].append("oversight/_case_list_export.html")

    def may_oversee() -> bool:
        # Asked by the menu and the case list on one page: two queries, once per request.
        if not (has_request_context() and current_user.is_authenticated):
            return False
        if "may_oversee" not in g:
            g.may_oversee = policy.can_oversee(current_user)
        return g.may_oversee
    app.jinja_env.globals["may_oversee"] = may_oversee
