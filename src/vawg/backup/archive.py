"""One-file backups of an installation, and all-or-nothing restores of them.

A backup is a ``.tar.gz`` holding, in this order:

``manifest.json``
    format and version, when and by which app version it was made, the database engine,
    the applied Django migrations, the row count of every table, and every other member's
    size and sha256. It comes first so a restore checks each file as it reads it, and a
    damaged archive is refused naming the damaged file.
``database.jsonl``
    the database as a Django JSON Lines dump (as ``dumpdata --natural-foreign``, without
    content types, permissions, sessions and admin log entries, which each installation
    makes for itself). JSON Lines is read and written one row at a time, so neither side
    holds the whole database in memory, and it loads into SQLite or PostgreSQL alike.
``parquet/…``, ``uploads/…``
    the Parquet store and uploaded files, byte for byte.

The archive holds every record in the tracker, restricted ones included: keep it on
encrypted storage with the same access controls as the live system.

A restore goes into an empty installation only (``replace`` replaces a non-empty one). It
checks every checksum before touching anything, migrates, loads the dump and checks every
table's row count in one transaction, and moves the files into place before that
transaction commits, moving them back if it does not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import logging
import os
import secrets
import shutil
import tarfile
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, router, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

import vawg
from vawg.audit.models import AuditAction
from vawg.audit.recording import record_event, recording_suspended
from vawg.errors import VawgError

logger = logging.getLogger(__name__)

FORMAT = "vawg-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.jsonl"
PARQUET = "parquet"
UPLOADS = "uploads"
#: Made afresh by ``migrate`` in every installation, and referred to by natural keys.
DUMP_EXCLUDE = ("contenttypes", "auth.permission", "sessions", "admin.logentry")
_REGENERATED = {"contenttypes.ContentType", "auth.Permission"}
#: Folders of work in progress inside the Parquet store: never part of a backup.
_SKIP_DIRS = {".staging"}
_CHUNK = 1024 * 1024

Progress = Callable[[str], None]


class BackupError(VawgError):
    """A backup that cannot be made or restored; the message says why."""


class RestoreRefusedError(BackupError):
    """The target installation already holds data."""


class ChecksumError(BackupError):
    """A member of the archive is not what the manifest says it is."""

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        super().__init__(f"The backup is damaged: {name}: {problem}. Nothing was restored.")


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds."""

    path: Path
    bytes: int
    rows: int
    files: int
    seconds: float


@dataclass(frozen=True)
class RestoreSummary:
    """What a restore put back."""

    rows: int
    files: int
    seconds: float


def _quiet(_: str) -> None:
    """Default progress: say nothing."""


# --- what is in the database ----------------------------------------------------------------


def backed_up_models() -> list[type[models.Model]]:
    """Every table the dump holds, through tables of many-to-many fields included."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed
        and not m._meta.proxy
        and m._meta.label not in _REGENERATED
        and m._meta.app_label not in ("sessions",)
        and m._meta.label != "admin.LogEntry"
    ]


def row_counts() -> dict[str, int]:
    """Rows per backed-up table, by model label."""
    return {m._meta.label: m._base_manager.count() for m in backed_up_models()}


def applied_migrations() -> dict[str, list[str]]:
    """The migrations recorded as applied in the database, by app."""
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def target_contents() -> list[str]:
    """What already holds data in this installation (empty list: safe to restore into).

    Content types and permissions do not count: ``migrate`` makes them in any installation.
    """
    found: list[str] = []
    tables = set(connection.introspection.table_names())
    for model in backed_up_models():
        if model._meta.db_table in tables and model._base_manager.exists():
            found.append(f"table {model._meta.db_table}")
    for name, folder in ((PARQUET, _parquet_dir()), (UPLOADS, _uploads_dir())):
        if folder.exists() and any(p.is_file() for p in folder.rglob("*")):
            found.append(f"files in {name} folder {folder}")
    return found


def _parquet_dir() -> Path:
    return Path(settings.VAWG_PARQUET_DIR)


def _uploads_dir() -> Path:
    return Path(getattr(settings, "VAWG_UPLOADS_DIR", Path(settings.DATA_DIR) / UPLOADS))


# --- making a backup -------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _walk(root: Path) -> Iterator[Path]:
    """Regular files under root in a stable order, skipping work-in-progress folders."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        for name in sorted(filenames):
            path = Path(dirpath, name)
            # Symlinks could point anywhere on the machine: never follow them into a backup.
            if path.is_file() and not path.is_symlink():
                yield path


def _live_parquet_paths() -> set[str]:
    """Parquet files the database says are live (those must be in the backup)."""
    if not apps.is_installed("vawg.imports"):
        return set()
    imported_file = apps.get_model("imports", "ImportedFile")
    paths = imported_file._base_manager.filter(active=True).values_list("parquet_path", flat=True)
    return {f"{PARQUET}/{p}" for p in paths}


class _FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder, but keeping microseconds: its default cuts times to milliseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _dumped_models() -> list[type[models.Model]]:
    """Models in the order ``dumpdata --natural-foreign`` would write them."""
    excluded = {m for m in apps.get_models() if m not in backed_up_models()}
    app_list = [(config, None) for config in apps.get_app_configs()]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)
    return [
        m
        for m in ordered
        if m not in excluded and not m._meta.proxy and router.allow_migrate_model("default", m)
    ]


def _dump_database(target: Path) -> tuple[dict[str, int], dict[str, list[str]], set[str]]:
    """Write the dump; return the row counts, migrations and live Parquet files it matches.

    What ``dumpdata --natural-foreign --format jsonl`` writes (many-to-many links inline,
    references to users, content types and permissions by natural key), done here only to
    pass an encoder that keeps microseconds. Base managers, so that no default manager that
    filters rows can leave them out.
    """
    _check_schema_current()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every read below; PostgreSQL's default sees each statement's.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        counts = row_counts()
        migrations = applied_migrations()
        live = _live_parquet_paths()
        with target.open("w", encoding="utf-8") as stream:
            for model in _dumped_models():
                serializers.serialize(
                    "jsonl",
                    model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000),
                    stream=stream,
                    use_natural_foreign_keys=True,
                    cls=_FullPrecisionEncoder,
                )
    return counts, migrations, live


def _check_schema_current() -> None:
    """Refuse to back up a database whose schema is behind the code: the dump would not load."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise BackupError(
            f"The database has {len(plan)} unapplied migration(s) (e.g. "
            f"{plan[0][0].app_label}.{plan[0][0].name}); run `vawg init`, then back up"
        )
    tables = set(connection.introspection.table_names())
    missing = sorted(m._meta.db_table for m in backed_up_models() if m._meta.db_table not in tables)
    if missing:
        raise BackupError(
            f"The database has no table {missing[0]}"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
            + "; run `vawg init`, then back up"
        )


class _HashingReader(io.RawIOBase):
    """Reads a file while hashing it, so tar's copy is checked against the manifest."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def _tarinfo(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(time.time())
    info.mode = 0o600
    # No user or group names of the machine that made it.
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def create_backup(
    destination: Path, *, overwrite: bool = False, progress: Progress = _quiet
) -> BackupSummary:
    """Write a backup of this installation to ``destination`` (a ``.tar.gz`` file).

    The file appears only when complete (written beside it, then renamed), readable by its
    owner only. The backup is recorded in the audit trail as an export.
    """
    started = time.perf_counter()
    destination = Path(destination).expanduser().resolve()
    if not destination.name.endswith((".tar.gz", ".tgz")):
        raise BackupError(f"{destination.name}: a backup file name ends in .tar.gz")
    if destination.exists() and not overwrite:
        raise BackupError(f"{destination} exists; choose another name or pass --overwrite")
    if not destination.parent.is_dir():
        raise BackupError(f"{destination.parent} is not a folder")

    partial = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.partial")
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(_tempdir(destination.parent)))
        stack.callback(partial.unlink, missing_ok=True)
        dump = work / DATABASE
        progress("Dumping the database")
        counts, migrations, live = _dump_database(dump)

        progress("Checking files")
        members: list[tuple[str, Path]] = [(DATABASE, dump)]
        for prefix, root in ((PARQUET, _parquet_dir()), (UPLOADS, _uploads_dir())):
            members += [(f"{prefix}/{p.relative_to(root).as_posix()}", p) for p in _walk(root)]
        missing = sorted(live - {name for name, _ in members})
        if missing:
            raise BackupError(
                f"{len(missing)} live Parquet file(s) are missing from the store, e.g. "
                f"{missing[0]}; if an import was running, run the backup again"
            )
        files = [
            {"path": name, "bytes": path.stat().st_size, "sha256": _sha256(path)}
            for name, path in members
        ]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "app_version": vawg.__version__,
            "django_version": django.get_version(),
            "database_engine": connection.vendor,
            "migrations": migrations,
            "row_counts": counts,
            "files": files,
        }

        progress(f"Writing {destination.name}")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            tar.addfile(_tarinfo(MANIFEST, len(body)), io.BytesIO(body))
            for entry, (name, path) in zip(files, members, strict=True):
                with path.open("rb") as stream:
                    reader = _HashingReader(stream)
                    tar.addfile(_tarinfo(name, entry["bytes"]), reader)
                if reader.digest.hexdigest() != entry["sha256"]:
                    raise BackupError(f"{name} changed while the backup was made; run it again")
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, destination)

    size = destination.stat().st_size
    rows = sum(counts.values())
    record_event(
        AuditAction.EXPORT,
        target="full backup",
        object_repr=f"full backup {destination.name}"[:200],
        changes={"rows": rows, "files": len(files) - 1, "bytes": size},
        purpose="backup",
    )
    summary = BackupSummary(destination, size, rows, len(files) - 1, time.perf_counter() - started)
    logger.info(
        "backup written: %d rows, %d files, %d bytes, %.1f s",
        summary.rows,
        summary.files,
        summary.bytes,
        summary.seconds,
    )
    return summary


@contextlib.contextmanager
def _tempdir(parent: Path) -> Iterator[Path]:
    """A private working folder beside ``parent``'s files (same file system: cheap moves)."""
    path = parent / f".vawg-work-{secrets.token_hex(6)}"
    path.mkdir(mode=0o700)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


# --- reading a backup ------------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in name
        and (name in (MANIFEST, DATABASE) or path.parts[0] in (PARQUET, UPLOADS))
        and len(path.parts) > (0 if name in (MANIFEST, DATABASE) else 1)
    )


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict[str, Any]:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise BackupError(f"{archive.name} is not a VAWG Tracker backup (no manifest first)")
    stream = tar.extractfile(first)
    assert stream is not None  # a regular file always has a stream
    try:
        manifest = json.loads(stream.read())
    except (ValueError, UnicodeDecodeError) as exc:
        raise ChecksumError(MANIFEST, f"not readable JSON ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive.name} is not a VAWG Tracker backup")
    if (
        not isinstance(manifest.get("format_version"), int)
        or manifest["format_version"] > FORMAT_VERSION
    ):
        raise BackupError(
            f"{archive.name} is backup format {manifest.get('format_version')}; this version "
            f"reads format {FORMAT_VERSION} or older. Restore with a newer VAWG Tracker."
        )
    return manifest


def extract_verified(archive: Path, target: Path) -> dict[str, Any]:
    """Extract the archive into ``target``, checking each file against the manifest.

    Returns the manifest. Raises :class:`ChecksumError` naming the first file that is damaged,
    missing or unexpected. Only regular files with expected names are written: an archive
    cannot put anything outside ``target``.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such backup file")
    current = MANIFEST
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            manifest = _read_manifest(tar, archive)
            expected = {f["path"]: f for f in manifest["files"]}
            seen: set[str] = set()
            # next(), not iteration: iterating a TarFile starts again from the manifest.
            while (member := tar.next()) is not None:
                current = member.name
                if member.name not in expected or member.name in seen:
                    raise ChecksumError(member.name, "not listed in the manifest")
                if not member.isfile() or not _safe_member_name(member.name):
                    raise ChecksumError(member.name, "not a plain file of a backup")
                seen.add(member.name)
                _extract_one(tar, member, target, expected[member.name])
            current = MANIFEST
            missing = sorted(set(expected) - seen)
            if missing:
                raise ChecksumError(missing[0], "listed in the manifest but not in the archive")
    except (tarfile.TarError, zlib.error, EOFError, OSError) as exc:
        if isinstance(exc, FileNotFoundError) and not archive.exists():
            raise BackupError(f"{archive}: no such backup file") from None
        raise ChecksumError(current, f"could not be read ({exc})") from None
    return manifest


def _extract_one(
    tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path, entry: dict[str, Any]
) -> None:
    destination = target.joinpath(*PurePosixPath(member.name).parts)
    destination.parent.mkdir(parents=True, exist_ok=True)
    source = tar.extractfile(member)
    assert source is not None  # regular file
    digest = hashlib.sha256()
    size = 0
    with destination.open("wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if size != entry["bytes"] or digest.hexdigest() != entry["sha256"]:
        raise ChecksumError(member.name, "checksum does not match the manifest")


# --- restoring -------------------------------------------------------------------------------


def _check_migrations(manifest: dict[str, Any]) -> None:
    """Refuse a backup made by a version with migrations this code does not have."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest.get("migrations", {}).items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            f"The backup was made by a newer version (app {manifest.get('app_version')}): "
            f"this installation does not know migration {unknown[0]}"
            + (f" and {len(unknown) - 1} more" if len(unknown) > 1 else "")
            + ". Upgrade VAWG Tracker, then restore."
        )


def _flush_database() -> None:
    """Empty every backed-up table (for a replacing restore), inside the caller's transaction."""
    # Sessions and admin log entries go too (they are not in a backup, and would otherwise
    # point at users that no longer exist); content types and permissions stay, as migrate
    # made them and the dump refers to them by natural key.
    keep = {apps.get_model(label)._meta.db_table for label in _REGENERATED}
    tables = connection.introspection.django_table_names(only_existing=True)
    sql = connection.ops.sql_flush(
        no_style(), [t for t in tables if t not in keep], reset_sequences=True
    )
    connection.ops.execute_sql_flush(sql)


def _swap_in(staged: Path, live: Path, moved: list[tuple[Path, Path | None]]) -> None:
    """Put a staged folder in place of the live one, keeping the old one aside."""
    aside: Path | None = None
    if live.exists():
        aside = live.with_name(f".{live.name}.replaced-{secrets.token_hex(4)}")
        os.replace(live, aside)
    live.parent.mkdir(parents=True, exist_ok=True)
    if staged.exists():
        os.replace(staged, live)
    else:
        live.mkdir()
    moved.append((live, aside))


def _swap_back(moved: list[tuple[Path, Path | None]]) -> None:
    for live, aside in reversed(moved):
        shutil.rmtree(live, ignore_errors=True)
        if aside is not None:
            os.replace(aside, live)


def restore_backup(
    archive: Path, *, replace: bool = False, progress: Progress = _quiet
) -> RestoreSummary:
    """Restore a backup into this installation, all or nothing.

    Refuses (:class:`RestoreRefusedError`) if the installation already holds data, unless
    ``replace``, which replaces everything: database rows (the audit trail included) and the
    Parquet and uploads folders.
    """
    started = time.perf_counter()
    archive = Path(archive).expanduser().resolve()
    parquet, uploads = _parquet_dir(), _uploads_dir()

    progress("Checking the target is empty")
    found = target_contents()
    if found and not replace:
        raise RestoreRefusedError(
            "The target installation already holds data ("
            + "; ".join(found[:3])
            + (f"; and {len(found) - 3} more" if len(found) > 3 else "")
            + "). Restore into an empty data directory and database, "
            "or pass --replace to replace everything in this one."
        )

    parquet.parent.mkdir(parents=True, exist_ok=True)
    with _tempdir(parquet.parent) as work:
        progress(f"Checking {archive.name}")
        manifest = extract_verified(archive, work)
        _check_migrations(manifest)

        progress("Migrating the database")
        call_command("migrate", interactive=False, verbosity=0, run_syncdb=True)

        progress("Loading the database")
        moved: list[tuple[Path, Path | None]] = []
        try:
            with transaction.atomic():
                if replace:
                    _flush_database()
                with recording_suspended():
                    call_command("loaddata", str(work / DATABASE), verbosity=0)
                _check_counts(manifest["row_counts"])
                progress("Moving files into place")
                _swap_in(work / PARQUET, parquet, moved)
                _swap_in(work / UPLOADS, uploads, moved)
                rows = sum(manifest["row_counts"].values())
                record_event(
                    AuditAction.CREATE,
                    target="restore",
                    object_repr=f"restore of {archive.name}"[:200],
                    changes={
                        "rows": rows,
                        "backup_created_at": manifest["created_at"],
                        "backup_engine": manifest["database_engine"],
                        "replaced": replace,
                    },
                )
        except BaseException:
            _swap_back(moved)
            raise
        for _, aside in moved:
            if aside is not None:
                shutil.rmtree(aside, ignore_errors=True)

    files = len(manifest["files"]) - 1
    summary = RestoreSummary(rows, files, time.perf_counter() - started)
    logger.info("restore done: %d rows, %d files, %.1f s", rows, files, summary.seconds)
    return summary


def _check_counts(expected: dict[str, int]) -> None:
    """Every table holds the number of rows the backup recorded, or nothing is kept."""
    actual = row_counts()
    for label, count in sorted(expected.items()):
        if label not in actual:
            raise BackupError(f"The backup holds table {label}, which this version does not have")
        if actual[label] != count:
            raise BackupError(
                f"Table {label}: the backup recorded {count} rows but {actual[label]} were "
                "loaded; nothing was restored"
            )
