from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "vawg.web"
    label = "web"
