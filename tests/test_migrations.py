"""The migrations: one head, and ``flask db upgrade`` on an empty database gives exactly the
models' schema, on SQLite and on PostgreSQL (a scratch database, never the suite's own)."""
import os
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, make_url, text

from tests.helpers.migrations import logging_untouched
from tracker import create_app
from tracker.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def test_exactly_one_head():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))

    heads = ScriptDirectory.from_config(config).get_heads()

    assert len(heads) == 1, f"several heads, merge them: {heads}"


@contextmanager
def sqlite_database(tmp_path):
    yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"


@contextmanager
def postgresql_database(_tmp_path):
    url = os.environ.get("TEST_DATABASE_URL", "")
    if make_url(url or "sqlite://").get_backend_name() != "postgresql":
        pytest.skip("TEST_DATABASE_URL does not name a PostgreSQL database")
    name = f"tracker_migration_check_{os.getpid()}"
    server = create_engine(make_url(url), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@contextmanager
def migrated_app(url):
    """An application of its own on the scratch database, its context pushed."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize("database", [sqlite_database, postgresql_database],
                         ids=["sqlite", "postgresql"])
def test_upgrade_from_empty_gives_the_models_schema(tmp_path, database):
    with database(tmp_path) as url, migrated_app(url), logging_untouched():
        assert inspect(db.engine).get_table_names() == []

        flask_migrate.upgrade()

        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True, "compare_server_default": True})
            differences = compare_metadata(context, db.metadata)
            assert differences == [], "the migrations and the models differ; run " \
                "`flask db migrate` and review the new revision"
            # Everything the models declare is there, not merely nothing extra.
            tables = set(inspect(connection).get_table_names())
        assert tables == set(db.metadata.tables) | {"alembic_version"}

        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
