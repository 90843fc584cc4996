"""Writing metrics: load the catalogue into the database and compute monthly observations.

Observations are aggregates of the row-level Parquet store, computed with DuckDB from the
files the import records say are live; only these aggregates enter the relational database.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max

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
            "baseline_points": definition.baseline_points,
            "rebase": [
                {"period": period, "reason": reason} for period, reason in definition.rebase
            ],
            "data_quality_note": definition.data_quality_note,
        },
    )


@dataclass(frozen=True)
class ComputeSummary:
    metrics: int
    observations: int
    seconds: float


# Metrics over these datasets compare forces (ranks): they are always recomputed whole.
NATIONAL_DATASETS = frozenset({"prc", "force_population", "national_outcomes"})


def compute_observations(
    metrics: Iterable[Metric] | None = None, *, forces: Collection[str] | None = None
) -> ComputeSummary:
    """Recompute observations of the given metrics (default: all) from the live files.

    With ``forces``, only those forces' observations are recomputed, from their files alone
    (an import of one force's month need not re-read the national archive); metrics over
    national tables are recomputed whole regardless. Series are replaced in one transaction,
    so a page never sees half a recompute, and a month whose source file has gone loses its
    observation rather than keeping a stale one.
    """
    started = time.perf_counter()
    metric_list = list(metrics if metrics is not None else Metric.objects.all())
    scoped = [m for m in metric_list if forces is not None and m.dataset not in NATIONAL_DATASETS]
    whole = [m for m in metric_list if m not in scoped]
    written = 0
    with transaction.atomic():
        if whole:
            written += _compute(whole, forces=None)
        if scoped:
            written += _compute(scoped, forces=forces)
        # bulk_create sends no signals: one audit event stands for the whole recompute.
        record_bulk(Observation, written, "change", f"recomputed {len(metric_list)} metrics")
    summary = ComputeSummary(len(metric_list), written, time.perf_counter() - started)
    logger.info(
        "observations computed: %d metrics, %d observations, %s, %.2f s",
        summary.metrics,
        summary.observations,
        "all forces" if forces is None else f"{len(forces)} forces",
        summary.seconds,
    )
    return summary


def recompute_after_import(run) -> ComputeSummary | None:
    """Bring every metric up to date with what the import ``run`` changed, and any earlier
    run whose recompute never happened.

    Shared by ``vawg import`` and the background import jobs of the import page. ``run``
    itself needs nothing when it changed nothing (unchanged or failed); the recompute still
    catches up on runs left outstanding, e.g. by a process killed after an import committed.
    None if nothing was outstanding.
    """
    return recompute_outstanding()


def recompute_outstanding() -> ComputeSummary | None:
    """Recompute the metrics of every import run that is still waiting for it.

    Only the metrics over the datasets those runs changed, for the forces they changed
    (metrics over national tables whole). The observations and the runs' marks are written in
    one transaction: if this is killed, the runs stay outstanding and the next import or
    ``vawg init`` does the work. None if no run was waiting.
    """
    from django.utils import timezone

    from vawg.imports.models import ImportedFile, ImportRun

    with transaction.atomic():
        # Locked, so that two recomputes at once (a command and a page import) take turns:
        # the second then finds the runs done. Only the runs seen now are marked; one
        # committing meanwhile stays outstanding for its own import's recompute.
        pending = list(
            import_selectors.runs_awaiting_recompute()
            .select_for_update()
            .values_list("pk", flat=True)
        )
        if not pending:
            return None
        touched = (
            ImportedFile.objects.filter(run__in=pending).values_list("dataset", "force").distinct()
        )
        datasets = {dataset for dataset, _ in touched}
        forces = {force for _, force in touched}
        summary = compute_observations(Metric.objects.filter(dataset__in=datasets), forces=forces)
        ImportRun.objects.filter(pk__in=pending).update(metrics_recomputed_at=timezone.now())
    logger.info("metrics recomputed for %d import runs", len(pending))
    return summary


def _compute(metric_list: list[Metric], *, forces: Collection[str] | None) -> int:
    live = [
        f
        for dataset in SCHEMAS
        for f in import_selectors.active_files(dataset)
        if forces is None or f.force in forces
    ]
    parquet_dir = Path(settings.VAWG_PARQUET_DIR)
    files: dict[str, list[Path]] = {}
    for f in live:
        files.setdefault(f.dataset, []).append(parquet_dir / f.parquet_path)
    sources = {(f.dataset, f.force, f.month): f for f in live}
    cache: dict[str, Force] = {}
    written = 0
    connection = open_views(files)
    try:
        for metric in metric_list:
            try:
                rows = connection.sql(metric.query).fetchall()
            except duckdb.CatalogException:
                # The metric's source has never been imported: it has no observations (a
                # gap, shown grey), which is not an error in the other metrics.
                logger.info("metric %s: its source data is not loaded", metric.code)
                rows = []
            stale = Observation.objects.filter(metric=metric)
            if forces is not None:
                stale = stale.filter(force__slug__in=forces)
            stale.delete()
            observations = [
                Observation(
                    metric=metric,
                    force=cache.get(force_slug) or _force(force_slug, cache),
                    period=month,
                    numerator=float(numerator),
                    denominator=None if denominator is None else float(denominator),
                    value=observation_value(metric.unit, numerator, denominator),
                    source_file=sources.get((metric.dataset, force_slug, month)),
                )
                for force_slug, month, numerator, denominator in rows
            ]
            Observation.objects.bulk_create(observations, batch_size=2000)
            written += len(observations)
    finally:
        connection.close()
    return written


def data_version() -> str:
    """A token that changes whenever any observation or metric definition changes.

    Anything derived from the observations (reckoner rows, ratings) may be cached under it.
    """
    # Two queries, not one aggregate: alone, MAX reads the end of the computed_at index and
    # COUNT(*) the smallest index, where together they scan every row (20 ms against under 3
    # at 155,000 observations, paid by every reckoner page).
    latest = Observation.objects.aggregate(latest=Max("computed_at"))["latest"]
    definitions = Metric.objects.aggregate(latest=Max("updated_at"), count=Count("id"))
    parts = (
        latest,
        Observation.objects.count(),
        definitions["latest"],
        definitions["count"],
    )
    # Hashed: cache keys must be short and free of spaces.
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


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
