"""Joint meetings: agenda, roll call and quorum, revisioned minutes, sign-off, the signed PDF."""
from flask import Flask

from tracker.meetings import labels  # noqa: F401  (registers the enum labels)


def init_app(app: Flask) -> None:
    from tracker.documents.checks import require_pdf_environment
    from tracker.meetings import cli, minutes_views, verify_views, views  # noqa: F401
    # Minutes PDFs with boxes instead of Chinese, or rendered 30× slower, are worse than no start.
    if app.config["CHECK_PDF_ENVIRONMENT"]:
        require_pdf_environment()
    app.register_blueprint(views.bp)
    app.register_blueprint(verify_views.bp)
    app.cli.add_command(cli.minutes)
    app.jinja_env.globals.update(
        meeting_state_label=labels.meeting_state_label, party_kind_label=labels.party_kind_label,
        item_party_kinds=labels.item_party_kinds, verdict_reason=labels.verdict_reason)
