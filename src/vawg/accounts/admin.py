"""Admin pages for user accounts, project assignments and authenticator apps.

User accounts: administrators hold ``auth.change_user`` to run the force's accounts, which
with Django's own user admin would let them make themselves superusers or put themselves in
any role. The rules here (:class:`UserAccountAdmin`):

- only a superuser sets ``is_superuser``, ``is_staff`` or single permissions;
- nobody changes their own groups, permissions or status flags (a second person must);
- only a superuser grants or removes a *privileged* role, one whose permissions open
  restricted modules or manage accounts (:data:`PRIVILEGED_PERMISSIONS`), and only a
  superuser changes an account that holds one (its password included), so an administrator
  cannot take over another administrator's or an offender manager's account.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from vawg.accounts import roles, twofactor
from vawg.accounts.models import ProjectAssignment, TOTPDevice

#: Permissions that make a role privileged: restricted data, or power over accounts.
PRIVILEGED_PERMISSIONS: tuple[str, ...] = (
    roles.VIEW_RESTRICTED,
    "auth.add_user",
    "auth.change_user",
    "auth.delete_user",
    "auth.change_group",
    "auth.add_group",
    "auth.change_permission",
)

#: Fields a person may never change on their own account, superusers included.
OWN_LOCKED_FIELDS = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")
#: Fields only a superuser may change on anyone's account.
SUPERUSER_FIELDS = ("is_staff", "is_superuser", "user_permissions")


def _privileged_permissions() -> Q:
    query = Q(pk__in=[])
    for perm in PRIVILEGED_PERMISSIONS:
        app_label, codename = perm.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return query


def privileged_groups() -> QuerySet[Group]:
    """The roles only a superuser may grant or remove."""
    permissions = Permission.objects.filter(_privileged_permissions())
    return Group.objects.filter(permissions__in=permissions).distinct()


def is_privileged(user: Any) -> bool:
    """Whether ``user``'s account is one only a superuser may change."""
    if user.is_superuser:
        return True
    if user.groups.filter(pk__in=privileged_groups()).exists():
        return True
    return user.user_permissions.filter(_privileged_permissions()).exists()


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserAccountAdmin(UserAdmin):
    """Django's user admin, with the rules of this module's docstring."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return tuple(fields)  # the add form asks for a username and password only
        if not request.user.is_superuser:
            fields += SUPERUSER_FIELDS
        if obj.pk == request.user.pk:
            fields += OWN_LOCKED_FIELDS
        return tuple(dict.fromkeys(fields))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser or obj.pk == request.user.pk:
            return True
        return not is_privileged(obj)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups" and not request.user.is_superuser:
            # Not offered, and refused as "not a valid choice" if posted anyway.
            kwargs["queryset"] = Group.objects.exclude(pk__in=privileged_groups())
        return super().formfield_for_manytomany(db_field, request, **kwargs)


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
