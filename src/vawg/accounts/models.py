"""Who may do what (roles are groups; see ``roles``), project assignments, sign-in security.

Nothing here holds a password: Django's user model does, hashed. TOTP secrets are held as
the authenticator app holds them; recovery codes only as hashes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from vawg.accounts.roles import TRACKER_PERMISSIONS
from vawg.strategy.models import ImprovementProject, Update


class AccessRights(models.Model):
    """Holder of the tracker's own permissions; it has no table and no rows."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = TRACKER_PERMISSIONS
        verbose_name_plural = "access rights"

    def __str__(self) -> str:
        return "access rights"


class ProjectAssignment(models.Model):
    """A project lead's assignment to an improvement project: the responses they may change."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_assignments"
    )
    project = models.ForeignKey(
        ImprovementProject, on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="project_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} leads {self.project}"


class UpdateApproval(models.Model):
    """The sign-off of one submitted update: who approved it and when. The text is untouched.

    TODO: belongs beside ``strategy.Update`` (an ``approved_by``/``approved_at`` pair) once
    the strategy app takes it; kept here so approval needed no change to that app.
    """

    update = models.OneToOneField(Update, on_delete=models.CASCADE, related_name="approval")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"approval of update {self.update_id}"


class SignInFailure(models.Model):
    """One failed sign-in step (password or code), counted to lock out guessing.

    ``key`` is a keyed hash of the lower-cased username, so a password typed into the
    username box by mistake is not kept in the clear.
    """

    key = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["key", "ip", "at"])]

    def __str__(self) -> str:
        return f"failed sign-in at {self.at:%Y-%m-%d %H:%M}"


class TOTPDevice(models.Model):
    """A person's authenticator app (RFC 6238 TOTP, 30-second steps, 6 digits).

    ``last_step`` is the time step of the last code accepted: a code is never accepted twice.
    After ``VAWG_SECOND_FACTOR_MAX_FAILURES`` wrong codes (or recovery codes) in a row, sign-in
    is refused until an administrator unlocks it (``twofactor.unlock``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    # TODO: encrypt at rest with a key from the environment; today the database's own
    # protection (and the backup's) is what keeps the secret.
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField()
    last_step = models.BigIntegerField(default=0)
    # Not time-windowed like password failures: someone who has the password could otherwise
    # wait out each window and guess on. Cleared by a full sign-in or an administrator.
    failed_codes = models.PositiveIntegerField(
        default=0, help_text="Wrong codes since the last full sign-in."
    )
    locked_at = models.DateTimeField(
        null=True, blank=True, help_text="When too many wrong codes locked sign-in."
    )

    class Meta:
        verbose_name = "authenticator app"

    def __str__(self) -> str:
        return f"authenticator app of {self.user}"


class RecoveryCode(models.Model):
    """A single-use code for when the authenticator app is lost, stored as a SHA-256 hash."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"recovery code of {self.user}" + (" (used)" if self.used_at else "")
