from django.apps import AppConfig


class GrievanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "openleave.grievance"
    label = "grievance"
    verbose_name = "Grievance tracks and reports (Art. 23, Appendix B)"

    def ready(self):
        from .privacy import register_all

        register_all()
