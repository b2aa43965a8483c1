"""Resolutions and votes: owners' committee, management committee, owners' assembly."""
from flask import Flask

from tracker.voting import labels  # noqa: F401  (registers the enum labels)


def init_app(app: Flask) -> None:
    from tracker.voting import cli, views
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.votes)
    app.jinja_env.globals.update(choice_label=labels.choice_label,
                                 item_vote_text=labels.item_vote_text,
                                 item_resolution=labels.item_resolution,
                                 item_outcome=labels.item_outcome,
                                 outcome_label=labels.outcome_label,
                                 result_sentence=labels.result_sentence,
                                 event_note=labels.event_note,
                                 tally_sentence=labels.tally_sentence,
                                 matter_label=labels.matter_label)
