from django.apps import AppConfig


class PlannerConfig(AppConfig):
    name = "openleave.planner"
    label = "planner"
    verbose_name = "Leave planner"

    def ready(self):
        from .privacy import register_all

        register_all()
