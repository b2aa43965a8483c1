"""Backup → restore is lossless: every table row by row, every instance file byte by byte, and
every signed minutes PDF still verifies (on SQLite, and on PostgreSQL when TEST_DATABASE_URL
names one: restored into a scratch database of its own)."""
import os
import tarfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, make_url, select, text

from tracker import create_app
from tracker.demo.story import load_story
from tracker.extensions import db
from tracker.meetings.models import MinutesDocument
from tracker.meetings.verification import verify_minutes_pdf


@pytest.fixture
def instance(app, tmp_path, monkeypatch):
    """The app's instance folder is a scratch folder (the demo signs with a key generated there)."""
    folder = tmp_path / "instance"
    folder.mkdir()
    (folder / "secret_key").write_text("s" * 64)
    monkeypatch.setattr(app, "instance_path", str(folder))
    monkeypatch.setitem(app.config, "SIGNING_CERT", "")
    monkeypatch.setitem(app.config, "SIGNING_KEY", "")
    return folder


@contextmanager
def scratch_database(app, tmp_path):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    name = f"{url.database}_restore_{os.getpid()}"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@contextmanager
def restored_app(url, instance_path):
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x",
                        "SIGNING_CERT": "", "SIGNING_KEY": "", "CACHE_TYPE": "FileSystemCache",
                        "CACHE_DIR": str(instance_path / "cache")})
    other.instance_path = str(instance_path)
    with other.app_context():
        try:
            yield other
        finally:
            db.session.remove()
            db.engine.dispose()


def rows(engine, table: str) -> list[tuple]:
    with engine.connect() as connection:
        columns = [c["name"] for c in inspect(connection).get_columns(table)]
        keys = inspect(connection).get_pk_constraint(table)["constrained_columns"] or columns
        order = ", ".join(f'"{k}"' for k in keys)
        return [tuple(r) for r in connection.execute(
            text(f'SELECT * FROM "{table}" ORDER BY {order}'))]


def files(folder: Path) -> dict[str, bytes]:
    """The instance folder's records (the shared cache's own files are not among them)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*") if p.is_file()
            and not p.relative_to(folder).as_posix().startswith("cache/")}


def test_round_trip_is_lossless(app, db, instance, tmp_path):
    load_story()
    db.session.commit()
    assert db.session.scalar(select(MinutesDocument.id)) is not None
    # The shared cache holds answers computed from the database, not records: not archived.
    (instance / "cache").mkdir()
    (instance / "cache" / "an answer").write_bytes(b"computed")
    archive = tmp_path / "backup.tar.gz"
    made = app.test_cli_runner().invoke(args=["backup", str(archive)])
    assert made.exit_code == 0, made.output
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "instance/secret_key", "instance/signing/signing-cert.pem",
            "instance/signing/signing-key.pem"} <= names
    assert not [name for name in names if name.startswith("instance/cache")]
    (instance / "cache" / "an answer").unlink()

    source = db.engine
    tables = sorted(inspect(source).get_table_names())
    instance2 = tmp_path / "instance2"
    with scratch_database(app, tmp_path) as url, restored_app(url, instance2) as other:
        runner = other.test_cli_runner()
        from tracker.core.cache import peek_shared, share
        share("an answer from before", 1)
        done = runner.invoke(args=["restore", str(archive)])
        assert done.exit_code == 0, done.output
        assert "audit chain: " in done.output and "events verified" in done.output
        assert peek_shared("an answer from before") is None  # computed from the old database

        assert sorted(inspect(db.engine).get_table_names()) == tables
        for table in tables:
            assert rows(db.engine, table) == rows(source, table), table
        assert files(instance2) == files(instance)
        documents = db.session.scalars(select(MinutesDocument)).all()
        assert documents and all(verify_minutes_pdf(d.pdf).valid for d in documents)

        refused = runner.invoke(args=["restore", str(archive)])
        assert refused.exit_code == 1
        assert "not empty; nothing was restored" in refused.output
        forced = runner.invoke(args=["restore", "--force", str(archive)])
        assert forced.exit_code == 0, forced.output
        assert "replaced (--force)" in forced.output
        assert rows(db.engine, "audit_events") == rows(source, "audit_events")


def test_a_damaged_archive_is_refused(app, db, instance, tmp_path):
    load_story()
    db.session.commit()
    archive = tmp_path / "backup.tar.gz"
    assert app.test_cli_runner().invoke(args=["backup", str(archive)]).exit_code == 0
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as tar, tarfile.open(damaged, "w:gz") as out:
        for member in tar.getmembers():
            data = tar.extractfile(member).read()
            if member.name == "instance/secret_key":
                data = b"t" * len(data)
            out.addfile(member, __import__("io").BytesIO(data))
    with scratch_database(app, tmp_path) as url, \
            restored_app(url, tmp_path / "instance2") as other:
        done = other.test_cli_runner().invoke(args=["restore", str(damaged)])
        assert done.exit_code == 1
        assert "instance/secret_key is missing from the archive or damaged" in done.output
        assert not (tmp_path / "instance2" / "secret_key").exists()
