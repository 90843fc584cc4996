"""The record of imports: each run, and each source file it made live in the Parquet store.

The database is the source of truth for which Parquet files are live: a file is live exactly
when an active ``ImportedFile`` names it. Everything else in the Parquet folders is an orphan
that the next import removes (see ``vawg.imports.services``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ImportSource(models.TextChoices):
    """Where an import's files come from."""

    POLICE_UK = "police-uk", "data.police.uk"
    FORCE_EXTRACT = "force-extract", "Force system extract"
    HOME_OFFICE = "home-office", "Home Office and ONS tables"


class RunStatus(models.TextChoices):
    """How an import run ended."""

    SUCCEEDED = "succeeded", "Succeeded"
    UNCHANGED = "unchanged", "Unchanged (every file already imported)"
    FAILED = "failed", "Failed (nothing imported)"


class Dataset(models.TextChoices):
    """Every dataset of the store; values are also the Parquet folder and DuckDB view names.

    Kept in step with ``vawg.analytics.datasets.SCHEMAS`` (a test checks).
    """

    STREET = "street", "Street-level crime"
    OUTCOMES = "outcomes", "Outcomes"
    STOP_AND_SEARCH = "stop_and_search", "Stop and search"
    # Force system extracts (templates in vawg.extracts.templates; docs/templates/).
    DA_INCIDENTS = "da_incidents", "Domestic abuse incidents"
    DA_CRIMES = "da_crimes", "Domestic abuse crimes"
    PROTECTIVE_ORDERS = "protective_orders", "Protective orders"
    CLARES_LAW = "clares_law", "Clare's Law applications"
    MARAC_REFERRALS = "marac_referrals", "MARAC referrals"
    MISSING_EPISODES = "missing_episodes", "Missing episodes"
    FINALISED_CRIMES = "finalised_crimes", "Finalised crimes"
    SPECIALIST_STAFF = "specialist_staff", "Specialist-trained staff"
    VICTIM_FEEDBACK = "victim_feedback", "Victim feedback"
    PARTNER_REFERRALS = "partner_referrals", "Partner referrals"
    # National tables.
    PRC = "prc", "Home Office police recorded crime"
    FORCE_POPULATION = "force_population", "Census 2011 population by force"


class ImportRun(models.Model):
    """One run of an import command over a set of files; recorded whether it worked or not."""

    source = models.CharField(
        max_length=20,
        choices=ImportSource.choices,
        default=ImportSource.POLICE_UK,
        help_text="Where the imported files come from.",
    )
    started_at = models.DateTimeField(help_text="When the run started.")
    finished_at = models.DateTimeField(help_text="When the run finished or failed.")
    status = models.CharField(
        max_length=10,
        choices=RunStatus.choices,
        help_text="Succeeded, unchanged (all files already imported) or failed (nothing kept).",
    )
    files_imported = models.PositiveIntegerField(
        default=0, help_text="Files new to the store in this run (including restatements)."
    )
    files_unchanged = models.PositiveIntegerField(
        default=0, help_text="Files whose exact content was already live, so skipped."
    )
    rows_accepted = models.PositiveBigIntegerField(
        default=0, help_text="Rows written to the store by this run."
    )
    rows_rejected = models.PositiveBigIntegerField(
        default=0, help_text="Invalid rows found; any invalid row fails the whole run."
    )
    message = models.TextField(
        blank=True, help_text="Outcome for the operator: the errors of a failed run."
    )
    # The metrics are recomputed after the run's transaction commits, in a step of its own; a
    # process killed in between would leave the observations behind the store for good (a
    # rerun finds every file unchanged). Empty here marks that work as still to do.
    metrics_recomputed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=(
            "When the metrics were brought up to date with this run's files; empty while "
            "that is outstanding (the next import or `vawg init` does it)."
        ),
    )

    class Meta:
        ordering = ("-started_at", "-id")
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"{self.get_source_display()} import {self.started_at:%Y-%m-%d %H:%M}: {self.status}"

    @property
    def seconds(self) -> float:
        """How long the run took."""
        return (self.finished_at - self.started_at).total_seconds()


class ImportedFile(models.Model):
    """A source file whose rows are in the Parquet store, live while ``active``."""

    run = models.ForeignKey(
        ImportRun,
        on_delete=models.PROTECT,
        related_name="files",
        help_text="The run that imported this file.",
    )
    dataset = models.CharField(
        max_length=40, choices=Dataset.choices, help_text="Which dataset the file holds."
    )
    force = models.SlugField(
        max_length=80, help_text="Force slug from the file name, e.g. 'cambridgeshire'."
    )
    month = models.CharField(max_length=7, help_text="Month of the file, YYYY-MM.")
    file_name = models.CharField(max_length=255, help_text="Name of the source file.")
    sha256 = models.CharField(
        max_length=64,
        help_text="sha256 of the CSV content (after gunzip for .csv.gz): same content, same file.",
    )
    rows = models.PositiveIntegerField(help_text="Data rows in the file (header excluded).")
    parquet_path = models.CharField(
        max_length=500,
        help_text="Parquet file relative to the Parquet directory (forward slashes).",
    )
    active = models.BooleanField(
        default=True,
        help_text="Live in the store; false once a restated file for the month superseded it.",
    )
    generated_rows = models.PositiveIntegerField(
        default=0,
        help_text=(
            "Rows of generated (invented) records, whose references start GEN-; "
            "0 for a force's own records and for public data."
        ),
    )
    superseded_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
        help_text="The restated file that replaced this one.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was imported.")

    class Meta:
        ordering = ("dataset", "force", "month", "-created_at")
        constraints = (
            models.UniqueConstraint(
                fields=["dataset", "force", "month"],
                condition=Q(active=True),
                name="imports_one_active_file_per_month",
                violation_error_message="Only one active file per dataset, force and month.",
            ),
        )
        indexes = (
            models.Index(fields=["dataset", "active", "force"], name="imports_file_lookup"),
            models.Index(fields=["sha256"], name="imports_file_sha256"),
        )

    def __str__(self) -> str:
        state = "" if self.active else " (superseded)"
        return f"{self.dataset} {self.force} {self.month}: {self.file_name}{state}"

    @property
    def generated(self) -> bool:
        """Whether any of the file's rows are generated demo records, not a force's own."""
        return self.generated_rows > 0


class JobKind(models.TextChoices):
    """What the files of an import job from the page are."""

    POLICE_UK = "police-uk", "data.police.uk files"
    EXTRACT = "extract", "Force system extract"


class JobStatus(models.TextChoices):
    """Where an import job from the page is."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed (nothing imported)"


class ImportJob(models.Model):
    """Files uploaded on the import page, imported in the background (``vawg.imports.jobs``).

    The uploads wait in ``VAWG_UPLOADS_DIR/imports/<id>/`` until the job has run; the job
    then points at the :class:`ImportRun` it recorded (failed runs included).
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
        help_text="Who uploaded the files.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the files arrived.")
    started_at = models.DateTimeField(null=True, blank=True, help_text="When the import began.")
    finished_at = models.DateTimeField(null=True, blank=True, help_text="When it ended.")
    kind = models.CharField(
        max_length=20, choices=JobKind.choices, help_text="What the uploaded files are."
    )
    force = models.SlugField(
        max_length=80, blank=True, help_text="Force of a force system extract (its slug)."
    )
    file_names = models.JSONField(
        default=list, help_text="Names of the uploaded files (sanitised base names)."
    )
    status = models.CharField(
        max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    files_total = models.PositiveIntegerField(default=0, help_text="Files to import.")
    files_done = models.PositiveIntegerField(default=0, help_text="Files dealt with so far.")
    message = models.TextField(blank=True, help_text="Outcome for the person who uploaded.")
    errors = models.JSONField(
        default=list,
        blank=True,
        help_text="Each refusal of a failed job: file, row, column and problem.",
    )
    run = models.ForeignKey(
        ImportRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
        help_text="The import run the job recorded.",
    )

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"import job {self.pk}: {self.status}"

    @property
    def active(self) -> bool:
        """Whether the job is still waiting or running (its page refreshes itself)."""
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)
