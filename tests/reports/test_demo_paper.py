"""The board paper built from the real demo pipeline: ``vawg init``'s set-up (generated
extracts imported, observations computed), then the paper content for 26 April 2022.

One set-up is shared by the module (it imports every demo file, about half a minute). Each
figure the paper states is compared with a figure computed here from the generated CSV files
with the csv module, never from the metric SQL or the generator's code; where the reference
paper gives the figure, the independent computation must also equal it.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from demo_counts import independent_ranks, median_minutes_missing, orders_by_month
from vawg.demo.setup import DEMO_FORCE, initialise
from vawg.metrics.models import Observation
from vawg.reports.paper.build import build_paper
from vawg.reports.paper.content import Paper, Paragraph, Section, Table
from vawg.strategy.models import Force

PAPER_DATE = dt.date(2022, 4, 26)
#: After the last month the demo holds (December 2024).
LATER_DATE = dt.date(2026, 12, 4)
BOARD = "Business Coordination Board"


@dataclass(frozen=True)
class Demo:
    paper: Paper
    later: Paper
    extracts: Path
    ranks: dict[str, float]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Demo]:
    data_dir = tmp_path_factory.mktemp("demo")
    (data_dir / "parquet").mkdir()
    with (
        django_db_blocker.unblock(),
        override_settings(DATA_DIR=data_dir, VAWG_PARQUET_DIR=data_dir / "parquet"),
    ):
        try:
            initialise(demo=True)
            force = Force.objects.get(slug=DEMO_FORCE)
            paper = build_paper(force, board=BOARD, as_at=PAPER_DATE)
            later = build_paper(force, board=BOARD, as_at=LATER_DATE)
            ranks = dict(
                Observation.objects.filter(
                    force=force, metric__code="national-sso-pp-rank"
                ).values_list("period", "value")
            )
            yield Demo(paper=paper, later=later, extracts=data_dir / "demo-extracts", ranks=ranks)
        finally:
            # The set-up is outside any test's transaction: leave the database empty again.
            call_command("flush", interactive=False, verbosity=0)


def _rows(demo: Demo, slug: str) -> list[dict[str, str]]:
    with (demo.extracts / f"{slug}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _tables(section: Section) -> list[Table]:
    return [block for block in section.blocks if isinstance(block, Table)]


def _figures(paper: Paper, action: str) -> list[str]:
    """The figure sentences under one action of section 5."""
    found: list[str] = []

    def walk(section: Section) -> None:
        for block in section.blocks:
            if isinstance(block, Section):
                if block.title.startswith(f"Action {action}:"):
                    found.extend(
                        b.text
                        for b in block.blocks
                        if isinstance(b, Paragraph) and b.style == "figure"
                    )
                else:
                    walk(block)

    for section in paper.sections:
        walk(section)
    assert found, f"no figures under action {action}"
    return found


def test_national_rank_is_the_metric_value_and_the_paper_states_it(demo: Demo):
    independent = independent_ranks(demo.extracts / "national-outcomes.csv")
    own = {month: rank for (force, month), rank in independent.items() if force == DEMO_FORCE}
    assert demo.ranks == {month: float(rank) for month, rank in own.items()}
    assert (own["2022-01"], own["2021-12"], own["2021-02"]) == (10, 15, 22)  # the paper's
    [sentence] = [s for s in _figures(demo.paper, "2.11") if "for all serious sexual offences" in s]
    assert sentence.startswith(
        f"In the 12 months to January 2022 the force's prosecution-possible outcome rate for all "
        f"serious sexual offences was the {own['2022-01']}th highest nationally"
    )
    assert f"when it was {own['2021-12']}th" in sentence
    assert f"For the 12 months to February 2021 it was {own['2021-02']}nd." in sentence
    assert "generated demo data" in sentence


def test_median_missing_time_is_stated_from_the_data(demo: Demo):
    median = median_minutes_missing(demo.extracts / "missing-episodes.csv", "2022-03")
    assert median == 160  # the reference paper's figure
    [sentence] = [s for s in _figures(demo.paper, "1.11") if "median time missing" in s]
    assert sentence.startswith(f"In March 2022 the median time missing was {median:.0f} minutes")


def test_dvpn_rise_is_stated_from_the_data(demo: Demo):
    granted = orders_by_month(demo.extracts / "protective-orders.csv", "DVPN", "granted_on")
    march, september = granted["2022-03"], granted["2021-09"]
    rise = 100 * (march - september) / september
    assert rise == 700  # the reference paper's figure
    [sentence] = [s for s in _figures(demo.paper, "2.4") if "protection notices" in s]
    assert sentence.startswith(
        f"In March 2022 the number of domestic violence protection notices issued was {march} "
    )
    assert (
        f"That is a rise of {rise:.0f}% on six months earlier (September 2021), when it was "
        f"{september}." in sentence
    )


def test_stalking_protection_orders_are_stated_from_the_data(demo: Demo):
    applied = orders_by_month(demo.extracts / "protective-orders.csv", "SPO", "applied_on")
    recent = sum(n for m, n in applied.items() if "2021-10" <= m <= "2022-03")
    before = sum(n for m, n in applied.items() if "2020-10" <= m <= "2021-09")
    assert (recent, before) == (14, 0)  # the reference paper's figures
    [sentence] = [s for s in _figures(demo.paper, "2.3") if "stalking protection" in s]
    assert (
        f"In the six months to March 2022 the total was {recent}, against none in the twelve "
        "months before." in sentence
    )


def test_a_paper_dated_after_the_last_import_reports_the_latest_month_held(demo):
    # November 2026 holds no figures: the paper reports December 2024 and says why.
    purpose = "December 2024, the latest month the tracker holds: none have been imported yet "
    purpose += "for November 2026, the latest complete month"
    assert purpose in demo.later.text()
    assert demo.later.notes == (f"Its figures are for {purpose}.",)
    assert demo.paper.notes == ()

    # The appendix holds December 2024's figures, counted here from the shipped street file.
    shipped = Path(__file__).resolve().parents[2] / "src/vawg/demo/police_uk"
    with gzip.open(shipped / "2024-12-cambridgeshire-street.csv.gz", "rt", newline="") as fh:
        vso = sum(r["Crime type"] == "Violence and sexual offences" for r in csv.DictReader(fh))
    appendix = {row[0]: row for table in _tables(demo.later.appendix[0]) for row in table.rows}
    assert appendix["Violence and sexual offences recorded"][1] == f"{vso:,}"
