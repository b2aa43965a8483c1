"""The backup archive: a tar file holding ``manifest.json``, the database dump and every file of
the instance folder (the session key, the signing certificate and key). Photos, signatures and
minutes PDFs are rows of the database, so the dump carries them.

The manifest lists every member with its SHA-256; restore checks them all before it touches
anything.
"""
import hashlib
import io
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy.engine import Engine

from tracker.audit.chain import verify_chain
from tracker.backup import databases
from tracker.backup.databases import BackupError
from tracker.core.cache import clear_all
from tracker.core.time import utcnow

FORMAT = 1
MANIFEST = "manifest.json"
DUMPS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.lines.append(line)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def instance_files(instance_path: Path, engine: Engine) -> list[Path]:
    """Every file of the instance folder but the SQLite database itself (dumped separately),
    its journals and the shared cache (answers computed from the database, never a record)."""
    skip = set()
    caches = [instance_path / "cache"]
    if has_app_context() and current_app.config.get("CACHE_DIR"):
        caches.append(Path(current_app.config["CACHE_DIR"]))
    caches = [folder.resolve() for folder in caches]
    if databases.kind(engine) == "sqlite" and engine.url.database:
        db_file = Path(engine.url.database).resolve()
        skip = {db_file, *(db_file.with_name(db_file.name + s) for s in ("-wal", "-shm",
                                                                         "-journal"))}
    if not instance_path.is_dir():
        return []
    return sorted(p for p in instance_path.rglob("*") if p.is_file()
                  and p.resolve() not in skip
                  and not any(p.resolve().is_relative_to(folder) for folder in caches))


def backup(engine: Engine, session, instance_path: Path, external: dict[str, str],
           archive: Path) -> Report:
    """Write ``archive``. ``external`` names files kept outside the instance folder (the
    configured signing certificate and key), by setting: they go into the archive too."""
    report = Report()
    dialect = databases.kind(engine)
    if dialect not in DUMPS:
        raise BackupError(f"backups of a {dialect} database are not supported")
    if dialect == "postgresql":
        databases.check_pg_dump(engine)
    audit = verify_chain(session)
    session.rollback()  # release the read transaction before the dump
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / DUMPS[dialect]
        manifest = {"format": FORMAT, "created_at": utcnow().isoformat(), "database": dialect,
                    "dump": dump.name, "audit": {"valid": audit.valid, "count": audit.count,
                                                 "head": audit.head},
                    "files": {}, "external": {}}
        if dialect == "sqlite":
            databases.dump_sqlite(engine, dump)
        else:
            manifest["pg_dump_major"] = databases.dump_postgresql(engine, dump)
        members = [(dump.name, dump)]
        for path in instance_files(instance_path, engine):
            members.append(("instance/" + path.relative_to(instance_path).as_posix(), path))
        for setting, location in sorted(external.items()):
            path = Path(location)
            if location and path.is_file() and not path.resolve().is_relative_to(
                    instance_path.resolve()):
                name = f"external/{setting}"
                manifest["external"][name] = str(path.resolve())
                members.append((name, path))
        manifest["files"] = {name: {"sha256": _sha256(path), "size": path.stat().st_size}
                             for name, path in members}
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(utcnow().timestamp())
            tar.addfile(info, io.BytesIO(data))
            for name, path in members:
                tar.add(path, arcname=name, recursive=False)
        os.replace(partial, archive)  # a crash leaves no half-written archive under the name
    report.say(f"database: {dialect}, dumped to {dump.name}")
    report.say(f"files: {len(members) - 1} ({', '.join(n for n, _ in members[1:]) or 'none'})")
    report.say(f"audit chain: {audit.count} events, head {audit.head}"
               + ("" if audit.valid else f" — BROKEN: {audit.message}"))
    report.say(f"written {archive} ({archive.stat().st_size} bytes)")
    return report


def _read_checked(archive: Path, scratch: Path) -> dict:
    """Extract ``archive`` into ``scratch`` and check every file against the manifest."""
    try:
        tar = tarfile.open(archive, "r:*")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive} is not a backup archive: {error}") from error
    with tar:
        try:
            manifest = json.load(tar.extractfile(MANIFEST))
        except (KeyError, ValueError) as error:
            raise BackupError(f"{archive} has no readable {MANIFEST}") from error
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown archive format {manifest.get('format')!r}")
        tar.extractall(scratch, filter="data")
    for name, expected in manifest["files"].items():
        path = scratch / name
        if not path.is_file() or _sha256(path) != expected["sha256"]:
            raise BackupError(f"{name} is missing from the archive or damaged (SHA-256 differs "
                              f"from the manifest); nothing was restored")
    return manifest


def restore(engine: Engine, session, instance_path: Path, archive: Path, *,
            force: bool = False) -> Report:
    """Load ``archive`` into the database and the instance folder.

    :raise BackupError: the archive is damaged or of another database, or the database holds
        data and ``force`` is not given.
    """
    report = Report()
    dialect = databases.kind(engine)
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        manifest = _read_checked(archive, scratch)
        if manifest["database"] != dialect:
            raise BackupError(f"the archive holds a {manifest['database']} database; this "
                              f"deployment uses {dialect}")
        session.remove()
        if not databases.is_empty(engine):
            if not force:
                raise BackupError("the database is not empty; nothing was restored (give "
                                  "--force to replace its content with the archive's)")
            report.say("the database was not empty: its content is replaced (--force)")
        dump = scratch / manifest["dump"]
        if dialect == "sqlite":
            databases.load_sqlite(engine, dump)
        else:
            databases.load_postgresql(engine, dump, manifest["pg_dump_major"])
        report.say(f"database: restored from {manifest['dump']} "
                   f"(backup of {manifest['created_at']})")
        for name in sorted(manifest["files"]):
            if name.startswith("instance/"):
                _put(scratch / name, instance_path / name.removeprefix("instance/"), report)
            elif name in manifest["external"]:
                _put(scratch / name, Path(manifest["external"][name]), report)
    # What the workers shared was computed from the database that was just replaced.
    if clear_all():
        report.say(f"shared cache ({current_app.config['CACHE_TYPE']}): cleared")
    else:
        report.say("shared cache: WARNING — unreachable, not cleared; clear it once it is back "
                   "(flask cache clear)")
    audit = verify_chain(session)
    session.remove()
    recorded = manifest["audit"]
    if audit.valid and audit.count >= recorded["count"]:
        # A backup of a live database may hold events written after it verified the chain.
        report.say(f"audit chain: {audit.count} events verified (the backup verified "
                   f"{recorded['count']} when it began)")
    else:
        report.say(f"audit chain: WARNING — {audit.message or 'head differs from the backup'} "
                   f"({audit.count} events, backup recorded {recorded['count']})")
    return report


def _put(source: Path, target: Path, report: Report) -> None:
    """Copy one file into place (write aside, then rename), keeping owner-only modes."""
    if target.is_file() and target.read_bytes() == source.read_bytes():
        report.say(f"file unchanged: {target}")
        return
    existed = target.exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    aside = target.with_name(target.name + ".restoring")
    aside.write_bytes(source.read_bytes())
    os.chmod(aside, source.stat().st_mode & 0o777)
    os.replace(aside, target)
    report.say(f"file {'replaced' if existed else 'written'}: {target}")
