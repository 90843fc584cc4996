"""Importing data.police.uk files: validate all, stage, publish, then commit in one go.

A run goes through these steps, holding a lock file in the Parquet directory throughout so
that two imports never interleave:

1. Remove orphans: Parquet files under the dataset folders that no active ``ImportedFile``
   names, and the staging folder of any earlier run.
2. Find the files (folders are searched recursively) and identify each by its name.
3. For each file: hash it; if the same content is already live for its dataset, force and
   month it is "unchanged" and skipped; otherwise validate it completely and write its
   Parquet file into a staging folder. After the first invalid file the remaining files are
   still validated (so the operator sees every problem at once) but no longer written.
4. If any file failed: delete the staging folder, record a failed run, raise
   :class:`ImportFailedError`. Nothing else was touched.
5. Move the staged files into place (atomic renames), then in ONE database transaction
   record the run and its files, superseding any older file of the same month.

Why a killed import is safe: the database, not the folder, says which Parquet files are live.
If the process dies before step 5's transaction commits, the files it moved into place are
named by nobody; no reader (which only opens files named by active rows) sees them, and the
next run deletes them in step 1. If it dies after the commit, the import is complete.
Superseded files become orphans in the same way and are deleted by the next run.

The metrics are recomputed after the commit, by the caller (``vawg import``, the import
page's job, ``vawg init``). A run is recorded with ``metrics_recomputed_at`` empty and the
recompute sets it in the transaction that writes the observations; so if the process dies in
between, the next import or ``vawg init`` finds the run outstanding and recomputes it, even
when its own files are all unchanged (see ``vawg.metrics.services.recompute_outstanding``).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO

import duckdb
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vawg.analytics.police_uk import SourceFile, UnrecognisedFileNameError, detect, is_csv_name
from vawg.analytics.store import STAGING_DIR, parquet_relpath, remove_orphans, write_parquet
from vawg.analytics.validate import (
    InvalidFileError,
    explain_unreadable,
    file_digest,
    load_csv,
    loading_connection,
)
from vawg.errors import InputFileError, VawgError
from vawg.imports.models import ImportedFile, ImportRun, ImportSource, RunStatus

__all__ = ["ImportFailedError", "counted", "discover_police_uk_files", "import_police_uk"]

logger = logging.getLogger(__name__)

# A run with thousands of bad files would otherwise produce an unreadable message.
_MAX_ERRORS_IN_MESSAGE = 20
_LOCK_NAME = ".import.lock"
_TABLE = "source_rows"
# One single-threaded DuckDB connection per worker; more workers than cores only contend.
_WORKERS = max(1, min(4, os.cpu_count() or 1))


def counted(number: int, noun: str) -> str:
    """``number`` and ``noun``, plural unless it is one: operators read "1 row rejected".

    >>> counted(1, "row"), counted(0, "row"), counted(6043, "row")
    ('1 row', '0 rows', '6043 rows')
    """
    return f"{number} {noun}{'' if number == 1 else 's'}"


class ImportFailedError(VawgError):
    """An import run refused its files; nothing was imported.

    ``errors`` lists every problem found (one per bad file at most); ``run`` is the failed
    :class:`ImportRun` recorded for the operator (None if even that could not be saved).
    """

    def __init__(
        self, errors: Sequence[VawgError], *, run: ImportRun | None = None, rows_rejected: int = 0
    ) -> None:
        self.errors = list(errors)
        self.run = run
        self.rows_rejected = rows_rejected
        lines = [str(e) for e in self.errors[:_MAX_ERRORS_IN_MESSAGE]]
        if len(self.errors) > _MAX_ERRORS_IN_MESSAGE:
            lines.append(f"… and {len(self.errors) - _MAX_ERRORS_IN_MESSAGE} more files refused")
        super().__init__("\n".join(lines))


@dataclass
class StagedPartition:
    """One Parquet partition written to staging, waiting for the run's commit."""

    dataset: str
    force: str
    month: str
    file_name: str
    sha256: str
    rows: int
    relpath: PurePosixPath
    generated_rows: int = 0


@dataclass
class StagePlan:
    staged: list[StagedPartition] = field(default_factory=list)
    unchanged: int = 0
    rows_rejected: int = 0
    errors: list[VawgError] = field(default_factory=list)


def discover_police_uk_files(paths: Sequence[Path]) -> list[SourceFile]:
    """The data.police.uk files named by ``paths`` (files, or folders searched recursively).

    In folders, files ending ``.csv`` or ``.csv.gz`` must have data.police.uk names (a
    misnamed CSV is refused rather than silently skipped); other files and hidden files are
    ignored. Raises :class:`ImportFailedError` listing every unusable path.
    """
    found: dict[Path, SourceFile] = {}
    errors: list[VawgError] = []

    def add(path: Path) -> None:
        try:
            source = detect(path)
        except UnrecognisedFileNameError as exc:
            errors.append(InputFileError(exc.path, None, exc.problem))
            return
        found.setdefault(path.resolve(), source)

    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and is_csv_name(child.name):
                    add(child)
        elif path.is_file():
            add(path)
        else:
            errors.append(VawgError(f"{path}: no such file or folder"))
    if errors:
        raise ImportFailedError(errors)
    if not found:
        shown = ", ".join(str(p) for p in paths) or "(no paths given)"
        raise ImportFailedError([VawgError(f"no data.police.uk CSV files found in {shown}")])
    return sorted(found.values(), key=lambda s: (s.dataset.name, s.force, s.month, s.path.name))


def import_police_uk(
    paths: Sequence[Path], *, progress: Callable[[Path], None] | None = None
) -> ImportRun:
    """Import data.police.uk street, outcomes and stop-and-search files, all or nothing.

    ``paths`` are files or folders (searched recursively) of ``.csv`` / ``.csv.gz`` files
    named ``YYYY-MM-<force>-<dataset>.csv``. ``progress`` is called with each file's path
    once it has been dealt with, always in the calling thread. Returns the recorded
    :class:`ImportRun` (status succeeded, or unchanged when every file was already live).
    Raises :class:`ImportFailedError` (with the failed run recorded) if any file is refused;
    then nothing is imported.
    """

    def stage(staging: Path) -> StagePlan:
        sources = discover_police_uk_files(paths)
        logger.info("import of %d data.police.uk files started", len(sources))
        return _validate_and_stage(sources, staging, progress)

    return run_import(ImportSource.POLICE_UK, stage)


@dataclass(frozen=True)
class _Clock:
    started_at: datetime
    perf: float


def run_import(source_kind: ImportSource, stage: Callable[[Path], StagePlan]) -> ImportRun:
    """The frame every import runs in, whatever its files: all or nothing, recorded.

    Under the import lock: remove orphans of killed runs, let ``stage`` validate every file
    and write its Parquet partitions into a staging folder, then (only if no file was
    refused) move them into place and record the run and its files in one transaction. A
    refused or failed run is recorded too, in its own transaction, with nothing imported.
    """
    clock = _Clock(timezone.now(), time.perf_counter())
    parquet_dir = Path(settings.VAWG_PARQUET_DIR)
    try:
        parquet_dir.mkdir(parents=True, exist_ok=True)
        with _import_lock(parquet_dir):
            return _locked_run(source_kind, stage, parquet_dir, clock)
    except ImportFailedError as exc:
        exc.run = _record_failure(clock.started_at, exc, clock.perf, source_kind)
        raise
    except (VawgError, OSError) as exc:
        # OSError: disk full, permissions, a folder vanished mid-run. All are operator
        # problems with a message, not bugs.
        error = exc if isinstance(exc, VawgError) else VawgError(_describe_os_error(exc))
        failure = ImportFailedError([error])
        failure.run = _record_failure(clock.started_at, failure, clock.perf, source_kind)
        raise failure from exc
    except Exception as exc:
        # A bug or a database failure: still leave a trace for the operator, then let the
        # original error (and its traceback) through.
        internal = ImportFailedError([VawgError(f"internal error: {exc!r}")])
        _record_failure(clock.started_at, internal, clock.perf, source_kind)
        raise


def _locked_run(
    source_kind: ImportSource,
    stage: Callable[[Path], StagePlan],
    parquet_dir: Path,
    clock: _Clock,
) -> ImportRun:
    removed = remove_orphans(parquet_dir, _live_relpaths())
    if removed:
        logger.info("removed %d orphan Parquet files left by earlier runs", len(removed))
    staging = parquet_dir / STAGING_DIR / uuid.uuid4().hex
    staging.mkdir(parents=True)
    published: list[Path] = []
    try:
        plan = stage(staging)
        if plan.errors:
            raise ImportFailedError(plan.errors, rows_rejected=plan.rows_rejected)
        for item in plan.staged:
            final = parquet_dir / item.relpath
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / item.relpath, final)
            published.append(final)
        run = _commit(plan, clock.started_at, clock.perf, source_kind)
    except BaseException:
        _discard_uncommitted(published, parquet_dir)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    logger.info(
        "import finished: %s; %s imported, %d unchanged, %s accepted, %s rejected, %.2f s",
        run.status,
        counted(run.files_imported, "file"),
        run.files_unchanged,
        counted(run.rows_accepted, "row"),
        counted(run.rows_rejected, "row"),
        time.perf_counter() - clock.perf,
    )
    return run


def _discard_uncommitted(published: list[Path], parquet_dir: Path) -> None:
    """Remove files moved into place whose run never committed, now rather than next run."""
    if not published:
        return
    try:
        live = _live_relpaths()
    except Exception:
        # The database is unreachable: leave the files as orphans for the next run.
        logger.warning("could not check %d uncommitted Parquet files", len(published))
        return
    for path in published:
        if PurePosixPath(path.relative_to(parquet_dir).as_posix()) not in live:
            path.unlink(missing_ok=True)


def _validate_and_stage(
    sources: list[SourceFile], staging: Path, progress: Callable[[Path], None] | None
) -> StagePlan:
    """Validate and stage every file, one worker per core.

    Each monthly file is parsed by one single-threaded DuckDB connection (fastest for small
    files), so files are spread over a thread pool instead; DuckDB and hashlib release the
    GIL while they work.
    """
    plan = StagePlan()
    live = {
        (f.dataset, f.force, f.month): f.sha256
        for f in ImportedFile.objects.filter(active=True).only(
            "dataset", "force", "month", "sha256"
        )
    }
    in_run: dict[tuple[str, str, str], tuple[str, Path]] = {}
    lock = threading.Lock()
    local = threading.local()
    connections: list[duckdb.DuckDBPyConnection] = []

    def connection() -> duckdb.DuckDBPyConnection:
        if not hasattr(local, "con"):
            local.con = loading_connection()
            with lock:
                connections.append(local.con)
        return local.con

    def work(source: SourceFile) -> None:
        _stage_one(connection(), source, staging, plan, live, in_run, lock)

    try:
        with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            futures = {pool.submit(work, source): source for source in sources}
            # Progress is reported from the caller's thread (a callback may use the database
            # connection of that thread), as each file is done, in whatever order.
            for future in as_completed(futures):
                future.result()
                if progress is not None:
                    progress(futures[future].path)
    finally:
        for con in connections:
            con.close()
    plan.staged.sort(key=lambda item: (item.dataset, item.force, item.month))
    return plan


def _stage_one(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    staging: Path,
    plan: StagePlan,
    live: dict[tuple[str, str, str], str],
    in_run: dict[tuple[str, str, str], tuple[str, Path]],
    lock: threading.Lock,
) -> None:
    started = time.perf_counter()
    try:
        rows = _one_file(con, source, staging, plan, live, in_run, lock)
    except InvalidFileError as exc:
        with lock:
            plan.errors.append(exc)
            plan.rows_rejected += exc.rows_rejected
        logger.warning(
            "%s refused at row %s, column %s; %s rejected, %.2f s",
            source.path.name,
            exc.row if exc.row is not None else "-",
            exc.column or "-",
            counted(exc.rows_rejected, "row"),
            time.perf_counter() - started,
        )
    except VawgError as exc:
        with lock:
            plan.errors.append(exc)
        logger.warning("%s refused: %s", source.path.name, exc)
    except OSError as exc:
        with lock:
            plan.errors.append(InputFileError(source.path, None, _describe_os_error(exc)))
        logger.warning("%s could not be read", source.path.name)
    else:
        if rows is None:
            logger.debug("%s: unchanged (already imported)", source.path.name)
        else:
            logger.info(
                "%s: %s accepted, 0 rows rejected, %.2f s",
                source.path.name,
                counted(rows, "row"),
                time.perf_counter() - started,
            )


def _one_file(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    staging: Path,
    plan: StagePlan,
    live: dict[tuple[str, str, str], str],
    in_run: dict[tuple[str, str, str], tuple[str, Path]],
    lock: threading.Lock,
) -> int | None:
    """Validate and stage one file: its row count, or None if it is unchanged."""
    key = (source.dataset.name, source.force, source.month)
    try:
        digest = file_digest(source.path)
    except (OSError, EOFError, zlib.error) as exc:
        if source.compressed:
            # A damaged .gz: the validator names the row (and column) where reading stops.
            raise explain_unreadable(source) from exc
        raise
    sha256 = digest.sha256
    with lock:
        if key in in_run:
            other_sha, other_path = in_run[key]
            if other_sha == sha256:
                plan.unchanged += 1  # the same file given twice (e.g. two copies of a folder)
                return None
            raise InvalidFileError(
                source.path,
                None,
                f"{other_path.name} in the same import is also {key[0]} data for {key[1]} "
                f"{key[2]} but differs; import only one of them",
            )
        in_run[key] = (sha256, source.path)
        if live.get(key) == sha256:
            plan.unchanged += 1
            return None
    loaded = load_csv(con, source, _TABLE, ends_with_line_break=digest.ends_with_line_break)
    relpath = parquet_relpath(source.dataset.name, source.force, source.month, sha256)
    if not plan.errors:
        # Once the run is doomed there is no point writing: validate only.
        write_parquet(con, _TABLE, source, staging / relpath)
    con.execute(f"DROP TABLE IF EXISTS {_TABLE}")
    with lock:
        plan.staged.append(
            StagedPartition(
                source.dataset.name,
                source.force,
                source.month,
                source.path.name,
                sha256,
                loaded.rows,
                relpath,
            )
        )
    return loaded.rows


def _commit(
    plan: StagePlan,
    started_at: datetime,
    clock: float,
    source_kind: ImportSource = ImportSource.POLICE_UK,
) -> ImportRun:
    """Record the run and its files in one transaction, superseding restated months."""
    rows = sum(item.rows for item in plan.staged)
    with transaction.atomic():
        run = ImportRun.objects.create(
            source=source_kind,
            started_at=started_at,
            finished_at=timezone.now(),
            status=RunStatus.SUCCEEDED if plan.staged else RunStatus.UNCHANGED,
            files_imported=len(plan.staged),
            files_unchanged=plan.unchanged,
            rows_accepted=rows,
            rows_rejected=0,
            message=_summary(len(plan.staged), plan.unchanged, rows, clock),
        )
        for item in plan.staged:
            old = (
                ImportedFile.objects.select_for_update()
                .filter(dataset=item.dataset, force=item.force, month=item.month, active=True)
                .first()
            )
            if old is not None:
                # Deactivate first: the one-active-file constraint is checked per statement.
                old.active = False
                old.save(update_fields=["active"])
            new = ImportedFile.objects.create(
                run=run,
                dataset=item.dataset,
                force=item.force,
                month=item.month,
                file_name=item.file_name,
                sha256=item.sha256,
                rows=item.rows,
                parquet_path=item.relpath.as_posix(),
                active=True,
                generated_rows=item.generated_rows,
            )
            if old is not None:
                old.superseded_by = new
                old.save(update_fields=["superseded_by"])
                logger.info(
                    "restatement: %s %s %s: %s (%d rows) supersedes %s (%d rows)",
                    item.dataset,
                    item.force,
                    item.month,
                    new.file_name,
                    new.rows,
                    old.file_name,
                    old.rows,
                )
    return run


def _summary(imported: int, unchanged: int, rows: int, clock: float) -> str:
    return (
        f"{counted(imported, 'file')} imported, {unchanged} unchanged, "
        f"{counted(rows, 'row')} accepted, "
        f"{time.perf_counter() - clock:.1f} s"
    )


def _record_failure(
    started_at: datetime,
    failure: ImportFailedError,
    clock: float,
    source_kind: ImportSource = ImportSource.POLICE_UK,
) -> ImportRun | None:
    """Save a failed run in its own transaction, so it survives the rollback of the import."""
    rows_rejected = failure.rows_rejected
    message = f"{failure}\nNothing was imported."
    logger.error(
        "import failed: %s refused, %s rejected, %.2f s; nothing was imported",
        counted(len(failure.errors), "file"),
        counted(rows_rejected, "row"),
        time.perf_counter() - clock,
    )
    try:
        with transaction.atomic():
            return ImportRun.objects.create(
                source=source_kind,
                started_at=started_at,
                finished_at=timezone.now(),
                status=RunStatus.FAILED,
                rows_rejected=rows_rejected,
                message=message,
            )
    except Exception:
        # The import error matters more than failing to record it; keep that one.
        logger.exception("could not record the failed import run")
        return None


def _live_relpaths() -> set[PurePosixPath]:
    return {
        PurePosixPath(p)
        for p in ImportedFile.objects.filter(active=True).values_list("parquet_path", flat=True)
    }


def _describe_os_error(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}"


@contextmanager
def _import_lock(parquet_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the Parquet directory, or refuse if an import is running.

    The orphan clean-up deletes files no active row names; a second import running at the
    same time would take the first one's uncommitted files for orphans. The operating system
    releases the lock if the process dies, so a killed import never blocks the next.
    """
    with (parquet_dir / _LOCK_NAME).open("a+b") as handle:
        try:
            _lock(handle)
        except OSError as exc:
            raise VawgError(
                f"another import is running (lock held on {parquet_dir / _LOCK_NAME}); "
                "try again when it has finished"
            ) from exc
        try:
            yield
        finally:
            _unlock(handle)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows installs only
    import msvcrt

    def _lock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
