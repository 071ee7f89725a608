from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "openleave.privacy"
    label = "privacy"
    verbose_name = "Privacy: consent and access log"
