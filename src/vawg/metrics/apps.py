from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "vawg.metrics"
    label = "metrics"
