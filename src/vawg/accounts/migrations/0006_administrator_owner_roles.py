"""Administrators say which owner roles each user holds (governance role assignments).

Without it only a superuser could fill in the assignments that the "what's owed to me" page
and the draft paper's owed list read.
"""

from django.db import migrations

ROLE = "Administrator"
ACTIONS = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ROLE)
    content_type, _ = ContentType.objects.get_or_create(
        app_label="governance", model="roleassignment"
    )
    for action in ACTIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_roleassignment",
            defaults={"name": f"Can {action} role assignment"},
        )
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=ROLE).first()
    if group is not None:
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="governance", content_type__model="roleassignment"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_second_factor_lockout"),
        ("governance", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
