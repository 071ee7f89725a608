from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "openleave.payroll"
    label = "payroll"
    verbose_name = "Export to payroll"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .privacy import register_all

        register_all()
