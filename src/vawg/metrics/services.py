"""Writing metrics: load the catalogue into the database and compute monthly observations.

Observations are aggregates of the row-level Parquet store, computed with DuckDB from the
files the import records say are live; only these aggregates enter the relational database.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
from django.db import transaction

from vawg.analytics.datasets import SCHEMAS
from vawg.analytics.store import open_views
from vawg.audit.recording import record_bulk
from vawg.imports import selectors as import_selectors
from vawg.metrics.catalogue import MetricDefinition, read_catalogue
from vawg.metrics.models import Metric, Observation
from vawg.strategy.models import Force

logger = logging.getLogger(__name__)


def load_catalogue() -> int:
    """Create or update every metric definition from the catalogue files; returns the count."""
    count = 0
    with transaction.atomic():
        for group_title, definitions in read_catalogue().values():
            for definition in definitions:
                _store_definition(definition, group_title)
                count += 1
    logger.info("metric catalogue loaded: %d metrics", count)
    return count


def _store_definition(definition: MetricDefinition, group_title: str) -> None:
    Metric.objects.update_or_create(
        code=definition.code,
        defaults={
            "title": definition.title,
            "group": definition.group,
            "group_title": group_title,
            "position": definition.position,
            "unit": definition.unit,
            "polarity": definition.polarity,
            "source": definition.source,
            "dataset": definition.dataset,
            "formula": definition.formula,
            "query": definition.query,
            "target": definition.target,
            "screen_outliers": definition.screen_outliers,
            "min_points": definition.min_points,
            "data_quality_note": definition.data_quality_note,
        },
    )


@dataclass(frozen=True)
class ComputeSummary:
    metrics: int
    observations: int
    seconds: float


def compute_observations(metrics: Iterable[Metric] | None = None) -> ComputeSummary:
    """Recompute every observation of the given metrics (default: all) from the live files.

    Whole series are replaced in one transaction, so a page never sees half a recompute, and
    a month whose source file has gone loses its observation rather than keeping a stale one.
    """
    started = time.perf_counter()
    metric_list = list(metrics if metrics is not None else Metric.objects.all())
    files = {dataset: import_selectors.active_parquet_paths(dataset) for dataset in SCHEMAS}
    sources = {
        (f.dataset, f.force, f.month): f
        for dataset in SCHEMAS
        for f in import_selectors.active_files(dataset)
    }
    connection = open_views(files)
    forces: dict[str, Force] = {}
    written = 0
    try:
        with transaction.atomic():
            for metric in metric_list:
                try:
                    rows = connection.sql(metric.query).fetchall()
                except duckdb.CatalogException:
                    # The metric's source has never been imported: it has no observations
                    # (a gap, shown grey), which is not an error in the other metrics.
                    logger.info("metric %s: its source data is not loaded", metric.code)
                    rows = []
                Observation.objects.filter(metric=metric).delete()
                observations = []
                for force_slug, month, numerator, denominator in rows:
                    force = forces.get(force_slug) or _force(force_slug, forces)
                    observations.append(
                        Observation(
                            metric=metric,
                            force=force,
                            period=month,
                            numerator=float(numerator),
                            denominator=None if denominator is None else float(denominator),
                            value=observation_value(metric.unit, numerator, denominator),
                            source_file=sources.get((metric.dataset, force_slug, month)),
                        )
                    )
                Observation.objects.bulk_create(observations, batch_size=2000)
                written += len(observations)
            # bulk_create sends no signals: one audit event stands for the whole recompute.
            record_bulk(Observation, written, "change", f"recomputed {len(metric_list)} metrics")
    finally:
        connection.close()
    summary = ComputeSummary(len(metric_list), written, time.perf_counter() - started)
    logger.info(
        "observations computed: %d metrics, %d observations, %.2f s",
        summary.metrics,
        summary.observations,
        summary.seconds,
    )
    return summary


def _force(slug: str, cache: dict[str, Force]) -> Force:
    force, _ = Force.objects.get_or_create(
        slug=slug, defaults={"name": slug.replace("-", " ").title()}
    )
    cache[slug] = force
    return force


def observation_value(unit: str, numerator: float, denominator: float | None) -> float | None:
    """The figure shown for a month: a count as is, a percentage of its denominator.

    >>> observation_value("percent", 25, 200)
    12.5
    >>> observation_value("percent", 0, 0) is None
    True
    >>> observation_value("count", 2156, None)
    2156.0
    """
    if unit == "percent":
        if not denominator:
            return None
        return 100.0 * float(numerator) / float(denominator)
    if denominator is not None and unit == "rate":
        return None if not denominator else float(numerator) / float(denominator)
    value = float(numerator)
    return None if math.isnan(value) else value
