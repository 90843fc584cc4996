"""The import page: upload, a background job (immediate backend here), progress and outcome;
and the worker thread of ``vawg serve`` running a job queued in the database."""

from __future__ import annotations

import contextlib
import gzip
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse

from vawg.accounts import roles
from vawg.accounts.testing import sign_in
from vawg.imports import jobs
from vawg.imports.models import ImportedFile, ImportJob, ImportRun, JobKind, JobStatus
from vawg.metrics.models import Observation
from vawg.metrics.services import load_catalogue
from vawg.strategy.models import Force

pytestmark = pytest.mark.django_db(transaction=True)

DEMO = Path(jobs.__file__).resolve().parents[1] / "demo" / "police_uk"
STREET = DEMO / "2024-01-cambridgeshire-street.csv.gz"
OUTCOMES = DEMO / "2024-01-cambridgeshire-outcomes.csv.gz"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.TASKS = IMMEDIATE
    settings.VAWG_UPLOADS_DIR = tmp_path / "uploads"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    Force.objects.create(slug="cambridgeshire", name="Cambridgeshire Constabulary")


def _user(role: str, name: str):
    user = get_user_model().objects.create_user(username=name, password="x" * 20)
    roles.assign_role(user, role)
    return user


@pytest.fixture
def analyst(client):
    return sign_in(client, _user(roles.ANALYST, "analyst"))


def _upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def _broken_street() -> SimpleUploadedFile:
    lines = gzip.decompress(STREET.read_bytes()).decode("utf-8-sig").splitlines(keepends=True)
    header = lines[0].replace("Crime type", "Crime kind")
    body = "".join([header, *lines[1:]]).encode()
    return SimpleUploadedFile(STREET.name, gzip.compress(body))


def test_analyst_imports_two_demo_files_and_the_metrics_are_recomputed(analyst, settings):
    load_catalogue()
    response = analyst.post(
        reverse("imports"),
        {"kind": JobKind.POLICE_UK, "files": [_upload(STREET), _upload(OUTCOMES)]},
    )

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("import-job", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert (job.files_done, job.files_total) == (2, 2)
    assert job.created_by.username == "analyst"
    assert job.file_names == [STREET.name, OUTCOMES.name]
    assert job.run.files_imported == 2
    assert set(ImportedFile.objects.values_list("file_name", flat=True)) == {
        STREET.name,
        OUTCOMES.name,
    }
    assert Observation.objects.filter(force__slug="cambridgeshire", period="2024-01").exists()
    # The uploads are gone once imported; the Parquet store holds the rows.
    assert not jobs.job_folder(job.pk).exists()

    page = analyst.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 of 2 files" in html
    assert '<progress class="vawg-progress" value="2" max="2"' in html
    assert 'http-equiv="refresh"' not in html  # finished: no more refreshing
    assert reverse("reckoner") in html
    assert f"{job.run.rows_accepted}" in html

    listing = analyst.get(reverse("imports")).content.decode()
    assert reverse("import-job", args=[job.pk]) in listing
    assert "Succeeded" in listing


def test_a_broken_file_fails_the_job_naming_file_and_row_and_nothing_is_imported(analyst):
    analyst.post(
        reverse("imports"),
        {"kind": JobKind.POLICE_UK, "files": [_broken_street(), _upload(OUTCOMES)]},
    )

    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert not ImportedFile.objects.exists()
    assert job.run is not None and job.run.status == "failed"
    [error] = job.errors
    assert (error["file"], error["row"]) == (STREET.name, 1)
    assert "row 1" in job.message and "Nothing was imported." in job.message
    assert str(jobs.job_folder(job.pk)) not in job.message  # names, never server paths

    html = analyst.get(reverse("import-job", args=[job.pk])).content.decode()
    assert "nothing was imported" in html
    assert f"<strong>{STREET.name}</strong>, row 1" in html


def test_a_queued_job_page_refreshes_itself_and_shows_progress(analyst):
    job = ImportJob.objects.create(
        kind=JobKind.POLICE_UK, file_names=["a.csv", "b.csv", "c.csv"], files_total=3, files_done=1
    )
    html = analyst.get(reverse("import-job", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "1 of 3 files" in html
    assert '<progress class="vawg-progress" value="1" max="3"' in html
    assert "<script>" not in html and "style=" not in html  # nothing the CSP would block


@pytest.mark.parametrize(
    ("status", "done", "total", "label", "bar"),
    [
        (JobStatus.SUCCEEDED, 2, 2, "2 of 2 files", 'value="2" max="2"'),
        # A job that ended early has nothing left to do: the bar is full, the label says why.
        (JobStatus.FAILED, 1, 2, "Stopped after 1 of 2 files", 'value="2" max="2"'),
        (JobStatus.FAILED, 0, 0, "Stopped after 0 of 0 files", 'value="1" max="1"'),
        (JobStatus.RUNNING, 2, 2, "2 of 2 files", 'value="2" max="2"'),
        (JobStatus.RUNNING, 0, 2, "0 of 2 files", 'value="0" max="2"'),
    ],
)
def test_the_progress_bar_is_full_once_the_job_has_ended(analyst, status, done, total, label, bar):
    job = ImportJob.objects.create(
        kind=JobKind.POLICE_UK,
        file_names=["a.csv", "b.csv"][:total],
        files_total=total,
        files_done=done,
        status=status,
    )
    html = analyst.get(reverse("import-job", args=[job.pk])).content.decode()
    assert f'<p class="govuk-body" id="progress-label">{label}</p>' in html
    assert f'<progress class="vawg-progress" {bar} aria-labelledby="progress-label">' in html


def test_file_names_and_types_are_checked_before_anything_is_queued(analyst):
    response = analyst.post(
        reverse("imports"),
        {
            "kind": JobKind.POLICE_UK,
            "files": [
                SimpleUploadedFile("street.csv", b"x"),
                SimpleUploadedFile("2024-01-cambridgeshire-street.xlsx", b"x"),
                SimpleUploadedFile("notes.txt", b"x"),
            ],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "not a data.police.uk file name" in html
    assert "must be a CSV file" in html
    assert "notes.txt must be a CSV" in html
    assert not ImportJob.objects.exists()

    missing = analyst.post(reverse("imports"), {"kind": JobKind.POLICE_UK})
    assert "Select the files to import" in missing.content.decode()


def test_files_over_the_size_limit_are_refused(analyst, settings):
    settings.VAWG_MAX_IMPORT_BYTES = 10
    response = analyst.post(
        reverse("imports"), {"kind": JobKind.POLICE_UK, "files": [_upload(STREET)]}
    )
    assert f"{STREET.name} must be smaller than 10\xa0bytes" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("limit", "words"),
    [(200 * 1024 * 1024, "200\xa0MB"), (1536 * 1024, "1.5\xa0MB"), (2 * 1024**3, "2\xa0GB")],
)
def test_the_upload_limit_is_written_as_people_set_it(analyst, settings, limit, words):
    settings.VAWG_MAX_IMPORT_BYTES = limit
    html = analyst.get(reverse("imports")).content.decode()
    assert f"Each file must be smaller than {words}." in html
    assert ".0 MB" not in html


def test_a_client_path_never_reaches_the_disk(tmp_path, settings):
    upload = SimpleUploadedFile("x", STREET.read_bytes())
    upload.name = "../../2024-01-cambridgeshire-street.csv.gz"  # past Django's own clean-up
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = jobs.create_job(user=None, kind=JobKind.POLICE_UK, uploads=[upload])
    assert job.file_names == [STREET.name]
    assert [p.name for p in jobs.job_folder(job.pk).iterdir()] == [STREET.name]
    assert jobs.job_folder(job.pk).parent == settings.VAWG_UPLOADS_DIR / "imports"


def test_a_board_member_may_neither_see_nor_use_the_page(client):
    sign_in(client, _user(roles.BOARD_MEMBER, "board"))
    job = ImportJob.objects.create(kind=JobKind.POLICE_UK, file_names=["a.csv"], files_total=1)
    assert client.get(reverse("imports")).status_code == 403
    response = client.post(
        reverse("imports"), {"kind": JobKind.POLICE_UK, "files": [_upload(STREET)]}
    )
    assert response.status_code == 403
    assert client.get(reverse("import-job", args=[job.pk])).status_code == 403
    assert ImportJob.objects.count() == 1


def test_an_administrator_may_use_the_page(client):
    sign_in(client, _user(roles.ADMINISTRATOR, "admin"))
    assert client.get(reverse("imports")).status_code == 200


def test_the_task_writes_progress_as_files_are_done(monkeypatch, settings):
    job = ImportJob.objects.create(
        kind=JobKind.POLICE_UK, file_names=["a.csv", "b.csv", "c.csv"], files_total=3
    )
    jobs.job_folder(job.pk).mkdir(parents=True)
    seen: list[tuple[str, int]] = []
    real_run = ImportRun.objects.create(
        started_at="2024-01-01T00:00Z", finished_at="2024-01-01T00:00Z", status="unchanged"
    )

    def fake_import(paths, *, progress):
        for path in paths:
            row = ImportJob.objects.get(pk=job.pk)
            seen.append((row.status, row.files_done))
            progress(path)
        return real_run

    monkeypatch.setattr("vawg.imports.services.import_police_uk", fake_import)
    monkeypatch.setattr(jobs, "PROGRESS_INTERVAL", 0)
    assert jobs.run_import_job.call(job.pk) == JobStatus.SUCCEEDED

    job.refresh_from_db()
    assert seen == [("running", 0), ("running", 1), ("running", 2)]
    assert (job.status, job.files_done, job.run) == (JobStatus.SUCCEEDED, 3, real_run)
    # A job runs once: a second delivery of the same task does nothing.
    assert jobs.run_import_job.call(job.pk) == "skipped"


def test_progress_writes_are_throttled(monkeypatch):
    job = ImportJob.objects.create(kind=JobKind.POLICE_UK, files_total=100)
    writes = []
    progress = jobs._Progress(job.pk, 100)
    real_update = ImportJob.objects.filter(pk=job.pk).update
    monkeypatch.setattr(
        jobs.ImportJob.objects, "filter", lambda **kw: _Recorder(writes, real_update)
    )
    for n in range(100):
        progress(Path(f"{n}.csv"))
    # The first file, then none within 0.5 s, then the last.
    assert writes == [1, 100]


class _Recorder:
    def __init__(self, writes, update):
        self.writes, self.real = writes, update

    def update(self, files_done):
        self.writes.append(files_done)
        return self.real(files_done=files_done)


def test_the_serve_worker_thread_runs_a_job_queued_in_the_database(analyst, settings):
    from vawg.cli.worker import start_worker_thread

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    analyst.post(reverse("imports"), {"kind": JobKind.POLICE_UK, "files": [_upload(OUTCOMES)]})
    job = ImportJob.objects.get()
    assert job.status == JobStatus.QUEUED  # queued in the database, not run in the request

    worker = start_worker_thread(interval=0.05)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OperationalError):  # SQLite: the worker holds a lock
                job.refresh_from_db()
            if not job.active:
                break
            time.sleep(0.1)
    finally:
        worker.stop(timeout=30)
    assert not worker.thread.is_alive()
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert ImportedFile.objects.filter(file_name=OUTCOMES.name, active=True).exists()


def test_runs_table_counts_files_and_months_separately(analyst, tmp_path):
    """Two extracts spanning six months: 2 files, and one month partition per month each."""
    from vawg.demo.generator import generate
    from vawg.imports.tables import extract_file, import_tables

    extracts = generate(tmp_path / "extracts", start="2021-10", end="2022-03")
    chosen = [extracts["marac-referrals"], extracts["da-incidents"]]
    run = import_tables(
        [extract_file(path, force="cambridgeshire") for path in chosen],
        source_kind="force-extract",
    )
    partitions = ImportedFile.objects.filter(run=run).count()
    assert run.files_imported == partitions == 12  # 6 months x 2 files
    html = analyst.get(reverse("imports")).content.decode()
    assert "Months imported</th>" in html and "Months unchanged</th>" in html
    cells = [
        '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>',
        '<td class="govuk-table__cell govuk-table__cell--numeric">12</td>',
        '<td class="govuk-table__cell govuk-table__cell--numeric">0</td>',
    ]
    assert "\n      ".join(cells) in html
