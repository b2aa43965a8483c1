"""Places and parties: district → street → community → compound, units, parties."""
from flask import Flask

from tracker.places import labels  # noqa: F401  (registers the enum labels)


def init_app(app: Flask) -> None:
    from tracker.places import cli
    app.cli.add_command(cli.units)
