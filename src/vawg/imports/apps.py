"""Django app configuration for imports."""

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """The imports app: import runs and the imported files they made live."""

    name = "vawg.imports"
    label = "imports"
    verbose_name = "Imports"
    default_auto_field = "django.db.models.BigAutoField"
