from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "openleave.ledger"
    label = "ledger"

    def ready(self):
        from .privacy import register_all

        register_all()
