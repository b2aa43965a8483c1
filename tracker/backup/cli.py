from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.backup import operations
from tracker.backup.databases import BackupError
from tracker.extensions import db


def _external() -> dict[str, str]:
    return {name: current_app.config.get(name, "") for name in ("SIGNING_CERT", "SIGNING_KEY")}


@click.command("backup")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(archive: Path):
    """Write the database and the instance folder's files into one ARCHIVE (tar.gz)."""
    try:
        report = operations.backup(db.engine, db.session, Path(current_app.instance_path),
                                    _external(), archive)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo("\n".join(report.lines))


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the content of a database that holds data.")
@with_appcontext
def restore_command(archive: Path, force: bool):
    """Load ARCHIVE (made by ``backup``) into the database and the instance folder."""
    try:
        report = operations.restore(db.engine, db.session, Path(current_app.instance_path),
                                    archive, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo("\n".join(report.lines))
