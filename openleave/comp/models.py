"""The events that earn compensatory days (Art. 10) and comp time (Sec. 7.2.G), as recorded by a named person.

The credits themselves are ledger entries (``Leave.HOLIDAY`` / ``Leave.COMP``, ``Kind.EARNED``); these rows are
the human facts and decisions behind them — who recorded the occasion, who chose pay or a compensatory day and
why, how the Sec. 7.2.G cap split comp time into hours credited and overtime paid. Append-only like the ledger:
a wrong row is corrected by HR with a ledger reversal and a new record, never an edit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AppendOnly(Exception):
    """These records are never changed or deleted."""


class _AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("compensatory time records are never updated")

    def delete(self):
        raise AppendOnly("compensatory time records are never deleted")


class _AppendOnly(models.Model):
    objects = _AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnly("compensatory time records are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("compensatory time records are never deleted")


class HolidayOccasion(_AppendOnly):
    """A holiday worked, or falling on a day off, and what the employee receives for it (Sec. 10.3, 10.4, 10.5)."""

    class Section(models.TextChoices):
        WORKED = "10.3", "Sec. 10.3 — required to work a holiday (rostered to work it)"
        DAY_OFF = "10.4", "Sec. 10.4 — a holiday on a day that is not a regular workday"
        ELECTION = "10.5", "Sec. 10.5 — required to work the regular shift on a holiday otherwise off"

    class Outcome(models.TextChoices):
        COMP_DAY = "comp_day", "a compensatory day off with pay"
        PAY = "pay", "a day's pay"

    class Chooser(models.TextChoices):
        EMPLOYEE = "employee", "the employee (Sec. 10.5, the first occasions of the year)"
        EMPLOYER = "employer", "the Employer / agency"

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="holiday_occasions")
    holiday_date = models.DateField(help_text="The holiday as observed (Sec. 10.2).")
    holiday_name = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField(help_text="The calendar year of the holiday (Sec. 10.5 counts per year).")
    section = models.CharField(max_length=4, choices=Section.choices)
    occasion = models.PositiveSmallIntegerField(null=True, blank=True,
                                                help_text="Sec. 10.5: the occasion's number in its calendar year.")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    chosen_by = models.CharField(max_length=10, choices=Chooser.choices,
                                 help_text="Whose choice the outcome was under the contract.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text="The person for the Employer who decided (Sec. 10.4), "
                                                               "or who recorded the employee's election (Sec. 10.5).")
    reasons = models.TextField(blank=True, help_text="Why: the Employer's option (Sec. 10.4), or why the agency "
                                                     "cannot grant a compensatory day (Sec. 10.3, 10.5).")
    micro = models.BigIntegerField(help_text="The holiday credit: a day (Sec. 10.9), prorated part-time (Sec. 10.6.A).")
    last_day = models.DateField(null=True, blank=True, help_text="A compensatory day: the last day to take it.")
    cite = models.CharField(max_length=120)
    explanation = models.TextField(help_text="The rules core's reasons, each with its citation.")
    entry = models.ForeignKey("ledger.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT, db_constraint=False,
                              related_name="+", help_text="The compensatory day's EARNED ledger entry.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "holiday_date"], name="comp_one_occasion_per_holiday")]
        ordering = ["holiday_date", "id"]

    def __str__(self) -> str:
        return f"{self.holiday_name} {self.holiday_date}: {self.get_outcome_display()} (Sec. {self.section})"


class CompTimeEarning(_AppendOnly):
    """Overtime the employee asked to take as comp time (Sec. 7.2.G): the hours credited, and — above the cap —
    the overtime paid instead."""

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="comp_time_earnings")
    worked_on = models.DateField(help_text="The day the overtime was worked.")
    overtime_micro = models.BigIntegerField(help_text="Overtime hours elected as comp time (µh).")
    earned_micro = models.BigIntegerField(help_text="Overtime × the Sec. 7.2.G rate (µh).")
    credited_micro = models.BigIntegerField(help_text="Comp time credited to the ledger (µh), within the cap.")
    not_credited_micro = models.BigIntegerField(help_text="Comp time over the cap, not banked (µh).")
    overtime_paid_micro = models.BigIntegerField(help_text="The overtime hours paid instead, as overtime (µh).")
    balance_before_micro = models.BigIntegerField(help_text="The comp time balance the cap was applied to (µh).")
    requested_by_employee = models.BooleanField(help_text="Sec. 7.2.G: granted upon the request of the employee.")
    overtime_form = models.CharField(max_length=60, blank=True, help_text="The Employer's overtime form (reference).")
    note = models.CharField(max_length=300, blank=True)
    cite = models.CharField(max_length=120)
    explanation = models.TextField()
    entry = models.ForeignKey("ledger.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT, db_constraint=False,
                              related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["worked_on", "id"]

    def __str__(self) -> str:
        return f"comp time for overtime on {self.worked_on}"


class CompDayWarning(models.Model):
    """The one warning sent for a compensatory day about to expire (unique per day earned: a second run, the same
    day or later, sends nothing)."""

    entry = models.OneToOneField("ledger.LedgerEntry", on_delete=models.PROTECT, db_constraint=False, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    last_day = models.DateField()
    micro = models.BigIntegerField(help_text="Hours that would expire (µh), when warned.")
    sent_on = models.DateField()
    notification = models.ForeignKey("leave.Notification", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"warned on {self.sent_on}: compensatory day ends {self.last_day}"
