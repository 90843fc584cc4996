"""Metric definitions (loaded from the catalogue) and their monthly observations per force."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from vawg.imports.models import ImportedFile
from vawg.strategy.models import Force


class Polarity(models.TextChoices):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"
    NEITHER = "neither", "Neither"


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENT = "percent", "Percentage"
    RATE = "rate", "Rate"
    MINUTES = "minutes", "Minutes"


class Metric(models.Model):
    """A metric definition. The catalogue files are its source; a change there is a reload."""

    code = models.SlugField(max_length=80, unique=True, help_text="Stable id, e.g. vso-recorded.")
    title = models.CharField(max_length=200)
    group = models.CharField(
        max_length=80, help_text="Improvement project code, or 'context' for force-wide context."
    )
    group_title = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    polarity = models.CharField(max_length=10, choices=Polarity.choices)
    source = models.CharField(max_length=200, help_text="Where the data comes from.")
    dataset = models.CharField(max_length=40, help_text="The dataset an observation traces to.")
    formula = models.TextField(help_text="The definition in words: numerator and denominator.")
    query = models.TextField(help_text="DuckDB SQL over the analytics views.")
    target = models.FloatField(null=True, blank=True)
    screen_outliers = models.BooleanField(default=False)
    min_points = models.PositiveSmallIntegerField(default=15)
    baseline_points = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Fix the mean and limits on the first N points of each segment (empty: all).",
    )
    rebase = models.JSONField(
        default=list,
        blank=True,
        help_text="Each rebase as {period, reason}: limits are recalculated from that period.",
    )
    data_quality_note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group", "position", "code"]

    def __str__(self) -> str:
        return self.title


class Observation(models.Model):
    """One metric's value for one force and one month, traceable to its source file."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="observations")
    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="observations")
    period = models.CharField(max_length=7, help_text="YYYY-MM")
    value = models.FloatField(null=True, blank=True, help_text="Empty where undefined (0 of 0).")
    numerator = models.FloatField()
    denominator = models.FloatField(null=True, blank=True)
    source_file = models.ForeignKey(
        ImportedFile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
        help_text="The imported file this month's figure was computed from.",
    )
    computed_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["metric", "force", "period"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "force", "period"], name="observation_unique")
        ]
        indexes = [models.Index(fields=["force", "period"])]

    def __str__(self) -> str:
        return f"{self.metric.code} {self.force.slug} {self.period}"


class ReckonerPublication(models.Model):
    """A month's ready reckoner as the board saw it: frozen when published, never recomputed.

    A later import that changes a published figure shows as a restatement beside the frozen
    one rather than silently replacing it.
    """

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="publications")
    month = models.CharField(max_length=7, help_text="YYYY-MM")
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    rows = models.JSONField(help_text="Every metric's row as published (values, RAG, reason).")

    class Meta:
        ordering = ["force", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["force", "month"], name="publication_unique")
        ]

    def __str__(self) -> str:
        return f"{self.force.slug} {self.month} (published)"
