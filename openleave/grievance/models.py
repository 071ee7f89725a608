"""A member's grievance track (Art. 23): the act they grieve and the dates of each step as they record them.

The member's and the union's: the supervisor and HR do not see it (``policy.can_view_grievance``). The deadlines
are never stored — they are computed each time by ``openleave.rules.grievance`` from the act's date and the dates
recorded here. Dates are append-only: a correction is a newer row for the same step (the newest counts).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openleave.rules.grievance import TRACK_KEYS, TRACK_LABELS


class AppendOnly(Exception):
    """Recorded grievance dates are never changed or deleted."""


class GrievanceTrack(models.Model):
    """One act a member may grieve: a leave decision (denied / partly approved), a forfeiture or an adjustment."""

    class Act(models.TextChoices):
        DECISION = "decision", "Leave decision"
        FORFEITURE = "forfeiture", "Forfeiture"
        ADJUSTMENT = "adjustment", "Ledger adjustment"

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="grievance_tracks")
    act = models.CharField(max_length=16, choices=Act.choices)
    decision = models.ForeignKey("leave.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ledger_entry = models.ForeignKey("ledger.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", db_constraint=False)
    event_date = models.DateField(help_text="The act or omission, or the date of reasonable knowledge of it "
                                            "(Sec. 23.2 Step I).")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision"], condition=models.Q(decision__isnull=False),
                                    name="grievance_one_track_per_decision"),
            models.UniqueConstraint(fields=["ledger_entry"], condition=models.Q(ledger_entry__isnull=False),
                                    name="grievance_one_track_per_entry"),
        ]

    def __str__(self):
        return f"grievance track {self.pk} ({self.act}, {self.event_date})"

    def recorded(self) -> dict:
        """The newest date recorded per step key."""
        out: dict = {}
        for d in self.dates.order_by("id"):
            out[d.key] = d.day
        return out


class GrievanceDate(models.Model):
    """When a step was filed, a meeting/conference closed or a reply arrived, as the member recorded it."""

    track = models.ForeignKey(GrievanceTrack, on_delete=models.PROTECT, related_name="dates")
    key = models.CharField(max_length=32, choices=[(k, TRACK_LABELS[k]) for k in TRACK_KEYS])
    day = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    def __str__(self):
        return f"{self.get_key_display()}: {self.day}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnly("recorded grievance dates are never changed: record the step again")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("recorded grievance dates are never deleted")
