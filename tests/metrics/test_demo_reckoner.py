"""The demo force end to end: shipped files → import → observations → ready reckoner.

Every expected figure is counted here, independently, from the shipped CSV files with
Python's csv module, so the test fails if the import or a metric query drifts.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import statistics
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from vawg.demo.setup import DEMO_POLICE_UK_DIR, initialise
from vawg.imports.models import ImportedFile
from vawg.metrics.models import Observation
from vawg.metrics.reckoner import build_reckoner, row_as_dict
from vawg.strategy.models import Force, Response, Update

VSO = "Violence and sexual offences"


def _rows(pattern: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(DEMO_POLICE_UK_DIR.glob(pattern)):
        with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


@pytest.fixture(scope="module")
def independent_counts() -> dict[str, Counter]:
    street = _rows("*-street.csv.gz")
    outcomes = _rows("*-outcomes.csv.gz")
    return {
        "vso": Counter(r["Month"] for r in street if r["Crime type"] == VSO),
        "vso_utp": Counter(
            r["Month"]
            for r in street
            if r["Crime type"] == VSO
            and r["Last outcome category"] == "Unable to prosecute suspect"
        ),
        "outcomes": Counter(r["Month"] for r in outcomes),
        "charged": Counter(r["Month"] for r in outcomes if r["Outcome type"] == "Suspect charged"),
    }


@pytest.mark.django_db(transaction=True)
def test_demo_reckoner_matches_counts_from_the_source_files(independent_counts):
    initialise(demo=True)
    force = Force.objects.get(slug="cambridgeshire")
    rows = {row["id"]: row for row in map(row_as_dict, build_reckoner(force, "2024-12").rows)}

    vso = independent_counts["vso"]
    assert sum(vso.values()) == 28_570  # PROVENANCE.md's figure for 2024
    assert rows["vso-recorded"]["value"] == vso["2024-12"]
    utp = rows["vso-unable-to-prosecute-share"]
    assert utp["numerator"] == independent_counts["vso_utp"]["2024-12"]
    assert utp["denominator"] == vso["2024-12"]
    assert utp["value"] == pytest.approx(100 * utp["numerator"] / utp["denominator"])
    assert rows["outcomes-charged"]["value"] == independent_counts["charged"]["2024-12"]
    searches = _rows("2024-12-cambridgeshire-stop-and-search.csv.gz")
    assert rows["stop-search-count"]["value"] == len(searches)
    assert rows["stop-search-arrest-share"]["numerator"] == sum(
        r["Outcome"] == "Arrest" for r in searches
    )
    assert (
        rows["outcomes-unable-to-prosecute-share"]["denominator"]
        == (independent_counts["outcomes"]["2024-12"])
    )
    # Twelve months of street data are too few points for process limits.
    assert rows["vso-recorded"]["rag"] == "grey"
    assert "too few points" in rows["vso-recorded"]["reason"]
    assert rows["vso-recorded"]["upper_limit"] is None
    # Outcomes span 2019-2020 and 2024 and rebase at 2024-01 (the catalogue says why): the
    # limits come from the twelve 2024 months alone, no moving range bridging 2021-2023.
    charged = independent_counts["charged"]
    late = [float(charged[f"2024-{m:02d}"]) for m in range(1, 13)]
    mean = sum(late) / 12
    amr = sum(abs(b - a) for a, b in itertools.pairwise(late)) / 11
    assert rows["outcomes-charged"]["mean"] == pytest.approx(mean)
    assert rows["outcomes-charged"]["upper_limit"] == pytest.approx(mean + 2.66 * amr)
    assert rows["outcomes-charged"]["lower_limit"] == pytest.approx(mean - 2.66 * amr)
    assert rows["outcomes-charged"]["rag"] in {"red", "amber", "green"}
    assert rows["outcomes-charged"]["reason"].endswith(
        "since the rebase at 2024-01 (no outcomes data held for 2021 to 2023)"
    )
    for row in rows.values():
        assert row["reason"].startswith(row["rag"])

    # Each observation traces to the file it came from.
    december = Observation.objects.get(metric__code="vso-recorded", period="2024-12")
    assert december.source_file.file_name.startswith("2024-12-cambridgeshire-street")

    # 2019-2021 months exist for outcomes only; the street gap is a gap, not zeros.
    assert not Observation.objects.filter(metric__code="vso-recorded", period="2020-06").exists()
    june_2020 = Observation.objects.get(metric__code="outcomes-charged", period="2020-06")
    assert june_2020.numerator == independent_counts["charged"]["2020-06"]

    counts_before = (
        Observation.objects.count(),
        ImportedFile.objects.count(),
        Update.objects.count(),
        Response.objects.count(),
    )
    initialise(demo=True)
    counts_after = (
        Observation.objects.count(),
        ImportedFile.objects.count(),
        Update.objects.count(),
        Response.objects.count(),
    )
    assert counts_after == counts_before
    assert counts_before[2] == 34 and counts_before[3] == 34
    police_uk = ImportedFile.objects.filter(dataset__in=["street", "outcomes", "stop_and_search"])
    assert police_uk.count() == len(list(Path(DEMO_POLICE_UK_DIR).glob("*.csv.gz")))


@pytest.mark.django_db(transaction=True)
def test_demo_extract_and_national_figures_reach_the_reckoner(settings):
    """The reference paper's figures, from the generated extracts and the Home Office table."""
    initialise(demo=True)
    force = Force.objects.get(slug="cambridgeshire")
    rows = {row["id"]: row for row in map(row_as_dict, build_reckoner(force, "2022-03").rows)}

    # Median minutes missing in March 2022, counted here from the generated extract.
    with (settings.DATA_DIR / "demo-extracts" / "missing-episodes.csv").open() as handle:
        minutes = sorted(
            (_minutes(r["reported_at"], r["found_at"]))
            for r in csv.DictReader(handle)
            if r["found_at"] and r["reported_at"].startswith("2022-03")
        )
    assert rows["missing-median-minutes"]["value"] == statistics.median(minutes) == 160

    with (settings.DATA_DIR / "demo-extracts" / "protective-orders.csv").open() as handle:
        orders = list(csv.DictReader(handle))
    dvpn = Counter(
        r["granted_on"][:7] for r in orders if r["order_type"] == "DVPN" and r["granted_on"]
    )
    assert rows["dvpn-granted"]["value"] == dvpn["2022-03"]
    assert dvpn["2022-03"] == 8 * dvpn["2021-09"]  # the paper's 700% rise in six months

    # Full SPO applications, October 2021 to March 2022: the reckoner's spo-applied rows
    # (through the catalogue SQL) against a count of the CSV; the paper reported 14.
    half_year = ["2021-10", "2021-11", "2021-12", "2022-01", "2022-02", "2022-03"]
    spo = Counter(r["applied_on"][:7] for r in orders if r["order_type"] == "SPO")
    reckoners: dict[str, dict[str, dict]] = {}

    def row_of(metric: str, month: str) -> dict:
        if month not in reckoners:
            reckoners[month] = _rows_of(force, month)
        return reckoners[month][metric]

    for month in half_year:
        assert row_of("spo-applied", month)["value"] == spo[month]
    assert sum(row_of("spo-applied", m)["value"] for m in half_year) == 14

    # DA prosecution-possible rate, counted from the extract's own prosecution_possible flag
    # (not the catalogue's list of outcome codes): above 15% from January to March 2022 only.
    with (settings.DATA_DIR / "demo-extracts" / "da-crimes.csv").open() as handle:
        crimes = [r for r in csv.DictReader(handle) if r["finalised_on"]]
    for month in ("2021-12", "2022-01", "2022-02", "2022-03"):
        possible = [r for r in crimes if r["finalised_on"][:7] == month]
        possible = [r for r in possible if r["prosecution_possible"] == "yes"]
        charged = sum(r["outcome_code"] == "1" for r in possible)
        row = row_of("da-prosecution-possible-rate", month)
        assert (row["numerator"], row["denominator"]) == (charged, len(possible))
        assert row["value"] == pytest.approx(100 * charged / len(possible))
        assert (row["value"] > 15) == (month != "2021-12")

    # About 300 referrals a month to the DA Alliance, every month.
    with (settings.DATA_DIR / "demo-extracts" / "partner-referrals.csv").open() as handle:
        alliance = Counter(
            r["referred_on"][:7] for r in csv.DictReader(handle) if r["partner"] == "DA Alliance"
        )
    for month in ("2020-04", "2021-06", *half_year):
        value = row_of("da-alliance-referrals", month)["value"]
        assert value == alliance[month]
        assert 282 <= value <= 318
    assert len(alliance) == 24 and all(282 <= n <= 318 for n in alliance.values())

    # Home Office table: Cambridgeshire's rapes in the quarter to March 2018.
    rape = Observation.objects.get(metric__code="prc-rape-rate", force=force, period="2018-03")
    assert rape.numerator == 151


def _rows_of(force: Force, month: str) -> dict[str, dict]:
    return {row["id"]: row for row in map(row_as_dict, build_reckoner(force, month).rows)}


def _minutes(start: str, end: str) -> float:
    fmt = "%Y-%m-%d %H:%M"
    return (datetime.strptime(end, fmt) - datetime.strptime(start, fmt)).total_seconds() / 60
