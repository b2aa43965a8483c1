"""``flask units import``: load a compound's units from the property register as CSV."""
import click
from flask.cli import with_appcontext

from tracker.extensions import db
from tracker.places.importing import UnitImportError
from tracker.places.operations import import_units
from tracker.places.queries import compound_by_code


@click.group(help="Units of a compound (property register).")
def units():
    pass


@units.command("import")
@click.argument("compound_code")
@click.argument("csv_file", type=click.File("rb"))
@with_appcontext
def import_command(compound_code, csv_file):
    """Import units from CSV_FILE into the compound with COMPOUND_CODE.

    Columns: building, number, owner_name, area, and optionally owner_ref, developer_unsold.
    The whole file is checked first; if any line is wrong nothing is imported.
    """
    compound = compound_by_code(compound_code)
    if compound is None:
        raise click.ClickException(f"no compound with code {compound_code!r}")
    try:
        count = import_units(compound, csv_file.read())
    except UnitImportError as exc:
        db.session.rollback()
        for line, message in exc.errors:
            click.echo(f"line {line}: {message}", err=True)
        raise click.ClickException(
            f"{len(exc.errors)} bad line(s); nothing was imported") from None
    db.session.commit()
    click.echo(f"imported {count} unit(s) into {compound.name}")
