"""Create the tracker's roles as groups with their permissions.

Permissions are normally made after migrating (post_migrate); this migration makes the ones
it grants itself, with the names Django would give them, so it works on a fresh database.
Running it again (or after post_migrate) changes nothing. Later changes to a role are new
migrations: this one keeps the roles as they were first defined.
"""

from django.db import migrations

ROLE_PERMISSIONS = {
    "Administrator": (
        "accounts.view_tracker",
        "accounts.view_published",
        "accounts.change_any_response",
        "accounts.publish_reckoner",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
        "accounts.add_projectassignment",
        "accounts.change_projectassignment",
        "accounts.delete_projectassignment",
        "accounts.view_projectassignment",
        "accounts.view_totpdevice",
        "accounts.delete_totpdevice",
    ),
    "Head of Protecting Vulnerable People": (
        "accounts.view_tracker",
        "accounts.view_published",
        "accounts.change_any_response",
        "accounts.approve_update",
        "accounts.publish_reckoner",
    ),
    "Improvement project lead": (
        "accounts.view_tracker",
        "accounts.view_published",
        "accounts.change_own_projects",
    ),
    "Performance analyst": (
        "accounts.view_tracker",
        "accounts.view_published",
        "accounts.import_data",
        "metrics.view_metric",
        "metrics.change_metric",
        "metrics.view_observation",
        "imports.view_importrun",
        "imports.view_importedfile",
    ),
    "Board member": ("accounts.view_tracker", "accounts.view_published"),
    "Partner": ("accounts.view_published",),
    "Offender manager": (
        "accounts.view_tracker",
        "accounts.view_published",
        "accounts.view_restricted",
    ),
}

CUSTOM = {
    "view_tracker": "Can read the whole tracker, except restricted modules",
    "view_published": "Can read the published subset (published months, approved updates)",
    "view_restricted": "Can use restricted modules (needs a second factor)",
    "change_any_response": "Can change any response and add updates to any action",
    "change_own_projects": "Can change the responses of the projects assigned to them",
    "approve_update": "Can approve submitted updates",
    "publish_reckoner": "Can publish a month's ready reckoner",
    "import_data": "Can import data extracts",
}

VERBS = {"add": "Can add", "change": "Can change", "delete": "Can delete", "view": "Can view"}


def _permission(apps, perm):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = perm.split(".")
    if app_label == "accounts" and codename in CUSTOM:
        model, name = "accessrights", CUSTOM[codename]
    else:
        verb, model = codename.split("_", 1)
        verbose = apps.get_model(app_label, model)._meta.verbose_name
        name = f"{VERBS[verb]} {verbose}"
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*(_permission(apps, perm) for perm in perms))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("metrics", "0002_reckonerpublication"),
        ("imports", "0002_more_datasets"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
