from django.apps import AppConfig


class SeparationConfig(AppConfig):
    name = "openleave.separation"
    label = "separation"
    verbose_name = "Separation and return (Sec. 9.11, 7.2.G, 8.1.O, 8.1.H, 9.7, 9.12)"

    def ready(self):
        from .privacy import register_all

        register_all()
