from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "vawg.governance"
    label = "governance"
    verbose_name = "Governance"
