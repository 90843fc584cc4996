"""The tracker's roles: Django groups with the permissions each one holds.

A role is a group; what a person may see and change follows from the permissions of their
groups (``user.has_perm``), never from the group's name, so an administrator can give one
person two roles or make a new role from the same permissions. The groups themselves are
created by the data migration ``accounts.0002_roles`` from :data:`ROLE_PERMISSIONS` as it
stood then; a later change to a role is a new migration.
"""

from __future__ import annotations

from typing import Final

# The tracker's own permissions, held by ``accounts.AccessRights`` (a model with no table).
VIEW_TRACKER: Final = "accounts.view_tracker"
VIEW_PUBLISHED: Final = "accounts.view_published"
VIEW_RESTRICTED: Final = "accounts.view_restricted"
CHANGE_ANY_RESPONSE: Final = "accounts.change_any_response"
CHANGE_OWN_PROJECTS: Final = "accounts.change_own_projects"
APPROVE_UPDATE: Final = "accounts.approve_update"
PUBLISH_RECKONER: Final = "accounts.publish_reckoner"
IMPORT_DATA: Final = "accounts.import_data"

#: ``(codename, name)`` of the tracker's own permissions, for ``AccessRights.Meta``.
TRACKER_PERMISSIONS: Final = (
    ("view_tracker", "Can read the whole tracker, except restricted modules"),
    ("view_published", "Can read the published subset (published months, approved updates)"),
    ("view_restricted", "Can use restricted modules (needs a second factor)"),
    ("change_any_response", "Can change any response and add updates to any action"),
    ("change_own_projects", "Can change the responses of the projects assigned to them"),
    ("approve_update", "Can approve submitted updates"),
    ("publish_reckoner", "Can publish a month's ready reckoner"),
    ("import_data", "Can import data extracts"),
)

ADMINISTRATOR: Final = "Administrator"
HEAD_OF_PVP: Final = "Head of Protecting Vulnerable People"
PROJECT_LEAD: Final = "Improvement project lead"
ANALYST: Final = "Performance analyst"
BOARD_MEMBER: Final = "Board member"
PARTNER: Final = "Partner"
OFFENDER_MANAGER: Final = "Offender manager"

_READ: Final = (VIEW_TRACKER, VIEW_PUBLISHED)

#: Each role's permissions, as ``app_label.codename``.
ROLE_PERMISSIONS: Final[dict[str, tuple[str, ...]]] = {
    ADMINISTRATOR: (
        *_READ,
        CHANGE_ANY_RESPONSE,
        PUBLISH_RECKONER,
        IMPORT_DATA,
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
        "accounts.add_projectassignment",
        "accounts.change_projectassignment",
        "accounts.delete_projectassignment",
        "accounts.view_projectassignment",
        "governance.add_roleassignment",
        "governance.change_roleassignment",
        "governance.delete_roleassignment",
        "governance.view_roleassignment",
        "accounts.view_totpdevice",
        "accounts.delete_totpdevice",
        "audit.view_auditevent",
        "audit.export_auditevent",
    ),
    HEAD_OF_PVP: (
        *_READ,
        CHANGE_ANY_RESPONSE,
        APPROVE_UPDATE,
        PUBLISH_RECKONER,
        "reports.submit_return",
    ),
    PROJECT_LEAD: (*_READ, CHANGE_OWN_PROJECTS),
    ANALYST: (
        *_READ,
        IMPORT_DATA,
        "metrics.view_metric",
        "metrics.change_metric",
        "metrics.view_observation",
        "imports.view_importrun",
        "imports.view_importedfile",
    ),
    BOARD_MEMBER: _READ,
    PARTNER: (VIEW_PUBLISHED,),
    OFFENDER_MANAGER: (*_READ, VIEW_RESTRICTED),
}

#: Roles whose members must sign in with a second factor. Anyone holding ``view_restricted``
#: and every superuser needs one too, whatever their groups.
TWO_FACTOR_ROLES: Final = frozenset({ADMINISTRATOR, OFFENDER_MANAGER})

#: Roles that use the Django admin (user accounts, project assignments).
STAFF_ROLES: Final = frozenset({ADMINISTRATOR})


def assign_role(user, role: str) -> None:
    """Put ``user`` in ``role``'s group (and make an administrator staff, for the admin)."""
    from django.contrib.auth.models import Group

    if role not in ROLE_PERMISSIONS:
        raise ValueError(f"Unknown role {role!r}; the roles are: {', '.join(ROLE_PERMISSIONS)}")
    user.groups.add(Group.objects.get(name=role))
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    # Permissions are cached on the user object; drop the cache so has_perm sees the change.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)


def requires_two_factor(user) -> bool:
    """Whether ``user`` may only sign in with a second factor."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user.has_perm(VIEW_RESTRICTED):
        return True
    return user.groups.filter(name__in=TWO_FACTOR_ROLES).exists()


def ensure_role_groups(**_: object) -> None:
    """Create any missing role group with its permissions (a ``post_migrate`` receiver).

    The migrations create the roles; this restores them after a database flush (tests that
    empty every table) and grants a permission once its model's post_migrate has made it.
    It only adds, so an administrator's extra grants are kept.
    """
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)
