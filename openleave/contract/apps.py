from django.apps import AppConfig


class ContractConfig(AppConfig):
    """Successor agreements: what a new agreement folder would change, before the switch (issue 15, item 5)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "openleave.contract"
    label = "contract"
    verbose_name = "Successor agreements"
