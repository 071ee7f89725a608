"""Consent for steward access (Art. 23 representation, Sec. 24.1) and the access log."""

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

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="steward_consents")
    steward = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents_received")
    purpose = models.CharField(max_length=300, help_text="E.g. a grievance under Art. 23, or another stated purpose.")
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(null=True, blank=True)
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = StewardConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["steward", "employee"])]

    def is_valid(self, on=None) -> bool:
        now = on or timezone.now()
        return self.revoked_at is None and self.valid_from <= now and (self.valid_until is None or self.valid_until > now)


class AccessLog(models.Model):
    """Append-only record of every read and change of personal data (who, when, whose, what, why)."""

    class Action(models.TextChoices):
        READ = "read", "Read"
        CHANGE = "change", "Change"
        EXPORT = "export", "Export"
        PURGE = "purge", "Purge"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200, help_text="Who acted, kept even if the account goes.")
    subject = models.ForeignKey(
        "people.Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="access_log"
    )
    action = models.CharField(max_length=8, choices=Action.choices, default=Action.READ)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60, blank=True)
    category = models.CharField(max_length=40, help_text="directory, leave, medical, …")
    fields = models.CharField(max_length=300, blank=True)
    purpose = models.CharField(max_length=200)
    channel = models.CharField(max_length=16, help_text="ui, api, admin, command")
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject", "-at"])]
