from django.apps import AppConfig


class LeaveConfig(AppConfig):
    name = "openleave.leave"
    label = "leave"
    verbose_name = "Leave requests and decisions"

    def ready(self):
        from openleave.ledger.selectors import register_pending

        from .privacy import register_all
        from .selectors import pending_holds

        register_all()
        register_pending(pending_holds)  # the ``pending`` part of every balance (the ledger is below this app)
