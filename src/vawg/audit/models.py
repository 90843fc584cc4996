"""The audit event: one row per thing done to the tracker's data, never changed afterwards.

Append-only is enforced at the ORM level: ``save()`` of an existing event, ``delete()``, and
queryset ``update()``/``delete()`` raise :class:`~vawg.errors.VawgError`. That stops the
application (and a careless shell session) from rewriting history; it cannot stop someone
with direct database rights from running SQL.

TODO(production): run the application as a database role that holds only INSERT and SELECT
on ``audit_auditevent`` (and USAGE on its id sequence), e.g.::

    REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent FROM vawg_app;
    GRANT INSERT, SELECT ON audit_auditevent TO vawg_app;

so that even a compromised application cannot remove rows; schema changes then run as a
separate migration role. A restore (``vawg restore``) runs as that migration role.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from vawg.errors import VawgError


class AuditAction(models.TextChoices):
    """What was done."""

    CREATE = "create", "Create"
    CHANGE = "change", "Change"
    DELETE = "delete", "Delete"
    VIEW = "view", "View"
    EXPORT = "export", "Export"
    LOGIN = "login", "Sign-in"
    LOGIN_FAILED = "login_failed", "Failed sign-in"
    REFUSED = "refused", "Refused access"


#: The processing operations that section 62 of the Data Protection Act 2018 (law enforcement
#: processing) requires logs of, for each of our actions. Sign-ins are access-control events,
#: not processing of personal data, so they carry no operation.
DPA_OPERATION: dict[str, str] = {
    AuditAction.CREATE: "collection",
    AuditAction.CHANGE: "alteration",
    AuditAction.DELETE: "erasure",
    AuditAction.VIEW: "consultation",
    AuditAction.EXPORT: "disclosure",
    AuditAction.LOGIN: "",
    AuditAction.LOGIN_FAILED: "",
    AuditAction.REFUSED: "",
}


class AppendOnlyError(VawgError):
    """An attempt to change or remove an audit event."""

    def __init__(self, what: str) -> None:
        super().__init__(f"The audit trail is append-only: {what} is not allowed.")


class AuditEventQuerySet(models.QuerySet):
    """Refuses the bulk ways of rewriting history."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("updating audit events")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("deleting audit events")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("updating audit events")


class AuditEvent(models.Model):
    """Who did what to which record, when, and (for restricted records) why."""

    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # PROTECT: accounts are deactivated, never deleted, so the trail keeps its link.
        on_delete=models.PROTECT,
        related_name="audit_events",
        editable=False,
    )
    actor_label = models.CharField(
        max_length=200,
        editable=False,
        help_text="Username, or 'system: <command>' for work done by a command.",
    )
    action = models.CharField(max_length=20, choices=AuditAction.choices, editable=False)
    app_label = models.CharField(max_length=100, blank=True, editable=False)
    model = models.CharField(max_length=100, blank=True, editable=False)
    object_pk = models.CharField(max_length=64, blank=True, editable=False)
    object_repr = models.CharField(
        max_length=200,
        blank=True,
        editable=False,
        help_text="The record's code or number, never free text (no personal data).",
    )
    changes = models.JSONField(
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        editable=False,
        help_text="{field: [old, new]} for a change; field values for a create or delete.",
    )
    purpose = models.TextField(
        blank=True, editable=False, help_text="Why a restricted record was viewed or exported."
    )
    ip = models.GenericIPAddressField(null=True, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-at", "-id"]
        # No add/change/delete permissions exist at all: the admin can only show events.
        default_permissions = ("view",)
        permissions: ClassVar = [("export_auditevent", "Can export audit events as CSV")]
        indexes: ClassVar = [
            models.Index(fields=["app_label", "model", "object_pk"], name="audit_object"),
            models.Index(fields=["action", "at"], name="audit_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert a new event; refuse to rewrite one already stored."""
        if not self._state.adding:
            raise AppendOnlyError("changing an audit event")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse: events are never removed by the application."""
        raise AppendOnlyError("deleting an audit event")

    @property
    def dpa_operation(self) -> str:
        """The Data Protection Act 2018 s.62 word for this action."""
        return DPA_OPERATION.get(self.action, "")
