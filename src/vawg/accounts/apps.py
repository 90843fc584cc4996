from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vawg.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from vawg.accounts import signals  # noqa: F401 (connects the receivers)
        from vawg.accounts.roles import ensure_role_groups

        # Sent once per app: only the last one matters, when every permission exists.
        post_migrate.connect(ensure_role_groups, dispatch_uid="vawg-role-groups")
