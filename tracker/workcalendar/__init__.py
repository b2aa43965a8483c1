"""The working calendar (工作日历) the district keeps: each year's official arrangement of days
off and make-up working days, which follow-up deadlines are counted over."""
from flask import Flask


def init_app(app: Flask) -> None:
    from tracker.workcalendar import cli, labels, views  # noqa: F401 - labels register themselves
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.calendar)
    app.jinja_env.globals["calendar_banner"] = views.banner_year
