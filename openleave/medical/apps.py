from django.apps import AppConfig


class MedicalConfig(AppConfig):
    name = "openleave.medical"
    label = "medical"
    verbose_name = "FMLA cases and sealed medical documents (Sec. 8.7.2, 8.1.K, 8.1.M, App. D-1/D-2)"

    def ready(self):
        from .privacy import register_all

        register_all()
