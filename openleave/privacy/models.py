"""Consent for steward access (Art. 23 representation, Sec. 24.1). The access log is ``openleave.audit``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class StewardConsentQuerySet(models.QuerySet):
    def valid(self, on=None):
        now = on or timezone.now()
        return self.filter(revoked_at__isnull=True, valid_from__lte=now).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=now)
        )


class StewardConsent(models.Model):
    """An employee authorises a named union steward to see their leave records, for a purpose and a period."""

    class Basis(models.TextChoices):
        GRIEVANCE = "grievance", "A grievance (Art. 23)"
        OTHER = "other", "Another stated purpose (Sec. 24.1)"

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="steward_consents")
    steward = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents_received")
    basis = models.CharField(max_length=12, choices=Basis.choices, default=Basis.GRIEVANCE)
    purpose = models.CharField(max_length=300, help_text="E.g. a grievance under Art. 23, or another stated purpose.")
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(null=True, blank=True)
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = StewardConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["steward", "employee"])]

    def __str__(self) -> str:
        return f"Consent {self.pk}: employee {self.employee_id} → steward {self.steward_id}"

    def is_valid(self, on=None) -> bool:
        now = on or timezone.now()
        return self.revoked_at is None and self.valid_from <= now and (self.valid_until is None or self.valid_until > now)

    @property
    def ended_at(self):
        """When the consent stopped (revoked or expired), or None while it can still be valid."""
        if self.revoked_at:
            return self.revoked_at
        return self.valid_until if self.valid_until and self.valid_until <= timezone.now() else None
