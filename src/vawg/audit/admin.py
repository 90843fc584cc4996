"""The audit trail in the admin: read-only, filterable, exportable as CSV.

No one can add, change or delete events here (the model has no such permissions). Export
needs the ``audit.export_auditevent`` permission, exports exactly what the list's current
filters show, and is itself recorded as an export.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import URLPattern, path
from django.utils import timezone

from vawg.audit.export import iter_csv
from vawg.audit.models import AuditAction, AuditEvent
from vawg.audit.recording import record_event

EXPORT_PERMISSION = "audit.export_auditevent"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Events newest first, filtered by action, model, actor and date."""

    list_display = (
        "at",
        "actor_label",
        "action",
        "app_label",
        "model",
        "object_pk",
        "object_repr",
        "purpose",
    )
    list_filter = (
        "action",
        "app_label",
        "model",
        ("actor", admin.RelatedOnlyFieldListFilter),
        "at",
    )
    date_hierarchy = "at"
    search_fields = ("object_repr", "object_pk", "actor_label")
    list_select_related = ("actor",)
    show_full_result_count = False  # a count of a long trail on every page is slow
    actions = None
    readonly_fields = (
        "at",
        "actor",
        "actor_label",
        "action",
        "dpa_operation",
        "app_label",
        "model",
        "object_pk",
        "object_repr",
        "changes",
        "purpose",
        "ip",
    )
    change_list_template = "admin/audit/auditevent/change_list.html"

    @admin.display(description="DPA 2018 s.62 operation")
    def dpa_operation(self, obj: AuditEvent) -> str:
        return obj.dpa_operation

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> Any:
        context = {"can_export": request.user.has_perm(EXPORT_PERMISSION), **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)

    def get_urls(self) -> list[URLPattern]:
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="audit_auditevent_export",
        )
        return [export, *super().get_urls()]

    def filtered_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        """The events the change list shows for this request's filters, search and dates."""
        changelist = self.get_changelist_instance(request)
        return changelist.get_queryset(request)

    def export_view(self, request: HttpRequest) -> StreamingHttpResponse:
        """The filtered events as CSV, streamed so a long trail needs little memory."""
        if not (self.has_view_permission(request) and request.user.has_perm(EXPORT_PERMISSION)):
            raise PermissionDenied
        events = self.filtered_queryset(request).order_by("at", "id")
        count = events.count()
        filters = {k: v for k, v in request.GET.items()}
        # Exporting the trail discloses who did what: record it before the file goes out.
        record_event(
            AuditAction.EXPORT,
            target=AuditEvent,
            object_repr=f"{count} audit events",
            changes={"rows": count, "filters": filters},
            purpose="audit trail export from the admin",
        )
        name = f"audit-trail-{timezone.localtime():%Y%m%d-%H%M%S}.csv"
        response = StreamingHttpResponse(
            iter_csv(events.select_related("actor").iterator(chunk_size=2000)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
