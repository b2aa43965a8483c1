"""The notification centre: in-app reminders (and e-mail when SMTP is configured)."""
from flask import Flask, has_request_context
from flask_login import current_user


def init_app(app: Flask) -> None:
    from tracker.notifications import views
    from tracker.notifications.queries import unread_count
    app.register_blueprint(views.bp)

    @app.context_processor
    def _unread():
        # One small indexed count per page, only for people logged in.
        if has_request_context() and current_user.is_authenticated:
            return {"unread_notifications": unread_count(current_user)}
        return {"unread_notifications": 0}
