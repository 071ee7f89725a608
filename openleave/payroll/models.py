"""Export to payroll (issue 15, item 2): recorded batches of the leave used and the unpaid hours of one closed pay
period, per employee, under the payroll's time codes.

* A ``PayrollBatch`` is written once per pay calendar and period, with who, when, the row count, the totals, the
  SHA-256 of the exact CSV bytes and the high-water marks of what it read: the newest ledger entry id and the
  newest request charge id, and the instant of the export (for a charge reversed later).
* Its lines (``PayrollLine``) are written by one ``INSERT … SELECT … GROUP BY`` (no per-employee loop) and never
  changed; the CSV is regenerated from them in a fixed order, so a re-download is byte for byte the same file
  (same checksum). The employee number is copied into the line, so a later renumbering does not change an old file.
* A correction after the export — a ledger entry or a charge for a date in an exported period, posted after that
  period's batch — is never written into the old batch: it is an adjustment line of the NEXT batch, with the
  original period and the entry's citation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PayrollBatchQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("payroll batches are never changed: corrections are adjustment lines of the next batch")

    def delete(self):
        raise PermissionError("payroll batches are never deleted")


class PayrollBatch(models.Model):
    """One export of one closed pay period of one pay calendar."""

    pay_calendar = models.ForeignKey("people.PayCalendar", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    created_at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    by_label = models.CharField(max_length=200, help_text="Who or what exported (user, command).")
    ledger_hwm = models.BigIntegerField(help_text="The newest ledger entry id the batch read (high-water mark).")
    charge_hwm = models.BigIntegerField(help_text="The newest leave request charge id the batch read.")
    prev_ledger_hwm = models.BigIntegerField(default=0, help_text="The high-water mark of the batch before: "
                                                                  "adjustments are the entries after it.")
    prev_charge_hwm = models.BigIntegerField(default=0)
    prev_created_at = models.DateTimeField(null=True, blank=True, help_text="When the batch before was exported.")
    rows = models.IntegerField(help_text="CSV data rows (lines), header not counted.")
    employees = models.IntegerField(help_text="Distinct employees in the batch.")
    totals = models.JSONField(default=dict, help_text="kind → micro-hours of the period's own lines.")
    adjustment_totals = models.JSONField(default=dict, help_text="kind → micro-hours of the adjustment lines.")
    codes = models.JSONField(default=dict, help_text="The mapping kind → payroll time code used.")
    codes_source = models.CharField(max_length=300, help_text="The mapping file read.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the exact CSV bytes.")
    size = models.BigIntegerField(help_text="Bytes of the CSV.")

    objects = PayrollBatchQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pay_calendar", "period_start"], name="payroll_batch_once")]
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Payroll batch {self.pk}: {self.period_start}..{self.period_end}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("payroll batches are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("payroll batches are never deleted")


class PayrollLine(models.Model):
    """One CSV row: the hours of one kind for one employee in the batch's period, or one adjustment (an entry or a
    charge posted after the batch of its own, earlier period)."""

    class Source(models.TextChoices):
        LEDGER = "ledger", "Ledger debits (leave used)"
        CHARGE = "charge", "Unpaid charges of leave requests"

    batch = models.ForeignKey(PayrollBatch, on_delete=models.PROTECT, related_name="lines", db_index=False)
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, db_constraint=False, db_index=False,
                                 related_name="+")
    employee_number = models.CharField(max_length=20)
    kind = models.CharField(max_length=30, help_text="vacation, sick, … or the unpaid charge (fmla, lwop, …).")
    code = models.CharField(max_length=20, blank=True, help_text="The payroll time code of the kind.")
    micro = models.BigIntegerField(help_text="Hours used (positive) — an adjustment may be negative.")
    adjustment = models.BooleanField(default=False)
    original_start = models.DateField(null=True, blank=True, help_text="Adjustment: the exported period corrected.")
    original_end = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    source_id = models.BigIntegerField(null=True, blank=True, help_text="Adjustment: the ledger entry or charge id.")
    cite = models.CharField(max_length=200, blank=True, help_text="Adjustment: the entry's citation and reason.")

    class Meta:
        indexes = [models.Index(fields=["batch", "adjustment", "employee_number", "kind", "source_id"],
                                name="payroll_line_order")]

    def __str__(self) -> str:
        return f"{self.employee_number} {self.kind} {self.micro} µh (batch {self.batch_id})"
