"""The seed story as demo data: ``flask --app tracker demo load``."""
from flask import Flask


def init_app(app: Flask) -> None:
    from tracker.demo import cli
    app.cli.add_command(cli.demo)
