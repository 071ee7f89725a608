"""Consent for steward access (Art. 23 representation, Sec. 24.1) and the access log.

The access log is append-only and hash-chained: a row is appended without a lock and then sealed
(``openleave.privacy.access.seal_access_log``): under the lock of the single ``ChainHead`` row, which holds
the newest hash, it gets its chain position ``seq``, the hash of the row before it and its own hash, so two
rows can never chain to the same predecessor. ``save()`` of an existing row, ``delete()`` and queryset
``update()``/``delete()`` refuse; on PostgreSQL and SQLite a trigger refuses every ``UPDATE`` in the
database itself except that one sealing of an unsealed row (its content unchanged). Only the retention purge (``openleave.privacy.retention``) removes the
oldest rows, and it moves the chain's anchor so verification still starts from a known hash. The hash
covers every column a page shows or filters by (``actor_id`` too); signed checkpoints kept outside the
database catch rows removed from the end or a replaced log (docs/tamper-evidence.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AppendOnly(Exception):
    """Access-log rows are never changed or deleted (except the retention purge of the oldest rows)."""


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


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("the access log is append-only")

    def delete(self):
        raise AppendOnly("the access log is append-only; only the retention purge removes old rows")

    def _purge(self) -> int:
        """Retention only (``openleave.privacy.retention``): delete these rows without the guard."""
        return models.QuerySet.delete(self)[0]


class AccessLog(models.Model):
    """Append-only record of every read and change of personal data (who, when, whose, what, why)."""

    class Action(models.TextChoices):
        READ = "read", "Read"
        CHANGE = "change", "Change"
        EXPORT = "export", "Export"
        PURGE = "purge", "Purge"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # No database constraint: deleting a user or anonymising an employee never rewrites a chained row.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.DO_NOTHING,
                              db_constraint=False, related_name="+")
    actor_label = models.CharField(max_length=200, help_text="Who acted, kept even if the account goes.")
    subject = models.ForeignKey(
        "people.Employee", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="access_log",
    )
    action = models.CharField(max_length=8, choices=Action.choices, default=Action.READ)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60, blank=True)
    category = models.CharField(max_length=40, help_text="directory, leave, medical, …")
    fields = models.CharField(max_length=300, blank=True)
    purpose = models.CharField(max_length=200)
    channel = models.CharField(max_length=16, help_text="ui, api, admin, command")
    prev_hash = models.CharField(max_length=64, blank=True, help_text="Set when sealed: the hash of the row before.")
    hash = models.CharField(max_length=64, blank=True, help_text="Set when sealed: this row's hash.")
    seq = models.BigIntegerField(null=True, blank=True, unique=True, editable=False,
                                 help_text="Position in the hash chain, given when the row is sealed (empty: pending).")

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject", "-at"]),
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="privacy_accesslog_unsealed"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type} {self.object_id}"

    @property
    def what(self) -> str:
        return self.object_type.replace("_", " ")

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("the access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("the access log is append-only")


class ChainHead(models.Model):
    """The single row every append locks: the newest hash, and the anchor where verification starts."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    last_seq = models.BigIntegerField(default=0, help_text="Chain position of the newest sealed row.")
    last_hash = models.CharField(max_length=64, blank=True)
    anchor_hash = models.CharField(
        max_length=64, blank=True, help_text="prev_hash of the oldest kept row (empty until a retention purge)."
    )

    def __str__(self) -> str:
        return f"access-log head at row {self.last_id}"
