from django.apps import AppConfig


class CompConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "openleave.comp"
    label = "comp"
    verbose_name = "Compensatory days (Art. 10) and comp time (Sec. 7.2.G)"

    def ready(self):
        from .privacy import register_all

        register_all()
