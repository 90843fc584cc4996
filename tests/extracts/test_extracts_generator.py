"""The demo generator: deterministic, valid, and reproducing the reference paper's figures.

Figures are computed from the generated CSV files with the csv module alone, independently of
the generator's own code and of the metric SQL.
"""

from __future__ import annotations

import csv
import statistics
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import pytest

from vawg.demo.generator import generate, main
from vawg.extracts import TEMPLATES, validate_file

PRIOR_YEAR = [f"2020-{m:02d}" for m in range(10, 13)] + [f"2021-{m:02d}" for m in range(1, 10)]
PAPER_HALF_YEAR = ["2021-10", "2021-11", "2021-12", "2022-01", "2022-02", "2022-03"]


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def minutes(row: dict[str, str]) -> float:
    reported = datetime.fromisoformat(row["reported_at"])
    return (datetime.fromisoformat(row["found_at"]) - reported).total_seconds() / 60


def test_every_template_validates_its_generated_file(validated: dict[str, list[dict]]):
    assert set(validated) == set(TEMPLATES)
    for slug, rows in validated.items():
        assert rows, slug


def test_deterministic_for_a_seed(tmp_path: Path, generated: dict[str, Path]):
    again = generate(tmp_path / "again")
    for slug, path in generated.items():
        assert again[slug].read_bytes() == path.read_bytes(), slug
    other = generate(tmp_path / "other", seed=7)
    assert other["da-incidents"].read_bytes() != generated["da-incidents"].read_bytes()


def test_volumes_are_modest_and_every_record_is_marked_generated(generated: dict[str, Path]):
    total = 0
    for slug, path in generated.items():
        rows = read(path)
        total += len(rows)
        for row in rows:
            refs = [v for k, v in row.items() if k.endswith(("_id", "_ref")) or k == "unit"]
            assert refs and all(v.startswith("GEN-") for v in refs), (slug, row)
    assert total < 200_000


def test_median_missing_time_is_160_in_march_2022_the_lowest_in_over_a_year(
    generated: dict[str, Path],
):
    lengths: dict[str, list[float]] = defaultdict(list)
    for row in read(generated["missing-episodes"]):
        if row["found_at"]:
            lengths[row["reported_at"][:7]].append(minutes(row))
    medians = {month: statistics.median(values) for month, values in lengths.items()}
    assert medians["2022-03"] == 160
    for month in [
        "2021-03",
        *PRIOR_YEAR[5:],
        "2021-10",
        "2021-11",
        "2021-12",
        "2022-01",
        "2022-02",
    ]:
        assert medians[month] > 160, month


def test_over_90_percent_of_juveniles_found_within_24_hours(generated: dict[str, Path]):
    found = Counter()
    episodes = Counter()
    for row in read(generated["missing-episodes"]):
        if int(row["age"]) < 18:
            month = row["reported_at"][:7]
            episodes[month] += 1
            found[month] += bool(row["found_at"]) and minutes(row) <= 24 * 60
    assert found["2022-03"] / episodes["2022-03"] > 0.90


def test_stalking_protection_orders(generated: dict[str, Path]):
    applied = Counter(
        row["applied_on"][:7]
        for row in read(generated["protective-orders"])
        if row["order_type"] == "SPO"
    )
    any_spo = Counter(
        row["applied_on"][:7]
        for row in read(generated["protective-orders"])
        if row["order_type"] in ("SPO", "interim SPO")
    )
    assert sum(applied[m] for m in PAPER_HALF_YEAR) == 14
    assert sum(any_spo[m] for m in PRIOR_YEAR) == 0


def test_dvpns_rise_700_percent_in_six_months(generated: dict[str, Path]):
    rows = [r for r in read(generated["protective-orders"]) if r["order_type"] == "DVPN"]
    applied = Counter(r["applied_on"][:7] for r in rows)
    issued = Counter(r["granted_on"][:7] for r in rows if r["granted"] == "yes")
    assert applied["2022-03"] / applied["2021-09"] == 8
    assert issued["2022-03"] / issued["2021-09"] == 8


def test_da_prosecution_possible_above_15_percent_and_above_last_year(
    generated: dict[str, Path],
):
    charged, possible = Counter(), Counter()
    excluded = {"5", "11", "12", "13", "17", "18", "19", "20"}
    for row in read(generated["da-crimes"]):
        if row["finalised_on"] and row["outcome_code"] not in excluded:
            month = row["finalised_on"][:7]
            possible[month] += 1
            charged[month] += row["outcome_code"] == "1"
    rate = {m: charged[m] / possible[m] for m in possible}
    for month in ("2022-01", "2022-02", "2022-03"):
        assert rate[month] > 0.15, month
        year_before = month.replace("2022", "2021")
        assert rate[month] > rate[year_before] + 0.04, month


def test_about_300_da_alliance_referrals_a_month(generated: dict[str, Path]):
    per_month = Counter(
        row["referred_on"][:7]
        for row in read(generated["partner-referrals"])
        if row["partner"] == "DA Alliance"
    )
    assert len(per_month) == 24
    assert all(270 <= n <= 330 for n in per_month.values())
    assert 290 <= statistics.mean(per_month.values()) <= 310


def test_marac_repeats_within_safelives_range(generated: dict[str, Path]):
    rows = read(generated["marac-referrals"])
    share = sum(r["repeat"] == "yes" for r in rows) / len(rows)
    assert 0.28 <= share <= 0.40


def test_victim_feedback_starts_february_2022(generated: dict[str, Path]):
    months = {r["month"] for r in read(generated["victim-feedback"])}
    assert months == {"2022-02", "2022-03"}


def test_other_ranges_and_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main([str(tmp_path), "--start", "2021-01", "--end", "2021-03", "--seed", "1"]) == 0
    assert "da-incidents" in capsys.readouterr().out
    for slug in TEMPLATES:
        validate_file(tmp_path / f"{slug}.csv")
    with pytest.raises(SystemExit):
        main([str(tmp_path), "--start", "2022-04", "--end", "2022-03"])
