from django.apps import AppConfig


class LeaveConfig(AppConfig):
    name = "openleave.leave"
    label = "leave"
    verbose_name = "Leave requests and decisions"

    def ready(self):
        from .privacy import register_all

        register_all()
