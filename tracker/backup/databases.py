"""Dumping and loading the database: SQLite with its online backup API, PostgreSQL with pg_dump's
custom format and pg_restore."""
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import URL, inspect, text
from sqlalchemy.engine import Engine


class BackupError(Exception):
    """Something the operator must fix; the message says what."""


def kind(engine: Engine) -> str:
    return engine.dialect.name


def is_empty(engine: Engine) -> bool:
    """True when no table holds a row (a schema from ``flask db upgrade`` alone is empty)."""
    if kind(engine) == "sqlite" and not Path(engine.url.database or "").exists():
        return True
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            if table == "alembic_version":
                continue
            # The name comes from the database's own catalogue, not from a user.
            query = text(f'SELECT 1 FROM "{table}" LIMIT 1')  # nosec B608
            if connection.execute(query).first():
                return False
    return True


# --- SQLite -------------------------------------------------------------------------------

def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def dump_sqlite(engine: Engine, target: Path) -> None:
    """Copy the live database page by page (consistent even while the app writes)."""
    source = sqlite3.connect(_sqlite_path(engine.url))
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()


def load_sqlite(engine: Engine, dump: Path) -> None:
    """Replace the database's content with the dump's, through the same backup API (which
    locks the target while it copies, so other connections never see half of it)."""
    engine.dispose()
    target = _sqlite_path(engine.url)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()


# --- PostgreSQL ---------------------------------------------------------------------------

def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found on PATH; install the PostgreSQL client tools "
                          f"of the server's major version (Debian: apt-get install "
                          f"postgresql-client)")
    return path


def _major(version_output: str) -> int:
    """``pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)`` → 15."""
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", version_output)
    if not found:
        raise BackupError(f"cannot read a version from {version_output!r}")
    return int(found.group(1))


def tool_major(name: str) -> int:
    output = subprocess.run([_tool(name), "--version"], capture_output=True, text=True,
                            check=True).stdout
    return _major(output)


def server_major(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(text("SHOW server_version_num"))) // 10000


def _libpq(url: URL) -> tuple[str, dict]:
    """A libpq connection URI without the password, and the environment that carries it (so it
    shows in no process list)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def check_pg_dump(engine: Engine) -> int:
    """pg_dump's major version, once it is known to be there and able to dump the server (it
    refuses a server newer than itself): say which version to install otherwise."""
    tool, server = tool_major("pg_dump"), server_major(engine)
    if tool < server:
        raise BackupError(f"pg_dump {tool} cannot dump a PostgreSQL {server} server; install "
                          f"the client tools of version {server} or later")
    return tool


def dump_postgresql(engine: Engine, target: Path) -> str:
    """pg_dump in custom format; return pg_dump's major version."""
    tool = check_pg_dump(engine)
    uri, env = _libpq(engine.url)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          f"--file={target}", f"--dbname={uri}"], env)
    return str(tool)


def load_postgresql(engine: Engine, dump: Path, dumped_with: str) -> None:
    """pg_restore in one transaction (all or nothing), replacing the objects the dump holds."""
    tool = tool_major("pg_restore")
    if tool < int(dumped_with):
        raise BackupError(f"this archive was made by pg_dump {dumped_with}; pg_restore {tool} "
                          f"cannot read it, install version {dumped_with} or later")
    engine.dispose()
    uri, env = _libpq(engine.url)
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", f"--dbname={uri}", str(dump)], env)


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")
