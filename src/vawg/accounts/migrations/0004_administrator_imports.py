"""Administrators import data from the import page, as performance analysts do."""

from django.db import migrations

ROLE = "Administrator"
CODENAME = "import_data"


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ROLE)
    content_type, _ = ContentType.objects.get_or_create(app_label="accounts", model="accessrights")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=CODENAME,
        defaults={"name": "Can import data extracts"},
    )
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=ROLE).first()
    if group is not None:
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="accounts", codename=CODENAME)
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_audit_and_return_rights")]

    operations = [migrations.RunPython(grant, revoke)]
