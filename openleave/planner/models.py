"""A shared plan: the rows an employee planned, saved so their supervisor chain can open them read-only.

Only the SHA-256 of the link's random token is stored (the link is shown once, like an API token); a share
expires and can be revoked. The projection is never stored: opening a share projects the saved rows against
the ledger as it stands that day."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class SharedPlan(models.Model):
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="shared_plans")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    token_digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the link's token (the token is never stored).")
    title = models.CharField(max_length=100, blank=True)
    rows = models.JSONField(default=list, help_text="The planned rows: kind, start_date, end_date, hours.")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"shared plan {self.pk} of employee {self.employee_id}"

    def is_open(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now
