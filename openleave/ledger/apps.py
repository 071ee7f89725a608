from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "openleave.ledger"
    label = "ledger"
