"""An import killed after its commit, before the metrics were recomputed, is caught up later.

Each test lets the import commit, then kills the process (an exception no handler catches)
at the recompute, or fails the recompute; the next import (even of the same, now unchanged
file), the import page or ``vawg init`` must bring the observations up to date. Expected
values are counted from the source files with the csv module.
"""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile

from vawg.cli.import_command import import_group
from vawg.demo.generator import generate
from vawg.demo.setup import DEMO_POLICE_UK_DIR, initialise
from vawg.imports import jobs, selectors
from vawg.imports.models import ImportJob, ImportRun, JobKind, JobStatus, RunStatus
from vawg.metrics import services
from vawg.metrics.models import Observation
from vawg.metrics.services import load_catalogue
from vawg.strategy.models import Force

pytestmark = pytest.mark.django_db(transaction=True)

STREET = DEMO_POLICE_UK_DIR / "2024-01-cambridgeshire-street.csv.gz"
VSO = "Violence and sexual offences"


class Killed(BaseException):
    """The process dying: not an Exception, so no handler on the way catches it."""


@pytest.fixture(autouse=True)
def _catalogue():
    Force.objects.create(slug="cambridgeshire", name="Cambridgeshire Constabulary")
    load_catalogue()


def vso_in_file(path: Path) -> int:
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
        return sum(1 for row in csv.DictReader(fh) if row["Crime type"] == VSO)


def observed(code: str) -> dict[str, float]:
    return dict(
        Observation.objects.filter(metric__code=code, force__slug="cambridgeshire").values_list(
            "period", "numerator"
        )
    )


def kill_at_recompute(monkeypatch) -> None:
    def die(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(services, "compute_observations", die)


def import_street() -> object:
    return CliRunner().invoke(import_group, ["police-uk", str(STREET)])


def test_police_uk_rerun_catches_up_after_a_kill_between_commit_and_recompute(monkeypatch):
    kill_at_recompute(monkeypatch)
    with pytest.raises(Killed):
        import_street()
    monkeypatch.undo()
    # The import committed; its metrics were never computed, and the run says so.
    run = ImportRun.objects.get()
    assert (run.status, run.files_imported, run.metrics_recomputed_at) == ("succeeded", 1, None)
    assert selectors.source_file_for("street", "cambridgeshire", "2024-01") is not None
    assert observed("vso-recorded") == {}

    again = import_street()

    assert again.exit_code == 0, again.output
    assert "files unchanged             1" in again.stdout
    assert "Metrics recomputed" in again.stdout
    assert observed("vso-recorded") == {"2024-01": vso_in_file(STREET)}
    assert vso_in_file(STREET) > 2000  # a real month, not an empty one
    run.refresh_from_db()
    assert run.metrics_recomputed_at is not None
    assert not selectors.runs_awaiting_recompute().exists()


def test_a_kill_inside_the_recompute_leaves_the_run_outstanding(monkeypatch):
    real = services._compute

    def compute_then_die(*args, **kwargs):
        real(*args, **kwargs)  # observations written in the transaction, then the kill
        raise Killed

    monkeypatch.setattr(services, "_compute", compute_then_die)
    with pytest.raises(Killed):
        import_street()
    monkeypatch.undo()
    assert observed("vso-recorded") == {}  # rolled back with the mark
    assert list(selectors.runs_awaiting_recompute()) == [ImportRun.objects.get()]

    assert import_street().exit_code == 0
    assert observed("vso-recorded") == {"2024-01": vso_in_file(STREET)}


def test_a_done_recompute_is_not_repeated():
    assert import_street().exit_code == 0
    again = import_street()
    assert again.exit_code == 0
    assert "Metrics recomputed" not in again.stdout
    assert ImportRun.objects.filter(metrics_recomputed_at__isnull=True).count() == 1
    assert ImportRun.objects.filter(status=RunStatus.UNCHANGED).count() == 1


def test_vawg_init_catches_up(monkeypatch):
    kill_at_recompute(monkeypatch)
    with pytest.raises(Killed):
        import_street()
    monkeypatch.undo()

    initialise(demo=False)

    assert observed("vso-recorded") == {"2024-01": vso_in_file(STREET)}
    assert not selectors.runs_awaiting_recompute().exists()


def test_extract_rerun_catches_up(monkeypatch, tmp_path):
    extract = generate(tmp_path)["da-incidents"]
    with extract.open(encoding="utf-8", newline="") as fh:
        expected = Counter(row["month"] for row in csv.DictReader(fh))
    args = ["extract", str(extract), "--force", "cambridgeshire"]

    kill_at_recompute(monkeypatch)
    with pytest.raises(Killed):
        CliRunner().invoke(import_group, args)
    monkeypatch.undo()
    assert ImportRun.objects.get().files_imported == len(expected)
    assert observed("da-incidents") == {}

    again = CliRunner().invoke(import_group, args)

    assert again.exit_code == 0, again.output
    assert f"months unchanged {len(expected):>12,}" in again.stdout
    assert observed("da-incidents") == {month: float(n) for month, n in expected.items()}


def test_page_import_whose_recompute_failed_is_caught_up_by_the_next(monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.VAWG_UPLOADS_DIR = settings.DATA_DIR / "uploads"

    def run_job() -> ImportJob:
        upload = SimpleUploadedFile(STREET.name, STREET.read_bytes())
        job = jobs.create_job(user=None, kind=JobKind.POLICE_UK, uploads=[upload])
        job.refresh_from_db()
        return job

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "compute_observations", fail)
    first = run_job()
    monkeypatch.undo()
    assert first.status == JobStatus.SUCCEEDED
    assert "the metrics could not be recomputed" in first.message
    assert observed("vso-recorded") == {}

    second = run_job()

    assert second.status == JobStatus.SUCCEEDED, second.message
    assert second.run.status == RunStatus.UNCHANGED
    assert observed("vso-recorded") == {"2024-01": vso_in_file(STREET)}
