from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The access log (hash-chained, append-only), its chain head, checkpoints and the audited admin: the ground
    floor below every other app (it imports none of them)."""

    name = "openleave.audit"
    label = "audit"
    verbose_name = "Audit: the access log"
