"""Imports from the import page: save the uploads, queue a job, run it in the background.

The page calls :func:`create_job`, which saves the uploaded files under
``VAWG_UPLOADS_DIR/imports/<job id>/`` (sanitised base names only, never a client's path) and
enqueues :func:`run_import_job` on the django-tasks backend of ``settings.TASKS``: the
database backend, worked by the thread ``vawg serve`` starts (or ``vawg manage db_worker``).
The task runs the same import services as ``vawg import``, all or nothing, writes its
progress to the job as files are done, records the outcome, recomputes the metrics the
import touched and removes the uploads.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.utils import timezone
from django.utils.text import get_valid_filename
from django_tasks import task

from vawg.errors import InputFileError, VawgError
from vawg.imports.models import ImportJob, ImportRun, ImportSource, JobKind, JobStatus

__all__ = [
    "ACCEPTED_SUFFIXES",
    "create_job",
    "job_folder",
    "run_import_job",
    "safe_file_name",
]

logger = logging.getLogger(__name__)

#: File endings the import page accepts (data.police.uk: .csv and .csv.gz only).
ACCEPTED_SUFFIXES = (".csv", ".csv.gz", ".xlsx")
#: At most one progress write to the database this often (seconds); the last file always.
PROGRESS_INTERVAL = 0.5


def job_folder(job_id: int) -> Path:
    """Where a job's uploaded files wait until it has run."""
    return Path(settings.VAWG_UPLOADS_DIR) / "imports" / str(int(job_id))


def safe_file_name(name: str) -> str:
    """The base name of an uploaded file, safe to create on disk.

    Any folder the browser sent is dropped, and characters other than letters, digits,
    ``-``, ``_`` and ``.`` are removed (spaces become ``_``), as Django's storage does.

    >>> safe_file_name("C:\\\\Users\\\\me\\\\2024-01-kent-street.csv")
    '2024-01-kent-street.csv'
    >>> safe_file_name("../../etc/passwd")
    'passwd'
    """
    base = PurePosixPath(name.replace("\\", "/")).name
    try:
        cleaned = get_valid_filename(base)
    except SuspiciousFileOperation:
        raise VawgError(f"{name!r} is not a usable file name") from None
    if cleaned.startswith("."):
        raise VawgError(f"{name!r} is not a usable file name")
    return cleaned


def create_job(*, user, kind: str, uploads: Sequence, force: str = "") -> ImportJob:
    """Save ``uploads`` (Django ``UploadedFile``\\ s) for a new job and queue it.

    Raises :class:`VawgError` for a file name that cannot be used or given twice; then no
    job is made.
    """
    names = [safe_file_name(upload.name) for upload in uploads]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise VawgError(f"{name} is given twice; upload each file once")
        seen.add(name)
    job = ImportJob.objects.create(
        created_by=user if getattr(user, "is_authenticated", False) else None,
        kind=kind,
        force=force,
        file_names=names,
        files_total=len(names),
    )
    folder = job_folder(job.pk)
    try:
        folder.mkdir(parents=True, exist_ok=False)
        for upload, name in zip(uploads, names, strict=True):
            with (folder / name).open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        _finish(job.pk, JobStatus.FAILED, message=f"The files could not be saved: {exc.strerror}")
        raise VawgError(f"the uploaded files could not be saved ({exc.strerror})") from exc
    logger.info("import job %d queued: %d %s files", job.pk, len(names), kind)
    run_import_job.enqueue(job.pk)
    return job


class _Progress:
    """The ``progress`` callback of an import: counts files, writes the count now and then."""

    def __init__(self, job_id: int, total: int) -> None:
        self.job_id = job_id
        self.total = total
        self.done = 0
        self.written_at: float | None = None

    def __call__(self, _path: Path) -> None:
        self.done += 1
        now = time.monotonic()
        due = self.written_at is None or now - self.written_at >= PROGRESS_INTERVAL
        if due or self.done >= self.total:
            # update(): no model signals, so no audit event per file.
            ImportJob.objects.filter(pk=self.job_id).update(files_done=min(self.done, self.total))
            self.written_at = now


@task()
def run_import_job(job_id: int) -> str:
    """Run an import job queued by :func:`create_job`; returns its final status.

    A refused file fails the job with every refusal recorded (file, row, column); nothing is
    imported then. Any other error also fails the job, and is raised again for the task log.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        logger.warning("import job %s is not queued; not run again", job_id)
        return "skipped"
    job = ImportJob.objects.get(pk=job_id)
    folder = job_folder(job_id)
    try:
        run = _import(job, [folder / name for name in job.file_names])
    except VawgError as exc:
        from vawg.imports.services import ImportFailedError

        errors = exc.errors if isinstance(exc, ImportFailedError) else [exc]
        run = exc.run if isinstance(exc, ImportFailedError) else None
        lines = [str(error) for error in errors]
        _finish(
            job_id,
            JobStatus.FAILED,
            run=run,
            errors=[_describe(error) for error in errors],
            message="\n".join([*lines, "Nothing was imported."]),
        )
        return JobStatus.FAILED
    except Exception as exc:
        _finish(job_id, JobStatus.FAILED, message=f"Internal error: {exc!r}. Nothing was imported.")
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    message = run.message
    try:
        from vawg.metrics.services import recompute_after_import

        summary = recompute_after_import(run)
    except Exception:
        # The files are imported; say the figures lag rather than call the import failed.
        logger.exception("import job %s: metrics not recomputed", job_id)
        message += "; the metrics could not be recomputed: run `vawg init` or ask an admin"
    else:
        if summary is not None:
            message += f"; {summary.observations} observations of {summary.metrics} metrics"
    _finish(job_id, JobStatus.SUCCEEDED, run=run, message=message, files_done=job.files_total)
    return JobStatus.SUCCEEDED


def _import(job: ImportJob, paths: list[Path]) -> ImportRun:
    from vawg.imports.services import import_police_uk
    from vawg.imports.tables import extract_file, import_tables

    progress = _Progress(job.pk, job.files_total)
    if job.kind == JobKind.POLICE_UK:
        return import_police_uk(paths, progress=progress)
    if not job.force:
        raise VawgError("a force system extract needs a force")
    tables = [extract_file(path, force=job.force) for path in paths]
    return import_tables(tables, source_kind=ImportSource.FORCE_EXTRACT, progress=progress)


def _describe(error: Exception) -> dict:
    """A refusal as the job page lists it."""
    if isinstance(error, InputFileError):
        return {
            "file": error.path.name,
            "row": error.row,
            "column": error.column or "",
            "problem": error.problem,
            "text": str(error),
        }
    return {"file": "", "row": None, "column": "", "problem": str(error), "text": str(error)}


def _finish(job_id: int, status: str, *, run=None, errors=(), message="", **fields) -> None:
    job = ImportJob.objects.get(pk=job_id)
    job.status = status
    job.finished_at = timezone.now()
    job.run = run
    job.errors = list(errors)
    job.message = message
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()
    logger.info("import job %s %s", job_id, status)
