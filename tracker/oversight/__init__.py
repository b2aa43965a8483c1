"""Oversight for street and district officials (and liaisons): dashboard, exports."""
from flask import Flask, has_request_context
from flask_login import current_user


def init_app(app: Flask) -> None:
    from tracker.oversight import policy, views
    app.register_blueprint(views.bp)
    # The case list offers the export to those who may oversee; cases does not import this.
    app.jinja_env.globals["case_list_tools"].append("oversight/_case_list_export.html")

    def may_oversee() -> bool:
        # Asked by the menu and the case list on one page; the role facts behind it are read
        # once per request (tracker.auth.scope.roles).
        return has_request_context() and current_user.is_authenticated \
            and policy.can_oversee(current_user)
    app.jinja_env.globals["may_oversee"] = may_oversee
