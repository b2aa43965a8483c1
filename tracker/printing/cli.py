"""``flask minutes export``: a month of signed minutes as one PDF or a ZIP, from the server."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.meetings.models import MeetingState
from tracker.printing import bundles, queries
from tracker.printing.models import PrintFormat

FORMATS = {"pdf": PrintFormat.merged_pdf, "zip": PrintFormat.zip}


def _one(rows: list, what: str, name: str, hint: str = ""):
    if not rows:
        raise click.ClickException(f"no {what} is named {name!r}")
    if len(rows) > 1:
        raise click.ClickException(f"{len(rows)} {what}s are named {name!r}{hint}")
    return rows[0]


@click.command("export")
@click.option("--month", required=True, help="Year and month of the meetings, e.g. 2026-11 "
              "(in the display time zone).")
@click.option("--street", default="", help="Only this street's meetings (its name).")
@click.option("--community", default="", help="Only this community's meetings (its name).")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), required=True,
              help="pdf: one merged PDF to print; zip: the signed PDFs, each verifiable.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              required=True, help="The file to write.")
@with_appcontext
def export_command(month, street, community, fmt, output):
    """Write a month's signed minutes to one file; exit status 1 when none match."""
    if not queries.MONTH.match(month):
        raise click.BadParameter("give the month as YYYY-MM, e.g. 2026-11", param_hint="--month")
    street_row = None
    if street:
        street_row = _one(queries.streets_named(street), "street", street)
    community_row = None
    if community:
        community_row = _one(queries.communities_named(
            community, street_row.id if street_row is not None else None),
            "community", community, "; add --street")
    chosen = queries.RegisterFilter(
        street_id=street_row.id if street_row else None,
        community_id=community_row.id if community_row else None,
        month=month, state=MeetingState.signed)
    # The server's operator exports for the record: every community, no personal scope.
    meetings = queries.filtered_meetings(chosen, current_app.config["DISPLAY_TIMEZONE"])
    if not meetings:
        where = " ".join(filter(None, [street, community]))
        raise click.ClickException(f"no signed minutes for {month}"
                                   + (f" in {where}" if where else ""))
    entries = bundles.entries(meetings)
    with click.progressbar(length=len(entries), label=f"{len(entries)} signed minutes",
                           show_pos=True, item_show_func=lambda e: e.title if e else None) \
            as bar:
        try:
            data = bundles.build(FORMATS[fmt], entries, after_each=lambda e: bar.update(1, e))
        except bundles.BundleFailed as exc:
            raise click.ClickException(exc.message) from exc
    output.write_bytes(data)
    click.echo(f"{len(entries)} signed minutes written to {output} ({len(data)} bytes)")
