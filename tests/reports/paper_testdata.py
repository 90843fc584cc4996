"""The demo force as the paper and return tests need it, without importing any file.

Loads the shipped framework, strategy, demo responses, metric catalogue and governance pack,
then writes metric observations whose values are the reference paper's figures (the values the
generated extracts produce once imported), so the tests do not depend on the import pipeline.
"""

from __future__ import annotations

import datetime as dt

import pytest

from vawg.metrics.models import Metric, Observation
from vawg.metrics.services import load_catalogue
from vawg.strategy.loader import DEMO_RESPONSES, load_packs
from vawg.strategy.models import Force

PAPER_DATE = dt.date(2022, 4, 26)
BOARD = "Business Coordination Board"

#: 2020-04 .. 2022-03, the generator's default range.
MONTHS = [f"{2020 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d}" for i in range(24)]


def _median_minutes(index: int, month: str) -> float:
    if month == "2022-03":
        return 160.0
    return 300.0 - 5.5 * index  # falling from 300 to about 174 by February 2022


def _dvpn(month: str) -> float:
    paper = {"2021-09": 3, "2021-10": 6, "2021-11": 9, "2021-12": 12, "2022-01": 16}
    paper |= {"2022-02": 20, "2022-03": 24}
    return float(paper.get(month, 2 + MONTHS.index(month) % 4))


def _spo(month: str) -> float:
    paper = {"2021-10": 1, "2021-11": 2, "2021-12": 2, "2022-01": 3, "2022-02": 3}
    paper |= {"2022-03": 3, "2020-06": 1, "2020-08": 1}
    return float(paper.get(month, 0))


def _pp_rate(month: str) -> tuple[float, float]:
    """(prosecution possible, outcomes counted): 15.8%, 16.3% and 17.1% in Q1 2022."""
    paper = {"2022-01": (158.0, 1000.0), "2022-02": (163.0, 1000.0), "2022-03": (171.0, 1000.0)}
    return paper.get(month, (95.0 + MONTHS.index(month), 1000.0))


def observe(metric_code: str, force: Force, month: str, value, numerator=None, denominator=None):
    metric = Metric.objects.get(code=metric_code)
    return Observation.objects.update_or_create(
        metric=metric,
        force=force,
        period=month,
        defaults={
            "value": value,
            "numerator": value if numerator is None else numerator,
            "denominator": denominator,
        },
    )[0]


@pytest.fixture(name="demo_force")
def demo_force_fixture(db) -> Force:
    load_packs(responses_path=DEMO_RESPONSES)
    load_catalogue()
    try:
        from vawg.governance.services import load_governance_pack

        load_governance_pack()
    except ImportError:  # the governance app is optional to the paper
        pass
    force = Force.objects.get(slug="cambridgeshire")
    for index, month in enumerate(MONTHS):
        observe("missing-median-minutes", force, month, _median_minutes(index, month))
        found = 93.0 if month == "2022-03" else 88.0 + (index % 4)
        observe("missing-juveniles-found-24h", force, month, found, found, 100.0)
        observe("dvpn-granted", force, month, _dvpn(month))
        observe("dvpn-applied", force, month, _dvpn(month))
        observe("spo-applied", force, month, _spo(month))
        numerator, denominator = _pp_rate(month)
        observe(
            "da-prosecution-possible-rate",
            force,
            month,
            100.0 * numerator / denominator,
            numerator,
            denominator,
        )
        # Public data (data.police.uk) is real even in the demo: never marked generated.
        observe("vso-recorded", force, month, 900.0 + index)
    # A quarterly national figure filed under the quarter's last month.
    observe("prc-sso-rank", force, "2022-03", 35.0, 35.0)
    observe("prc-sso-rank", force, "2021-12", 34.0, 34.0)
    # The national outcomes ranking, rolling 12 months, published two months behind.
    for month, rank in (("2021-02", 22.0), ("2021-12", 15.0), ("2022-01", 10.0)):
        observe("national-sso-pp-rank", force, month, rank, rank, 43.0)
    mark_extracts_generated(force)
    return force


def mark_extracts_generated(force: Force) -> None:
    """Trace the extract metrics' figures to an import of generated records, as the demo's.

    Whether a figure is generated follows its source file. The files are recorded as no
    longer live: the fixture writes no Parquet, and live files would be read by the return.
    """
    from django.utils import timezone

    from vawg.imports.models import ImportedFile, ImportRun, ImportSource, RunStatus

    now = timezone.now()
    run = ImportRun.objects.create(
        source=ImportSource.FORCE_EXTRACT,
        started_at=now,
        finished_at=now,
        status=RunStatus.SUCCEEDED,
    )
    files: dict[str, ImportedFile] = {}
    for observation in Observation.objects.filter(force=force).select_related("metric"):
        dataset = observation.metric.dataset
        if dataset in {"street", "outcomes", "stop_and_search", "prc", "force_population"}:
            continue
        if dataset not in files:
            files[dataset] = ImportedFile.objects.create(
                run=run,
                dataset=dataset,
                force=force.slug,
                month="2022-03",
                file_name=f"{dataset}.csv",
                sha256="0" * 64,
                rows=1,
                generated_rows=1,
                parquet_path=f"{dataset}/{force.slug}/2022-03.parquet",
                active=False,
            )
        observation.source_file = files[dataset]
        observation.save(update_fields=["source_file"])
