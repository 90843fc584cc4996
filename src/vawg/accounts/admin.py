"""Admin pages for project assignments and authenticator apps (reset by deleting)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from vawg.accounts.models import ProjectAssignment, TOTPDevice


@admin.register(ProjectAssignment)
class ProjectAssignmentAdmin(admin.ModelAdmin):
    list_display = ("project", "user", "assigned_at")
    list_filter = ("project",)
    search_fields = ("user__username", "project__name")
    raw_id_fields = ("user",)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Shows who has an authenticator app; deleting one makes its owner set up a new one.

    The secret is never shown.
    """

    list_display = ("user", "confirmed_at")
    search_fields = ("user__username",)
    fields = ("user", "confirmed_at")
    readonly_fields = ("user", "confirmed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
