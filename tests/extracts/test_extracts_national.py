"""The national outcomes comparison: its template, the generated table and the rank metric.

Ranks are computed here from the generated CSV with the csv module and exact fractions,
independently of the generator's placement code and of the metric's SQL.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from demo_counts import independent_ranks
from vawg.analytics.home_office import FORCE_SLUGS
from vawg.extracts import ExtractFileError, to_parquet, validate_file
from vawg.metrics.catalogue import read_catalogue

DEMO_FORCE = "cambridgeshire"
#: The reference paper: 10th for the 12 months to January 2022, up 5 places on the month
#: before, and 22nd in February 2021.
PAPER_RANKS = {"2022-01": 10, "2021-12": 15, "2021-02": 22}


def test_the_demo_force_ranks_as_the_reference_paper_says(generated: dict[str, Path]):
    ranks = independent_ranks(generated["national-outcomes"])
    assert {m: ranks[(DEMO_FORCE, m)] for m in PAPER_RANKS} == PAPER_RANKS


def test_every_territorial_force_every_month_and_marked_generated(generated: dict[str, Path]):
    with generated["national-outcomes"].open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    forces = {r["force"] for r in rows}
    months = {r["month"] for r in rows}
    assert forces == set(FORCE_SLUGS) and len(forces) == 43
    # Published two months behind the extracts (which end March 2022), starting a year before
    # them (April 2020) so every month of the period has a full window.
    assert min(months) == "2019-04" and max(months) == "2022-01"
    assert len(rows) == 43 * len(months) * 2
    assert all(r["release_ref"].startswith("GEN-") for r in rows)


def test_the_demo_force_rows_count_its_own_finalised_crimes(generated: dict[str, Path]):
    own: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    with generated["finalised-crimes"].open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["offence_group"] in ("rape", "other sexual offences"):
                tally = own[(row["finalised_on"][:7], row["offence_group"])]
                code = int(row["outcome_code"])
                tally[0] += 1
                tally[1] += code not in (5, 11, 12, 13, 17, 18, 19, 20)
                tally[2] += code == 1
    with generated["national-outcomes"].open(encoding="utf-8", newline="") as fh:
        national = {
            (r["month"], r["offence_group"]): [
                int(r["finalised"]),
                int(r["prosecution_possible"]),
                int(r["charged"]),
            ]
            for r in csv.DictReader(fh)
            if r["force"] == DEMO_FORCE
        }
    shared = [key for key in national if key[0] >= "2020-04"]
    assert len(shared) == 2 * 22
    assert all(national[key] == own[key] for key in shared)


def test_rank_metric_sql_equals_the_independent_rank(
    generated: dict[str, Path], validated: dict[str, list[dict]], tmp_path: Path
):
    path = tmp_path / "national_outcomes.parquet"
    # The importing force is given, as the demo does, and must not replace the rows' own.
    to_parquet(validated["national-outcomes"], "national-outcomes", path, force=DEMO_FORCE)
    [metric] = [m for m in read_catalogue()["national"][1] if m.code == "national-sso-pp-rank"]
    assert metric.polarity == "down" and metric.unit == "count"
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"CREATE VIEW national_outcomes AS SELECT * FROM read_parquet('{path}')")
        rows = con.sql(metric.query).fetchall()
    finally:
        con.close()
    expected = independent_ranks(generated["national-outcomes"])
    assert {(force, month): rank for force, month, rank, _ in rows} == expected
    ranked: dict[str, int] = defaultdict(int)
    for _, month, _, _ in rows:
        ranked[month] += 1
    assert all(denominator == ranked[month] for _, month, _, denominator in rows)


NATIONAL_HEADER = "release_ref,force,month,offence_group,finalised,prosecution_possible,charged\n"


@pytest.mark.parametrize(
    ("row", "column", "problem"),
    [
        ("HO-1,kent,2022-01,rape,10,11,1", "prosecution_possible", "more than finalised"),
        ("HO-1,kent,2022-01,rape,10,8,9", "charged", "more than prosecution_possible"),
        ("HO-1,Kent Police,2022-01,rape,10,8,1", "force", "is not one of"),
    ],
)
def test_template_refuses_impossible_counts_and_unknown_forces(
    tmp_path: Path, row: str, column: str, problem: str
):
    path = tmp_path / "national-outcomes.csv"
    path.write_text(NATIONAL_HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(ExtractFileError) as caught:
        validate_file(path)
    assert caught.value.row == 2 and caught.value.column == column
    assert problem in str(caught.value)
