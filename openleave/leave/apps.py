from django.apps import AppConfig


class LeaveConfig(AppConfig):
    name = "openleave.leave"
    label = "leave"
    verbose_name = "Leave requests and decisions"
