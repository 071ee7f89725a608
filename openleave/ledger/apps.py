from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "openleave.ledger"
    label = "ledger"

    def ready(self):
        from openleave.audit import checkpoint

        from .chain import ledger_checkpoint_head

        checkpoint.register_head("ledger", ledger_checkpoint_head)
