"""Read-only admin pages for the import record (imports happen through the command)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from vawg.imports.models import ImportedFile, ImportRun


class _ReadOnly(admin.ModelAdmin):
    """The record is written only by the import service; the admin shows it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ImportRun)
class ImportRunAdmin(_ReadOnly):
    """Import runs, newest first."""

    list_display = (
        "started_at",
        "source",
        "status",
        "files_imported",
        "files_unchanged",
        "rows_accepted",
        "rows_rejected",
        "metrics_recomputed_at",
    )
    list_filter = ("status", "source")


@admin.register(ImportedFile)
class ImportedFileAdmin(_ReadOnly):
    """Imported files, live and superseded."""

    list_display = ("dataset", "force", "month", "file_name", "rows", "active", "created_at")
    list_filter = ("dataset", "active", "force")
    search_fields = ("file_name", "sha256")
