"""Boards and panels, who holds which owner role, and reviewers' acknowledgements of updates.

Boards are reference data loaded from a governance pack and updated in place by their stable
``code``. Acknowledgements are people's own records: never changed by a pack, one per
reviewer per update.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from vawg.governance.pack import BOARD_KINDS
from vawg.strategy.models import Force, ImprovementProject, Pillar, Update


class BoardKind(models.TextChoices):
    INTERNAL_BOARD = "internal-board", BOARD_KINDS["internal-board"]
    PARTNERSHIP_BOARD = "partnership-board", BOARD_KINDS["partnership-board"]
    SCRUTINY_PANEL = "scrutiny-panel", BOARD_KINDS["scrutiny-panel"]
    NATIONAL_RETURN = "national-return", BOARD_KINDS["national-return"]


class Board(models.Model):
    """A board, panel or national return that scrutinises a force's VAWG delivery."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="boards")
    code = models.SlugField(max_length=80, help_text="Stable id from the governance pack.")
    position = models.PositiveSmallIntegerField(help_text="Order in the pack.")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=BoardKind.choices)
    cadence = models.CharField(
        max_length=200, help_text="In words, e.g. 'monthly on the 2nd Tuesday'."
    )
    chair_role = models.CharField(max_length=200, help_text="A role, never a person's name.")
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reporting_boards"
    )
    papers_due_days_before = models.PositiveSmallIntegerField(
        help_text="Updates are owed this many days before each meeting."
    )
    projects = models.ManyToManyField(ImprovementProject, related_name="boards", blank=True)
    pillars = models.ManyToManyField(Pillar, related_name="boards", blank=True)
    note = models.TextField(blank=True)
    active = models.BooleanField(
        default=True,
        help_text="False once a newer pack no longer lists the board; kept, not deleted.",
    )

    class Meta:
        ordering = ["force", "position"]
        constraints = [models.UniqueConstraint(fields=["force", "code"], name="board_code_unique")]

    def __str__(self) -> str:
        return self.name


class RoleAssignment(models.Model):
    """Which owner roles (as written on responses) a user holds.

    Owner roles are posts in the force ("Detective Chief Inspector, Public Protection Unit"),
    not access roles ("Board member"): what a user may see comes from their access role, what
    they owe from the posts assigned here (by an administrator, in the admin).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owner_roles"
    )
    owner_role = models.CharField(max_length=200, help_text="Exactly as on responses.")

    class Meta:
        ordering = ["user", "owner_role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "owner_role"], name="role_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} holds {self.owner_role}"


class UpdateAcknowledgement(models.Model):
    """A reviewer's record of having read and accepted one update."""

    update = models.ForeignKey(Update, on_delete=models.PROTECT, related_name="acknowledgements")
    # PROTECT: who reviewed what is part of the audit trail; deactivate users, don't delete.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["acknowledged_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "reviewer"], name="acknowledgement_once_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} acknowledged {self.update}"
