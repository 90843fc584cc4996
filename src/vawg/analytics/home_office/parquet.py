"""Parquet output for the analytics store, and the DuckDB views over it."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb

from vawg.analytics.home_office.forces import FORCE_SLUGS
from vawg.analytics.home_office.population import force_populations
from vawg.analytics.home_office.prc import _check_offence_codes, read_prc
from vawg.errors import InputFileError

__all__ = [
    "POPULATION_PARQUET_COLUMNS",
    "PRC_PARQUET_COLUMNS",
    "create_views",
    "population_to_parquet",
    "prc_to_parquet",
]


# Column order and types of the `prc` dataset (and DuckDB view of the same name).
PRC_PARQUET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("force", "VARCHAR"),
    ("financial_year", "VARCHAR"),
    ("quarter", "INTEGER"),
    ("month", "VARCHAR"),
    ("offence_code", "VARCHAR"),
    ("offence_description", "VARCHAR"),
    ("offence_group", "VARCHAR"),
    ("offence_subgroup", "VARCHAR"),
    ("offences", "INTEGER"),
)
POPULATION_PARQUET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("force", "VARCHAR"),
    ("population", "BIGINT"),
)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _write_parquet(
    rows: Sequence[Sequence[object]], columns: Sequence[tuple[str, str]], out: Path
) -> None:
    """Write rows to ``out`` as zstd Parquet, atomically (a temporary name, then a rename).

    The rows go through a temporary CSV that DuckDB reads with an explicit schema: the
    project ships no Arrow or pandas, and this is much faster than row-by-row inserts.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".prc-") as staging:
        staged = Path(staging) / "rows.csv"
        with staged.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([name for name, _ in columns])
            writer.writerows(rows)
        schema = ", ".join(f"{_literal(name)}: {_literal(sql)}" for name, sql in columns)
        names = ", ".join(name for name, _ in columns)
        # SQL assembled from fixed column definitions and escaped paths: DuckDB takes no
        # parameters in COPY targets.
        source = (
            f"read_csv({_literal(str(staged))}, header = true, columns = {{{schema}}}, "
            "quote = '\"', escape = '\"', strict_mode = true)"
        )
        query = f"SELECT {names} FROM {source}"  # noqa: S608 - see comment above
        con = duckdb.connect(":memory:")
        try:
            con.execute(
                f"COPY ({query}) TO {_literal(str(tmp))} (FORMAT parquet, COMPRESSION zstd)"
            )
        finally:
            con.close()
    os.replace(tmp, out)


def prc_to_parquet(prc_csv: Path, out: Path) -> int:
    """Validate a Home Office PRC force-area table and write it to ``out`` as tidy Parquet.

    Columns: ``force`` (slug; BTP and the fraud bodies included under their own slugs),
    ``financial_year`` ("2017/18"), ``quarter`` (1-4), ``month`` (the quarter's last month,
    "YYYY-MM"), ``offence_code``, ``offence_description``, ``offence_group``,
    ``offence_subgroup``, ``offences`` (int; can be negative). One row per input row: the
    table has four rows per force and quarter under the merged homicide code
    ``1/4.1/4.10/4.2``, so sum, never assume one row per code. Nothing is written if any
    row is refused (:func:`read_prc` lists the checks). Returns the number of rows written.
    """
    prc_csv = Path(prc_csv)
    rows = read_prc(prc_csv)
    _check_offence_codes(prc_csv, rows)
    # Sorted so the same input always gives the same file.
    rows.sort(key=lambda r: (r.force, r.month, r.offence_code, r.line))
    _write_parquet(
        [
            (
                r.force,
                r.financial_year,
                r.quarter,
                r.month,
                r.offence_code,
                r.offence_description,
                r.offence_group,
                r.offence_subgroup,
                r.offences,
            )
            for r in rows
        ],
        PRC_PARQUET_COLUMNS,
        out,
    )
    return len(rows)


def population_to_parquet(census_csv: Path, lookup_csv: Path, out: Path) -> int:
    """Write the 43 forces' Census 2011 usual residents to ``out`` (columns force, population).

    Refuses (nothing written) when any LSOA could not be given a force, since its residents
    would silently be missing from a force's denominator. Returns the number of rows (43).
    """
    result = force_populations(census_csv, lookup_csv)
    if result.unassigned:
        shown = ", ".join(result.unassigned[:5])
        raise InputFileError(
            Path(census_csv),
            "LSOA Code",
            f"{len(result.unassigned)} LSOAs have no police force (first: {shown})",
        )
    _write_parquet(
        [(force, result.population[force]) for force in FORCE_SLUGS],
        POPULATION_PARQUET_COLUMNS,
        out,
    )
    return len(FORCE_SLUGS)


def create_views(
    con: duckdb.DuckDBPyConnection,
    prc_files: Sequence[Path] = (),
    population_files: Sequence[Path] = (),
) -> None:
    """Create the views ``prc`` and ``force_population`` on ``con`` over the given Parquet files.

    With no files a view is still created, empty but with the same columns, so the
    ``national`` metric queries run (and return no rows) before anything has been imported.
    """
    for name, files, columns in (
        ("prc", prc_files, PRC_PARQUET_COLUMNS),
        ("force_population", population_files, POPULATION_PARQUET_COLUMNS),
    ):
        names = ", ".join(column for column, _ in columns)
        if files:
            listed = ", ".join(_literal(str(p)) for p in files)
            source = f"read_parquet([{listed}], hive_partitioning = false)"
            body = f"SELECT {names} FROM {source}"  # noqa: S608 - fixed names, escaped paths
        else:
            typed = ", ".join(f"CAST(NULL AS {sql}) AS {column}" for column, sql in columns)
            body = f"SELECT {typed} WHERE false"
        con.execute(f"CREATE VIEW {name} AS {body}")
