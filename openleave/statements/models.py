"""Statements given and warnings sent: each a record, written once, never recomputed.

* ``VacationStatement`` — the Sec. 9.8 preliminary statement an employee was given for a year: its figures
  frozen as JSON with a SHA-256 checksum of them, so the page and the PDF show what the employee received,
  whatever the ledger says later (a correction is a later ledger entry, not an edit of the statement).
* ``ForfeitureWarning`` — one warning sent for one leave type's year end (Sec. 9.8, 8.2.B, MOU): unique, so
  ``manage.py forfeiture_warnings`` sends each once however often it runs.
"""

from __future__ import annotations

import hashlib
import json

from django.db import models


def figures_checksum(figures: dict) -> str:
    """SHA-256 of the figures in a canonical JSON form (sorted keys, no spaces)."""
    return hashlib.sha256(json.dumps(figures, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


class VacationStatement(models.Model):
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="vacation_statements")
    year = models.SmallIntegerField()
    as_of = models.DateField(help_text="The day the figures are as of (Sec. 9.8: September 1).")
    generated_at = models.DateTimeField()
    generated_by = models.CharField(max_length=200, help_text="Who or what generated it (user, command).")
    figures = models.JSONField(help_text="The statement's figures and citations, frozen as given.")
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the figures (figures_checksum).")
    late = models.BooleanField(default=False, help_text="Given after the Sec. 9.8 date (run with --late).")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="statement_once_per_year")]
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Vacation statement {self.year} as of {self.as_of} for employee {self.employee_id}"

    @property
    def intact(self) -> bool:
        return figures_checksum(self.figures) == self.checksum


class ForfeitureWarning(models.Model):
    class Leave(models.TextChoices):
        VACATION = "vacation", "Vacation (Sec. 9.8)"
        PERSONAL = "personal", "Personal leave (Sec. 8.2.B)"
        EMERGENCY = "emergency_day", "Emergency day (MOU Regarding State of Emergency)"

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="forfeiture_warnings")
    leave = models.CharField(max_length=16, choices=Leave.choices)
    year = models.SmallIntegerField(help_text="The year end that would forfeit it.")
    forfeits_on = models.DateField()
    micro = models.BigIntegerField(help_text="Micro-hours at risk when the warning was sent.")
    text = models.CharField(max_length=300)
    cite = models.CharField(max_length=60)
    sent_at = models.DateTimeField()
    emailed = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "leave", "year"], name="forfeiture_warning_once")]
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.text
