from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "openleave.web"
    label = "web"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy check of the collected static files)
