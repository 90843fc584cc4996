"""Django app configuration for the audit trail."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit app: the append-only trail of changes, views, exports and sign-ins."""

    name = "vawg.audit"
    label = "audit"
    verbose_name = "Audit trail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Signal handlers are connected here, once every model is loaded, so the registry can
        # name models of apps that load after this one.
        from vawg.audit import recording

        recording.connect()
