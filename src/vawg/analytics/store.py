"""The Parquet store of row-level data.police.uk records and DuckDB views over it.

Layout, one file per imported source file::

    <parquet dir>/<dataset>/force=<force>/month=<YYYY-MM>/<sha256[:16]>.parquet

Naming each file by the hash of its source means a restated month gets a new file beside the
old one instead of overwriting it, so readers of the old file are never disturbed and a
half-finished import never damages live data. Which files are live is decided by the
database (active ``ImportedFile`` rows), not by the folder: anything else under the dataset
folders is an orphan (from a superseded month, or from an import killed between writing its
files and committing) and is removed by :func:`remove_orphans` at the start of the next
import.

The hive-style folder names are for people and for other engines; the files themselves carry
``force`` and ``month`` columns, and :func:`open_views` turns hive partitioning off so the two
can never disagree.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path, PurePosixPath

import duckdb

from vawg.analytics.police_uk import SourceFile

__all__ = [
    "STAGING_DIR",
    "open_views",
    "parquet_relpath",
    "remove_orphans",
    "write_parquet",
]

# Files of an import in progress are written here first (same file system, so moving them
# into place is an atomic rename).
STAGING_DIR = ".staging"


def parquet_relpath(dataset: str, force: str, month: str, sha256: str) -> PurePosixPath:
    """The path of a source file's Parquet file, relative to the Parquet directory.

    >>> parquet_relpath("street", "kent", "2024-01", "ab" * 32)
    PurePosixPath('street/force=kent/month=2024-01/abababababababab.parquet')
    """
    return PurePosixPath(dataset, f"force={force}", f"month={month}", f"{sha256[:16]}.parquet")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _typed(name: str, sql_type: str) -> str:
    """SQL turning a VARCHAR column into its stored type; empty text becomes NULL."""
    value = f"nullif({name}, '')"
    if sql_type == "DOUBLE":
        return f"CAST({value} AS DOUBLE) AS {name}"
    if sql_type == "BOOLEAN":
        return f"CASE lower({value}) WHEN 'true' THEN true WHEN 'false' THEN false END AS {name}"
    return f"{value} AS {name}"


def write_parquet(
    con: duckdb.DuckDBPyConnection, table: str, source: SourceFile, dest: Path
) -> None:
    """Write the validated VARCHAR table ``table`` of ``source`` to ``dest`` (zstd Parquet).

    Columns are the snake_case headers with Longitude/Latitude as DOUBLE (and the
    stop-and-search yes/no columns as BOOLEAN), then ``force`` and, for stop-and-search,
    ``month``. The file is written under a temporary name and renamed into place, so
    ``dest`` is either absent or complete.
    """
    dataset = source.dataset
    select = [_typed(c.name, c.sql_type) for c in dataset.columns]
    select.append(f"{_literal(source.force)} AS force")
    if not dataset.has_month_column:
        select.append(f"{_literal(source.month)} AS month")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    # NOTE: SQL is assembled from the fixed dataset definitions and escaped literals; DuckDB
    # takes no parameters in COPY targets or view bodies. Same for the S608 exemptions below.
    query = f"SELECT {', '.join(select)} FROM {table}"  # noqa: S608 - see NOTE above
    con.execute(f"COPY ({query}) TO {_literal(str(tmp))} (FORMAT parquet, COMPRESSION zstd)")
    os.replace(tmp, dest)


def open_views(files: Mapping[str, Sequence[Path]]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per dataset over the given Parquet files.

    Every dataset of :data:`vawg.analytics.datasets.SCHEMAS` gets a view of its name
    (``street``, ``outcomes``, ``da_incidents``, ``prc`` ...); a dataset missing from
    ``files`` or with no files gets an empty view with the same columns, so queries still run.
    Pass absolute paths (see ``vawg.imports.selectors.active_parquet_paths``). The caller owns
    the connection and should close it.
    """
    from vawg.analytics.datasets import SCHEMAS

    unknown = set(files) - set(SCHEMAS)
    if unknown:
        raise ValueError(f"unknown datasets {sorted(unknown)}; expected {sorted(SCHEMAS)}")
    con = duckdb.connect(":memory:")
    try:
        for name, columns in SCHEMAS.items():
            paths = list(files.get(name, ()))
            if paths:
                listed = ", ".join(_literal(str(p)) for p in paths)
                selected = ", ".join(n for n, _ in columns)
                source = f"read_parquet([{listed}], hive_partitioning = false)"
                body = f"SELECT {selected} FROM {source}"  # noqa: S608 - see write_parquet
            else:
                body = _empty_columns(columns)
            con.execute(f"CREATE VIEW {name} AS {body}")
    except Exception:
        con.close()
        raise
    return con


def _empty_columns(columns: Sequence[tuple[str, str]]) -> str:
    selected = ", ".join(f"CAST(NULL AS {t}) AS {n}" for n, t in columns)
    return f"SELECT {selected} WHERE false"


def remove_orphans(parquet_dir: Path, live: Collection[PurePosixPath | str]) -> list[Path]:
    """Delete every file under the dataset folders of ``parquet_dir`` not listed in ``live``.

    ``live`` holds paths relative to ``parquet_dir`` (as stored in the database). Also
    removes the staging folder of any earlier import and folders left empty. Returns the
    files removed. Only call this while holding the import lock, or a concurrent import's
    new files would be taken for orphans.
    """
    keep = {PurePosixPath(p) for p in live}
    removed: list[Path] = []
    staging = parquet_dir / STAGING_DIR
    if staging.exists():
        removed.extend(p for p in staging.rglob("*") if p.is_file())
        shutil.rmtree(staging)
    from vawg.analytics.datasets import SCHEMAS

    for name in SCHEMAS:
        root = parquet_dir / name
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if (
                path.is_file()
                and PurePosixPath(path.relative_to(parquet_dir).as_posix()) not in keep
            ):
                path.unlink()
                removed.append(path)
        # Deepest first, so a month folder is emptied before its force folder is tried.
        for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    return removed
