"""Admin: boards are read-only (the governance pack owns them); role assignments are edited here.

Administrators hold the role-assignment permissions (accounts migration 0006); which owner
roles a user holds is a fact about the force's organisation, not an access right.
"""

from django.contrib import admin

from vawg.governance.models import Board, RoleAssignment, UpdateAcknowledgement


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("name", "force", "kind", "cadence", "chair_role", "reports_to", "active")
    list_filter = ("force", "kind", "active")

    # Reference data: a change here would be undone by the next pack load, so none is offered.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "owner_role")
    search_fields = ("owner_role", "user__username")


@admin.register(UpdateAcknowledgement)
class UpdateAcknowledgementAdmin(admin.ModelAdmin):
    list_display = ("update", "reviewer", "acknowledged_at")
    readonly_fields = ("update", "reviewer", "acknowledged_at", "comment")

    # The record of who reviewed what is kept as made.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
