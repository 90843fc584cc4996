"""Administrators read and export the audit trail; the Head of PVP submits national returns."""

from django.db import migrations

GRANTS = {
    "Administrator": (
        ("audit", "auditevent", "view_auditevent", "Can view audit event"),
        ("audit", "auditevent", "export_auditevent", "Can export audit events as CSV"),
    ),
    "Head of Protecting Vulnerable People": (
        (
            "reports",
            "returnsubmission",
            "submit_return",
            "Can submit and restate quarterly national returns",
        ),
    ),
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for role, permissions in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, model, codename, name in permissions:
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": name}
            )
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role, permissions in GRANTS.items():
        group = Group.objects.filter(name=role).first()
        if group is not None:
            codenames = [codename for _, _, codename, _ in permissions]
            group.permissions.remove(*group.permissions.filter(codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("audit", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
