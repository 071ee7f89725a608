"""The access log: append-only and hash-chained, the ground floor every other app writes to.

A row is appended without a lock and then sealed (``openleave.audit.access.seal_access_log``): under the lock
of the single ``ChainHead`` row, which holds the newest hash, it gets its chain position ``seq``, the hash of
the row before it and its own hash, so two rows can never chain to the same predecessor. ``save()`` of an
existing row, ``delete()`` and queryset ``update()``/``delete()`` refuse; on PostgreSQL and SQLite a trigger
refuses every ``UPDATE`` in the database itself except that one sealing of an unsealed row (its content
unchanged). Only the retention purge (``openleave.privacy.retention``) removes the oldest rows, and it moves the
chain's anchor so verification still starts from a known hash. The hash covers every column a page shows or
filters by (``actor_id`` too); signed checkpoints kept outside the database catch rows removed from the end or
a replaced log (docs/tamper-evidence.md).

The tables keep their first names (``privacy_accesslog``, ``privacy_chainhead``): the models moved here from
``openleave.privacy`` without moving a row, and the database triggers are attached to those names.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnly(Exception):
    """Access-log rows are never changed or deleted (except the retention purge of the oldest rows)."""


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
        db_table = "privacy_accesslog"
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

    class Meta:
        db_table = "privacy_chainhead"

    def __str__(self) -> str:
        return f"access-log head at row {self.last_id}"
