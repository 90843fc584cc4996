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
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from vawg.analytics.datasets import POPULATION_MONTH, SCHEMAS, extract_dataset
from vawg.analytics.store import parquet_relpath
from vawg.analytics.validate import file_sha256
from vawg.errors import InputFileError, VawgError
from vawg.imports.models import ImportedFile, ImportRun, ImportSource
from vawg.imports.services import StagedPartition, StagePlan, counted, run_import

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
    reference_columns: tuple[str, ...] = ()


def extract_file(path: Path, *, force: str, template: str | None = None) -> TableFile:
    """A force system extract (CSV or XLSX) of one of the documented templates."""
    from vawg.extracts.templates import get_template
    from vawg.extracts.validate import (
        NO_ROWS,
        ExtractFileError,
        detect_template,
        to_parquet,
        validate_file,
    )

    check_force(force)
    try:
        found = get_template(template) if template else detect_template(path)
    except KeyError as exc:
        raise VawgError(str(exc.args[0])) from None
    slug = found.slug

    def write(dest: Path) -> int:
        rows = validate_file(path, slug)
        if not rows:
            # An empty template is a valid file, but importing it changes nothing while the
            # run would say "unchanged (every file already imported)": refuse it plainly.
            raise ExtractFileError(path, None, NO_ROWS)
        to_parquet(rows, slug, dest, force=force)
        return len(rows)

    return TableFile(
        path,
        extract_dataset(slug),
        write,
        lambda: file_sha256(path),
        reference_columns=found.reference_columns,
    )


def check_force(slug: str) -> None:
    """Refuse a force that is neither loaded nor one of the 43 territorial forces.

    A typo would otherwise file a force's records under a new, empty force while the import
    reports success.
    """
    from vawg.analytics.home_office import FORCE_SLUGS
    from vawg.strategy.models import Force

    if slug in FORCE_SLUGS or Force.objects.filter(slug=slug).exists():
        return
    loaded = ", ".join(Force.objects.order_by("slug").values_list("slug", flat=True))
    raise VawgError(
        f"no force {slug!r}: use a loaded force ({loaded or 'none yet'}) or one of the 43 "
        "territorial forces' data.police.uk names, e.g. cambridgeshire"
    )


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

    def stage(staging: Path) -> StagePlan:
        plan = StagePlan()
        live = {
            (f.dataset, f.force, f.month): f.sha256
            for f in ImportedFile.objects.filter(active=True).only(
                "dataset", "force", "month", "sha256"
            )
        }
        con = duckdb.connect(":memory:")
        try:
            for table in files:
                _stage_file(con, table, staging, plan, live)
                if progress is not None:
                    progress(table.path)
        finally:
            con.close()
        return plan

    return run_import(source_kind, stage)


def _stage_file(
    con: duckdb.DuckDBPyConnection,
    table: TableFile,
    staging: Path,
    plan: StagePlan,
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
    generated = _generated_rows_sql(table.reference_columns)
    partitions = con.sql(
        f"SELECT force, {month} AS month, count(*), {generated} FROM {source} "  # noqa: S608 - fixed names
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    staged = unchanged = 0
    # TODO: "unchanged" compares whole-file checksums, so a new file that changes one month
    # restages every month it covers and the summary counts them all as imported; a
    # per-partition content hash would report only the months that really changed (the
    # figures themselves are right either way: an identical month recomputes identically).
    for force, period, count, generated_rows in partitions:
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
            StagedPartition(
                table.dataset,
                force,
                period,
                table.path.name,
                sha256,
                count,
                relpath,
                generated_rows=generated_rows,
            )
        )
        staged += 1
    plan.unchanged += unchanged
    whole.unlink(missing_ok=True)
    logger.info(
        "%s: %s accepted, 0 rows rejected; %s new, %d unchanged, %.2f s",
        table.path.name,
        counted(rows, "row"),
        counted(staged, "partition"),
        unchanged,
        time.perf_counter() - started,
    )


def _generated_rows_sql(columns: Sequence[str]) -> str:
    """SQL counting a partition's generated records: any reference starting ``GEN-``.

    Recorded per partition at import, so whether a figure rests on invented records follows
    from what was imported, not from a setting that could be left on (or off) by mistake.
    """
    from vawg.extracts.templates.model import GENERATED_PREFIX

    if not columns:
        return "0"
    prefix = _sql_text(GENERATED_PREFIX)
    test = " OR ".join(f"starts_with({name}, {prefix})" for name in columns)
    return f"count(*) FILTER (WHERE {test})"


def _sql_text(value: str) -> str:
    """A SQL string literal.

    >>> _sql_text("O'Brien")
    "'O''Brien'"
    """
    return "'" + value.replace("'", "''") + "'"
