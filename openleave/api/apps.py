from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "openleave.api"
    label = "api"
