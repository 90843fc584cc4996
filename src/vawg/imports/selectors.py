"""Reads of the import record: which Parquet files are live, per dataset and force."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from vawg.imports.models import ImportedFile, ImportRun, RunStatus


def active_files(dataset: str, force: str | None = None) -> list[ImportedFile]:
    """The live imported files of ``dataset`` (optionally one force), by force then month."""
    files = ImportedFile.objects.filter(dataset=dataset, active=True)
    if force is not None:
        files = files.filter(force=force)
    return list(files.order_by("force", "month"))


def active_parquet_paths(dataset: str, force: str | None = None) -> list[Path]:
    """Absolute paths of the live Parquet files of ``dataset`` (optionally one force).

    Pass them, per dataset, to ``vawg.analytics.store.open_views``.
    """
    root = Path(settings.VAWG_PARQUET_DIR)
    files = ImportedFile.objects.filter(dataset=dataset, active=True)
    if force is not None:
        files = files.filter(force=force)
    return [
        root / relpath
        for relpath in files.order_by("force", "month").values_list("parquet_path", flat=True)
    ]


def source_file_for(dataset: str, force: str, month: str) -> ImportedFile | None:
    """The live file for one dataset, force and month (``YYYY-MM``), or None."""
    return ImportedFile.objects.filter(
        dataset=dataset, force=force, month=month, active=True
    ).first()


def forces() -> list[str]:
    """Slugs of the forces that have at least one live file, in order."""
    return list(
        ImportedFile.objects.filter(active=True)
        .order_by("force")
        .values_list("force", flat=True)
        .distinct()
    )


def runs_awaiting_recompute() -> QuerySet[ImportRun]:
    """Runs that made files live but whose metrics were never recomputed, oldest first."""
    return ImportRun.objects.filter(
        status=RunStatus.SUCCEEDED, files_imported__gt=0, metrics_recomputed_at__isnull=True
    ).order_by("started_at", "id")


def generated_datasets(force: str | None = None) -> frozenset[str]:
    """Datasets whose live files hold generated (invented) records, for one force or any.

    A metric over such a dataset rests on invented figures and must say so wherever it is
    shown; the answer follows the imports, so a force that imports its own extracts in
    place of the generated ones loses the mark with no setting to change.
    """
    files = ImportedFile.objects.filter(active=True, generated_rows__gt=0)
    if force is not None:
        files = files.filter(force=force)
    return frozenset(files.order_by().values_list("dataset", flat=True).distinct())


def holds_generated_data(force: str | None = None) -> bool:
    """Whether a force (or, with None, any force) has live generated records."""
    files = ImportedFile.objects.filter(active=True, generated_rows__gt=0)
    if force is not None:
        files = files.filter(force=force)
    return files.exists()
