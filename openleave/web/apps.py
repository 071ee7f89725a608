from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "openleave.web"
    label = "web"
