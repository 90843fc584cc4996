"""Admin pages for project assignments and authenticator apps (reset by deleting)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from vawg.accounts import twofactor
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

    The secret is never shown. Too many wrong codes lock sign-in until an administrator
    unlocks the app here (or with ``vawg manage unlock_sign_in``).
    """

    list_display = ("user", "confirmed_at", "failed_codes", "locked_at")
    list_filter = (("locked_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__username",)
    fields = ("user", "confirmed_at", "failed_codes", "locked_at")
    readonly_fields = ("user", "confirmed_at", "failed_codes", "locked_at")
    actions = ("unlock",)

    # Whoever may reset an app (delete it, so its owner sets up a new one) may lift its
    # lock, which is the lesser step: the owner keeps their app.
    @admin.action(description="Unlock sign-in after too many wrong codes", permissions=["delete"])
    def unlock(self, request: HttpRequest, queryset: QuerySet[TOTPDevice]) -> None:
        # One save per device, so the audit trail records each unlock and who did it.
        count = sum(twofactor.unlock(device) for device in queryset)
        self.message_user(
            request, f"Unlocked {count} authenticator app{'s' if count != 1 else ''}."
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
