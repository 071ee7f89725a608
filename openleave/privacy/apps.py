from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "openleave.privacy"
    label = "privacy"
    verbose_name = "Privacy: consent and access log"

    def ready(self):
        from .registrations import register_all

        register_all()
