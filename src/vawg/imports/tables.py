"""Importing table files that span many months or forces: force extracts and national tables.

A force extract (say two years of domestic abuse incidents) or the Home Office recorded-crime
table is validated whole, then split into one Parquet partition per force and month, exactly
like the data.police.uk monthly files. The same guarantees hold: every file in a run is
validated before anything is written, partitions are staged and recorded in one transaction,
importing the same file again changes nothing, and a later file supersedes the months it
covers (a restatement) while leaving older months as they were.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
from django.conf import settings
from django.utils import timezone

from vawg.analytics.datasets import POPULATION_MONTH, SCHEMAS, extract_dataset
from vawg.analytics.store import STAGING_DIR, parquet_relpath, remove_orphans
from vawg.analytics.validate import file_sha256
from vawg.errors import InputFileError, VawgError
from vawg.imports.models import ImportedFile, ImportRun, ImportSource
from vawg.imports.services import (
    ImportFailedError,
    _commit,
    _discard_uncommitted,
    _import_lock,
    _live_relpaths,
    _Plan,
    _record_failure,
    _Staged,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TableFile:
    """A source file and how to turn it into one validated Parquet file.

    ``write(dest)`` validates the source (raising :class:`InputFileError` naming file, row and
    column) and writes every row to ``dest`` with ``force`` and, unless ``default_month`` is
    given, ``month`` columns; it returns the number of rows. ``fingerprint`` identifies the
    content: the same fingerprint as a live partition means "already imported".
    """

    path: Path
    dataset: str
    write: Callable[[Path], int]
    fingerprint: Callable[[], str]
    default_month: str | None = None


def extract_file(path: Path, *, force: str, template: str | None = None) -> TableFile:
    """A force system extract (CSV or XLSX) of one of the documented templates."""
    from vawg.extracts.validate import detect_template, to_parquet, validate_file

    chosen = detect_template(path) if template is None else None
    slug = template or chosen.slug

    def write(dest: Path) -> int:
        rows = validate_file(path, slug)
        to_parquet(rows, slug, dest, force=force)
        return len(rows)

    return TableFile(path, extract_dataset(slug), write, lambda: file_sha256(path))


def prc_file(path: Path) -> TableFile:
    """The Home Office police recorded crime table by force area and offence code."""
    from vawg.analytics.home_office import prc_to_parquet

    return TableFile(
        path, "prc", lambda dest: prc_to_parquet(path, dest), lambda: file_sha256(path)
    )


def population_files(census: Path, lookup: Path) -> TableFile:
    """Census 2011 residents by LSOA with the LSOA-to-force lookup: population per force."""
    from vawg.analytics.home_office import population_to_parquet

    def fingerprint() -> str:
        # Either file changing changes the result, so both make the fingerprint.
        return hashlib.sha256((file_sha256(census) + file_sha256(lookup)).encode()).hexdigest()

    return TableFile(
        census,
        "force_population",
        lambda dest: population_to_parquet(census, lookup, dest),
        fingerprint,
        default_month=POPULATION_MONTH,
    )


def import_tables(
    files: Sequence[TableFile],
    *,
    source_kind: ImportSource,
    progress: Callable[[Path], None] | None = None,
) -> ImportRun:
    """Import table files all or nothing; see the module docstring for the guarantees."""
    started_at = timezone.now()
    clock = time.perf_counter()
    parquet_dir = Path(settings.VAWG_PARQUET_DIR)
    try:
        parquet_dir.mkdir(parents=True, exist_ok=True)
        with _import_lock(parquet_dir):
            return _run(files, parquet_dir, started_at, clock, source_kind, progress)
    except ImportFailedError as exc:
        exc.run = _record_failure(started_at, exc, clock, source_kind)
        raise
    except (VawgError, OSError) as exc:
        error = exc if isinstance(exc, VawgError) else VawgError(str(exc))
        failure = ImportFailedError([error])
        failure.run = _record_failure(started_at, failure, clock, source_kind)
        raise failure from exc


def _run(
    files: Sequence[TableFile],
    parquet_dir: Path,
    started_at,
    clock: float,
    source_kind: ImportSource,
    progress: Callable[[Path], None] | None,
) -> ImportRun:
    removed = remove_orphans(parquet_dir, _live_relpaths())
    if removed:
        logger.info("removed %d orphan Parquet files left by earlier runs", len(removed))
    staging = parquet_dir / STAGING_DIR / uuid.uuid4().hex
    staging.mkdir(parents=True)
    plan = _Plan()
    live = {
        (f.dataset, f.force, f.month): f.sha256
        for f in ImportedFile.objects.filter(active=True).only(
            "dataset", "force", "month", "sha256"
        )
    }
    published: list[Path] = []
    con = duckdb.connect(":memory:")
    try:
        for table in files:
            _stage_file(con, table, staging, plan, live)
            if progress is not None:
                progress(table.path)
        if plan.errors:
            raise ImportFailedError(plan.errors, rows_rejected=plan.rows_rejected)
        for item in plan.staged:
            final = parquet_dir / item.relpath
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / item.relpath, final)
            published.append(final)
        run = _commit(plan, started_at, clock, source_kind)
    except BaseException:
        _discard_uncommitted(published, parquet_dir)
        raise
    finally:
        con.close()
        shutil.rmtree(staging, ignore_errors=True)
    logger.info(
        "table import finished: %s; %d partitions imported, %d unchanged, %d rows, %.2f s",
        run.status,
        run.files_imported,
        run.files_unchanged,
        run.rows_accepted,
        time.perf_counter() - clock,
    )
    return run


def _stage_file(
    con: duckdb.DuckDBPyConnection,
    table: TableFile,
    staging: Path,
    plan: _Plan,
    live: dict[tuple[str, str, str], str],
) -> None:
    started = time.perf_counter()
    whole = staging / f"{uuid.uuid4().hex}.parquet"
    try:
        sha256 = table.fingerprint()
        rows = table.write(whole)
    except InputFileError as exc:
        plan.errors.append(exc)
        logger.warning("%s refused at row %s, column %s", table.path.name, exc.row, exc.column)
        return
    except (VawgError, OSError, ValueError) as exc:
        plan.errors.append(InputFileError(table.path, None, str(exc)))
        logger.warning("%s refused", table.path.name)
        return

    columns = [name for name, _ in SCHEMAS[table.dataset] if name != "month"]
    month = "month" if table.default_month is None else _sql_text(table.default_month)
    source = f"read_parquet({_sql_text(str(whole))})"
    partitions = con.sql(
        f"SELECT force, {month} AS month, count(*) FROM {source} GROUP BY ALL ORDER BY ALL"  # noqa: S608 - fixed names
    ).fetchall()
    staged = unchanged = 0
    for force, period, count in partitions:
        if live.get((table.dataset, force, period)) == sha256:
            unchanged += 1
            continue
        relpath = parquet_relpath(table.dataset, force, period, sha256)
        dest = staging / relpath
        dest.parent.mkdir(parents=True, exist_ok=True)
        selected = ", ".join([*columns, f"{month} AS month"])
        # NOTE: DuckDB takes no parameters in COPY; values are quoted by _sql_text.
        query = (
            f"SELECT {selected} FROM {source} "  # noqa: S608 - fixed names, quoted values
            f"WHERE force = {_sql_text(force)} AND {month} = {_sql_text(period)}"
        )
        con.execute(f"COPY ({query}) TO {_sql_text(str(dest))} (FORMAT parquet, COMPRESSION zstd)")
        plan.staged.append(
            _Staged(table.dataset, force, period, table.path.name, sha256, count, relpath)
        )
        staged += 1
    plan.unchanged += unchanged
    whole.unlink(missing_ok=True)
    logger.info(
        "%s: %d rows accepted, 0 rows rejected; %d partitions new, %d unchanged, %.2f s",
        table.path.name,
        rows,
        staged,
        unchanged,
        time.perf_counter() - started,
    )


def _sql_text(value: str) -> str:
    """A SQL string literal.

    >>> _sql_text("O'Brien")
    "'O''Brien'"
    """
    return "'" + value.replace("'", "''") + "'"
