"""Child-process steps of the import benchmark, each run (and measured) in its own process.

Not normally run by hand; ``bench/run_import.py`` calls::

    python bench/_steps.py compute-rate [--skip-compute]        # needs VAWG_DATA_DIR (Django)
    python bench/_steps.py rerate --force kent --month 2025-01 [--skip-compute]
    python bench/_steps.py bare ARCHIVE_DIR PARQUET_OUT_DIR   # bare DuckDB, no Django

Each prints one JSON object on its last stdout line with its own phase timings.
``--skip-compute``: ``vawg import police-uk`` already recomputed the observations (it does
since the import command calls ``compute_observations`` itself), so only rate.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "src" / "vawg" / "metrics" / "catalogue"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vawg.config.settings")
    import django

    django.setup()


def _rate_all(month: str | None = None, only: str | None = None) -> dict[str, Any]:
    """Build the reckoner of every force (or ``only``) for ``month`` (default: its latest)."""
    from django.db.models import Max

    from vawg.metrics.models import Observation
    from vawg.metrics.reckoner import build_reckoner
    from vawg.strategy.models import Force

    started = time.perf_counter()
    latest = dict(
        Observation.objects.values_list("force__slug").annotate(m=Max("period")).order_by()
    )
    forces = Force.objects.filter(slug__in=latest)
    if only is not None:
        forces = forces.filter(slug=only)
    rated = rows = 0
    colours: dict[str, int] = {}
    for force in forces:
        reckoner = build_reckoner(force, month or latest[force.slug])
        rated += 1
        rows += len(reckoner.rows)
        for row in reckoner.rows:
            colours[str(row.rating.rag)] = colours.get(str(row.rating.rag), 0) + 1
    return {
        "rate_s": time.perf_counter() - started,
        "forces_rated": rated,
        "reckoner_rows": rows,
        "rag": colours,
    }


# The metrics a data.police.uk archive feeds; catalogue metrics over force extracts (other
# datasets) have no files here and are left out, as in the bare DuckDB run.
POLICE_UK_DATASETS = ("street", "outcomes", "stop_and_search")


def _police_uk_metrics() -> Any:
    from vawg.metrics.models import Metric

    return Metric.objects.filter(dataset__in=POLICE_UK_DATASETS)


def _compute(skip: bool) -> dict[str, Any]:
    """Recompute the archive's metrics, unless the import command already did."""
    from vawg.metrics.models import Observation
    from vawg.metrics.services import compute_observations

    if skip:
        return {
            "compute_s": 0.0,
            "metrics": _police_uk_metrics().count(),
            "observations": Observation.objects.filter(
                metric__dataset__in=POLICE_UK_DATASETS
            ).count(),
        }
    started = time.perf_counter()
    summary = compute_observations(_police_uk_metrics())
    return {
        "compute_s": time.perf_counter() - started,
        "metrics": summary.metrics,
        "observations": summary.observations,
    }


def compute_rate(skip_compute: bool = False) -> dict[str, Any]:
    _django()
    result = _compute(skip_compute)
    result["checksum"] = _checksum()
    result.update(_rate_all())
    return result


def _checksum() -> float:
    """Sum of numerators and denominators of the archive's metrics, to compare with bare."""
    from django.db.models import Sum

    from vawg.metrics.models import Observation

    totals = Observation.objects.filter(metric__dataset__in=("street", "outcomes")).aggregate(
        n=Sum("numerator"), d=Sum("denominator")
    )
    return float(totals["n"] or 0) + float(totals["d"] or 0)


def rerate(force: str, month: str, skip_compute: bool = False) -> dict[str, Any]:
    _django()
    result = _compute(skip_compute)
    result.update(_rate_all(month, only=force))
    return result


# --- bare DuckDB ------------------------------------------------------------------------

_STREET = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
_OUTCOMES = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Outcome type"
)
# The importer's number pattern (vawg.analytics.validate._NUMBER), so validation is the same.
_NUMBER = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"


def _snake(header: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "_", header.lower()).strip("_")


def bare(archive: Path, out: Path) -> dict[str, Any]:
    """What the import, metrics and ratings do, done by DuckDB alone in as few statements.

    1. header check of every file (first line compared in Python, like the importer);
    2. per file type, ONE streaming ``COPY`` that parses every CSV strictly with explicit
       VARCHAR columns, checks every value as the importer does (month equals the file
       name's, coordinates numbers within range; ``error()`` aborts on the first bad row),
       types the columns and writes zstd Parquet partitioned by force and month;
    3. the catalogue's metric queries (read from its YAML, unchanged) over the Parquet files.
    """
    import duckdb
    import yaml

    timings: dict[str, Any] = {}
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    started = time.perf_counter()
    files: dict[str, list[str]] = {"street": [], "outcomes": []}
    for path in sorted(archive.rglob("*.csv")):
        kind = "street" if path.name.endswith("-street.csv") else "outcomes"
        with path.open("rb") as fh:
            first = fh.readline().decode("utf-8-sig").rstrip("\r\n")
        if first != (_STREET if kind == "street" else _OUTCOMES):
            raise SystemExit(f"{path}: bad header")
        files[kind].append(str(path))
    timings["headers_s"] = time.perf_counter() - started
    con = duckdb.connect(":memory:")
    started = time.perf_counter()
    rows = 0
    for kind, headers in (("street", _STREET), ("outcomes", _OUTCOMES)):
        names = [_snake(h) for h in headers.split(",")]
        columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
        listed = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files[kind]) + "]"
        coords = " AND ".join(
            f"(nullif({c}, '') IS NULL OR (regexp_full_match({c}, '{_NUMBER}') "
            f"AND abs(try_cast({c} AS DOUBLE)) <= {lim}))"
            for c, lim in (("longitude", 180), ("latitude", 90))
        )
        file_month = r"regexp_extract(filename, '(\d{4}-\d{2})-[^/]*$', 1)"
        valid = f"month IS NOT DISTINCT FROM {file_month} AND {coords}"
        typed = [
            f"CAST(nullif({n}, '') AS DOUBLE) AS {n}"
            if n in ("longitude", "latitude")
            else f"nullif({n}, '') AS {n}"
            for n in names
        ]
        force = rf"regexp_extract(filename, '\d{{4}}-\d{{2}}-(.+)-{kind}\.csv$', 1)"
        query = f"""
            SELECT {", ".join(typed)}, {force} AS force
            FROM read_csv({listed}, columns = {columns}, header = true, auto_detect = false,
                          delim = ',', quote = '"', escape = '"', strict_mode = true,
                          filename = true)
            WHERE CASE WHEN {valid} THEN true
                       ELSE error('invalid row in ' || filename) END
        """  # noqa: S608 - names are ours
        con.execute(
            f"COPY ({query}) TO '{out / kind}' (FORMAT parquet, COMPRESSION zstd, "
            "PARTITION_BY (force, month), WRITE_PARTITION_COLUMNS true)"
        )
        rows += con.execute(
            f"SELECT count(*) FROM read_parquet('{out / kind}/*/*/*.parquet')"  # noqa: S608
        ).fetchone()[0]
    timings["import_s"] = time.perf_counter() - started
    timings["rows"] = rows
    started = time.perf_counter()
    for kind in ("street", "outcomes"):
        con.execute(
            f"CREATE VIEW {kind} AS SELECT * FROM read_parquet("  # noqa: S608
            f"'{out / kind}/*/*/*.parquet', hive_partitioning = false)"
        )
    results = 0
    checksum = 0.0
    for catalogue in sorted(CATALOGUE.glob("*.yaml")):
        for metric in yaml.safe_load(catalogue.read_text())["metrics"]:
            if metric["dataset"] in ("street", "outcomes"):  # the archive's datasets
                found = con.sql(metric["query"]).fetchall()
                results += len(found)
                checksum += sum(float(r[2] or 0) + float(r[3] or 0) for r in found)
    timings["metrics_s"] = time.perf_counter() - started
    timings["aggregate_rows"] = results
    timings["checksum"] = checksum
    con.close()
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("compute-rate")
    p.add_argument("--skip-compute", action="store_true", help="the import recomputed")
    p = sub.add_parser("rerate")
    p.add_argument("--skip-compute", action="store_true", help="the import recomputed")
    p.add_argument("--force", required=True)
    p.add_argument("--month", required=True)
    p = sub.add_parser("bare")
    p.add_argument("archive", type=Path)
    p.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.step == "compute-rate":
        result = compute_rate(args.skip_compute)
    elif args.step == "rerate":
        result = rerate(args.force, args.month, args.skip_compute)
    else:
        result = bare(args.archive, args.out)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
