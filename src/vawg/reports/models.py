"""What the reports app keeps: each quarterly national return as it was submitted.

A submitted return is an immutable snapshot. A later correction is a new, numbered
restatement with a reason; the original and every restatement stay, so anyone can see what the
Taskforce was told and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from vawg.errors import VawgError
from vawg.strategy.models import Force


class ImmutableSubmissionError(VawgError):
    """A submitted return cannot be changed or deleted: submit a restatement instead."""


class ReturnSubmission(models.Model):
    """One submission of a force's quarterly national return: number 0 is the original."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="return_submissions")
    quarter = models.CharField(max_length=6, help_text="Calendar quarter, e.g. 2022Q1.")
    number = models.PositiveSmallIntegerField(
        help_text="0 for the original submission, 1, 2 ... for each restatement."
    )
    submitted_at = models.DateTimeField(help_text="When it was submitted.")
    # PROTECT: who submitted a return is part of the record; deactivate users, don't delete.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="return_submissions",
        help_text="Empty when submitted from the command line without a user.",
    )
    submitted_by_role = models.CharField(
        max_length=200, blank=True, help_text="The role the submitter acted in."
    )
    reason = models.TextField(
        blank=True, help_text="Why a restatement was made; empty for the original."
    )
    content = models.JSONField(help_text="The return exactly as submitted (see returns.content).")
    sha256 = models.CharField(
        max_length=64, help_text="sha256 of the canonical JSON of content: proves it unchanged."
    )

    class Meta:
        ordering = ["force", "quarter", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "quarter", "number"], name="return_submission_unique"
            )
        ]
        permissions = [("submit_return", "Can submit and restate quarterly national returns")]

    def __str__(self) -> str:
        kind = "original" if self.number == 0 else f"restatement {self.number}"
        return f"{self.force.slug} {self.quarter} return ({kind})"

    def save(self, *args, **kwargs) -> None:
        # NOTE: the snapshot is the record of what was sent; it is written once, never updated.
        if self.pk is not None:
            raise ImmutableSubmissionError(
                f"{self} was submitted and cannot be changed; submit a restatement instead"
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableSubmissionError(f"{self} was submitted and cannot be deleted")
