"""Build a synthetic national data.police.uk archive whose rows follow real Cambridgeshire files.

Run from the repository root::

    .venv/bin/python bench/generate_archive.py                  # 43 forces x 36 months, ~18M rows
    .venv/bin/python bench/generate_archive.py --forces 4 --months 6     # a small archive
    .venv/bin/python bench/generate_archive.py --forces 1 --start 2025-01 --months 1 \
        --out bench/out/new-month                                # "month 37" for one force

Writes ``<out>/YYYY-MM/YYYY-MM-<force>-street.csv`` and ``-outcomes.csv`` in exactly the
data.police.uk format (same headers, empty fields for missing values, quoting only where a
value holds a comma, 64-hex Crime IDs, ASB rows without Crime ID or outcome).

How the rows are made (all in DuckDB SQL, one ``COPY ... PARTITION_BY`` per force and file
type, so the full archive takes minutes):

- Every generated row is a real Cambridgeshire 2024 row (``src/vawg/demo/police_uk``, the
  published files) drawn with replacement, so the joint mix of crime type, last outcome
  category, outcome type, rows without location ("No Location", empty coordinates and LSOA)
  and ASB rows without Crime ID is the real one.
- Crime ID, Month, Reported by and Falls within are rewritten: street Crime IDs are
  ``sha256(seed|force|month|row)``; outcome Crime IDs point at a street row of the same force
  0-5 months earlier, as real outcomes follow their crimes.
- Monthly volume per force = Cambridgeshire's 2024 volume for that calendar month x the
  force's share of police recorded crime in 2017/18 (Home Office, table below) x one factor
  chosen so that 43 forces x 36 months hold ``--rows`` rows (default 18 million), +-5% noise.

Deterministic: the same ``--seed`` gives byte-identical files (draws use DuckDB's ``hash``
of seed, force, month and row, and the noise Python's ``random.Random(seed)``), whatever
``--forces``/``--months`` selects, so a force-month is the same file at every scale.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench" / "out" / "archive"
DEFAULT_SOURCE = ROOT / "src" / "vawg" / "demo" / "police_uk"

# The 43 territorial forces of England and Wales: data.police.uk slug, the name in its
# "Reported by" column, and offences recorded in 2017/18 (Home Office police recorded crime
# by police force area, prc-pfa-201718, all offence codes, four quarters summed).
FORCES: tuple[tuple[str, str, int], ...] = (
    ("avon-and-somerset", "Avon and Somerset Constabulary", 140071),
    ("bedfordshire", "Bedfordshire Police", 47153),
    ("cambridgeshire", "Cambridgeshire Constabulary", 66194),
    ("cheshire", "Cheshire Constabulary", 87361),
    ("city-of-london", "City of London Police", 5870),
    ("cleveland", "Cleveland Police", 57222),
    ("cumbria", "Cumbria Constabulary", 28533),
    ("derbyshire", "Derbyshire Constabulary", 55589),
    ("devon-and-cornwall", "Devon & Cornwall Police", 103406),
    ("dorset", "Dorset Police", 49115),
    ("durham", "Durham Constabulary", 61150),
    ("dyfed-powys", "Dyfed-Powys Police", 25742),
    ("essex", "Essex Police", 134153),
    ("gloucestershire", "Gloucestershire Constabulary", 34076),
    ("greater-manchester", "Greater Manchester Police", 339818),
    ("gwent", "Gwent Police", 48823),
    ("hampshire", "Hampshire Constabulary", 159541),
    ("hertfordshire", "Hertfordshire Constabulary", 82859),
    ("humberside", "Humberside Police", 86630),
    ("kent", "Kent Police", 177187),
    ("lancashire", "Lancashire Constabulary", 127028),
    ("leicestershire", "Leicestershire Police", 83793),
    ("lincolnshire", "Lincolnshire Police", 40701),
    ("merseyside", "Merseyside Police", 125424),
    ("metropolitan", "Metropolitan Police Service", 815528),
    ("norfolk", "Norfolk Constabulary", 56398),
    ("north-wales", "North Wales Police", 51602),
    ("north-yorkshire", "North Yorkshire Police", 39077),
    ("northamptonshire", "Northamptonshire Police", 54640),
    ("northumbria", "Northumbria Police", 153020),
    ("nottinghamshire", "Nottinghamshire Police", 96327),
    ("south-wales", "South Wales Police", 104859),
    ("south-yorkshire", "South Yorkshire Police", 141918),
    ("staffordshire", "Staffordshire Police", 83768),
    ("suffolk", "Suffolk Constabulary", 53116),
    ("surrey", "Surrey Police", 72853),
    ("sussex", "Sussex Police", 113666),
    ("thames-valley", "Thames Valley Police", 149004),
    ("warwickshire", "Warwickshire Police", 41411),
    ("west-mercia", "West Mercia Police", 84350),
    ("west-midlands", "West Midlands Police", 233393),
    ("west-yorkshire", "West Yorkshire Police", 265520),
    ("wiltshire", "Wiltshire Police", 43563),
)
FULL_MONTHS = 36
DEFAULT_START = "2022-01"
DEFAULT_ROWS = 18_000_000
NOISE = 0.05
MAX_LAG = 6  # outcomes point at crimes of this month or the 5 before

LOCATION_HEADERS = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
)
STREET_HEADERS = (*LOCATION_HEADERS, "Crime type", "Last outcome category", "Context")
OUTCOMES_HEADERS = (*LOCATION_HEADERS, "Outcome type")
# Columns copied from the sampled real row (everything but id, month and force name).
STREET_KEPT = STREET_HEADERS[4:]
OUTCOMES_KEPT = OUTCOMES_HEADERS[4:]


@dataclass(frozen=True)
class Summary:
    files: int
    street_rows: int
    outcomes_rows: int
    bytes: int
    seconds: float

    @property
    def rows(self) -> int:
        return self.street_rows + self.outcomes_rows


def month_list(start: str, count: int) -> list[str]:
    """``count`` consecutive months from ``start`` (YYYY-MM).

    >>> month_list("2024-11", 3)
    ['2024-11', '2024-12', '2025-01']
    """
    year, month = int(start[:4]), int(start[5:7])
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_index(month: str, start: str = DEFAULT_START) -> int:
    """Months since ``start``: the volume model and the draws are keyed by it.

    >>> month_index("2025-01")
    36
    """
    return (int(month[:4]) - int(start[:4])) * 12 + int(month[5:7]) - int(start[5:7])


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(header: str) -> str:
    return '"' + header.replace('"', '""') + '"'


def _read_source(con: duckdb.DuckDBPyConnection, source: Path) -> None:
    """Load the real files into pool tables and their monthly volumes by calendar month."""
    for kind, headers in (("street", STREET_HEADERS), ("outcomes", OUTCOMES_HEADERS)):
        files = sorted(
            p
            for p in source.rglob("*")
            if p.name.endswith((f"-{kind}.csv", f"-{kind}.csv.gz"))
            and p.name[:4] == "2024"  # one whole calendar year: the demo also holds 2019-20
        )
        if len(files) != 12:
            sys.exit(f"expected 12 files *-{kind}.csv(.gz) of 2024 in {source}, found {len(files)}")
        columns = "{" + ", ".join(f"{_q(h)}: 'VARCHAR'" for h in headers) + "}"
        listed = ", ".join(_q(str(p)) for p in files)
        kept = ", ".join(_ident(h) for h in headers[4:])
        read = (
            f"read_csv([{listed}], columns = {columns}, header = true, auto_detect = false, "
            "delim = ',', quote = '\"', escape = '\"', strict_mode = true)"
        )
        con.execute(
            f"""CREATE TABLE {kind}_pool AS
            SELECT (row_number() OVER () - 1)::UBIGINT AS idx,
                   "Crime ID" IS NULL AS no_id, {kept}
            FROM (SELECT * FROM {read} ORDER BY ALL)"""  # noqa: S608 - our own table names
        )
        con.execute(
            f"""CREATE TABLE {kind}_moy AS
            SELECT month(strptime("Month", '%Y-%m')) AS moy, count(*) AS n
            FROM {read} GROUP BY 1"""  # noqa: S608
        )


def _volumes(
    con: duckdb.DuckDBPyConnection, months: list[str], start: str, seed: int, rows: int
) -> dict[tuple[str, str, str], int]:
    """Rows per (kind, force, month) for every force and the requested months."""
    by_moy = {
        kind: dict(con.execute(f"SELECT moy, n FROM {kind}_moy").fetchall())  # noqa: S608
        for kind in ("street", "outcomes")
    }
    camb_weight = next(w for slug, _, w in FORCES if slug == "cambridgeshire")
    total_weight = sum(w for _, _, w in FORCES)
    # Expected rows of the full archive with factor 1: Cambridgeshire's year x 3 x forces.
    camb_year = sum(sum(v.values()) for v in by_moy.values())
    unscaled = camb_year * (FULL_MONTHS / 12) * total_weight / camb_weight
    factor = rows / unscaled
    out: dict[tuple[str, str, str], int] = {}
    for slug, _, weight in FORCES:
        for month in months:
            index = month_index(month, start)
            for kind in ("street", "outcomes"):
                # Noise keyed by force, month and kind alone: independent of the selection.
                rng = random.Random(f"{seed}|{slug}|{index}|{kind}")  # noqa: S311 - not crypto
                base = by_moy[kind][int(month[5:7])] * weight / camb_weight * factor
                out[(kind, slug, month)] = max(1, round(base * (1 + rng.uniform(-NOISE, NOISE))))
    return out


def _copy_force(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    slug: str,
    name: str,
    months: list[str],
    seed: int,
    tmp: Path,
) -> None:
    """Write one force's files of one kind, one per month, under ``tmp/_m=<month>/``."""
    pool_n = con.execute(f"SELECT count(*) FROM {kind}_pool").fetchone()[0]  # noqa: S608
    listed = ", ".join(_q(m) for m in months)
    draw = f"hash({seed}, {_q(slug)}, v.month, i, {_q(kind)}) % {pool_n}"
    kept = STREET_KEPT if kind == "street" else OUTCOMES_KEPT
    kept_sql = ", ".join(f"p.{_ident(h)}" for h in kept)
    if kind == "street":
        crime_id = (
            f"CASE WHEN p.no_id THEN NULL ELSE "
            f"sha256(concat_ws('|', {seed}, {_q(slug)}, v.month, i)) END"
        )
    else:
        # The crime an outcome belongs to: street row j of the same force, `lag` months back
        # (months before the archive are keyed the same way, as if they existed).
        lag = f"(hash({seed}, {_q(slug)}, v.month, i, 'lag') % {MAX_LAG})::INTEGER"
        crime_id = (
            "CASE WHEN p.no_id THEN NULL ELSE sha256(concat_ws('|', "
            f"{seed}, {_q(slug)}, strftime(v.first_day - to_months({lag}), '%Y-%m'), "
            f"hash({seed}, {_q(slug)}, v.month, i, 'row') % v.street_n)) END"
        )
    query = f"""
        SELECT {crime_id} AS "Crime ID", v.month AS "Month",
               {_q(name)} AS "Reported by", {_q(name)} AS "Falls within",
               {kept_sql}, v.month AS _m
        FROM (
            SELECT month, n, street_n, strptime(month, '%Y-%m')::DATE AS first_day,
                   unnest(range(n)) AS i
            FROM volumes WHERE kind = {_q(kind)} AND force = {_q(slug)}
              AND month IN ({listed})
        ) v
        JOIN {kind}_pool p ON p.idx = {draw}
        ORDER BY v.month, v.i
    """  # noqa: S608 - literals escaped, names ours
    con.execute(
        f"COPY ({query}) TO {_q(str(tmp))} "
        "(FORMAT csv, HEADER true, PARTITION_BY (_m), OVERWRITE_OR_IGNORE true)"
    )


def generate(
    out: Path,
    *,
    forces: list[str] | None = None,
    months: list[str] | None = None,
    start: str = DEFAULT_START,
    seed: int = 20240101,
    rows: int = DEFAULT_ROWS,
    source: Path = DEFAULT_SOURCE,
    quiet: bool = False,
) -> Summary:
    """Write the archive under ``out`` and return what was written."""
    started = time.perf_counter()
    forces = forces or [slug for slug, _, _ in FORCES]
    months = months or month_list(start, FULL_MONTHS)
    names = {slug: name for slug, name, _ in FORCES}
    unknown = [f for f in forces if f not in names]
    if unknown:
        sys.exit(f"unknown force slugs {unknown}")
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    con.execute(f"SELECT setseed({(seed % 1000) / 1000})")  # nothing random() yet; keep it so
    con.execute("SET preserve_insertion_order = true")
    _read_source(con, source)
    volumes = _volumes(con, months, start, seed, rows)
    con.execute(
        "CREATE TABLE volumes (kind VARCHAR, force VARCHAR, month VARCHAR, n BIGINT, "
        "street_n BIGINT)"
    )
    con.executemany(
        "INSERT INTO volumes VALUES (?, ?, ?, ?, ?)",
        [(k, f, m, n, volumes[("street", f, m)]) for (k, f, m), n in volumes.items()],
    )
    files = 0
    written = {"street": 0, "outcomes": 0}
    size = 0
    for number, slug in enumerate(forces, start=1):
        for kind in ("street", "outcomes"):
            tmp = out / f".tmp-{slug}-{kind}"
            shutil.rmtree(tmp, ignore_errors=True)
            _copy_force(con, kind, slug, names[slug], months, seed, tmp)
            for month in months:
                parts = list((tmp / f"_m={month}").glob("*.csv"))
                if len(parts) != 1:
                    sys.exit(f"expected one file for {slug} {kind} {month}, found {parts}")
                dest = out / month / f"{month}-{slug}-{kind}.csv"
                dest.parent.mkdir(parents=True, exist_ok=True)
                parts[0].replace(dest)
                files += 1
                size += dest.stat().st_size
                written[kind] += volumes[(kind, slug, month)]
            shutil.rmtree(tmp)
        if not quiet:
            elapsed = time.perf_counter() - started
            print(
                f"  {number:>2}/{len(forces)} {slug:<20} {sum(written.values()):>12,} rows "
                f"{elapsed:6.1f} s",
                file=sys.stderr,
            )
    con.close()
    return Summary(
        files, written["street"], written["outcomes"], size, time.perf_counter() - started
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--forces", type=int, default=len(FORCES), help="first N forces")
    parser.add_argument("--force", action="append", help="these force slugs (repeatable)")
    parser.add_argument("--months", type=int, default=FULL_MONTHS)
    parser.add_argument("--start", default=DEFAULT_START, help="first month, YYYY-MM")
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument(
        "--rows", type=int, default=DEFAULT_ROWS, help="rows of the FULL 43x36 archive"
    )
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--clean", action="store_true", help="delete --out first")
    args = parser.parse_args(argv)
    if args.clean:
        shutil.rmtree(args.out, ignore_errors=True)
    forces = args.force or [slug for slug, _, _ in FORCES][: args.forces]
    summary = generate(
        args.out,
        forces=forces,
        months=month_list(args.start, args.months),
        start=DEFAULT_START,
        seed=args.seed,
        rows=args.rows,
        source=args.source,
    )
    print(
        f"{summary.files} files, {summary.street_rows:,} street + {summary.outcomes_rows:,} "
        f"outcomes rows = {summary.rows:,}, {summary.bytes / 1e9:.2f} GB, "
        f"{summary.seconds:.1f} s -> {args.out}"
    )


if __name__ == "__main__":
    main()
