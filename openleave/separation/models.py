"""Separations and returns: the history, never overwritten.

A ``Separation`` records when and why an employee left (the contract's words: resignation, retirement, death,
layoff, dismissal), who recorded it and when, and the statement's figures as computed at that moment (the
balances through ``ledger.selectors.balance_parts``, the hours paid and set aside, each with its citations).
The ledger holds the matching entries (``Kind.PAYOUT``; the sick credits set aside; ``Kind.RESTORED`` on
return). A ``Return`` closes one separation: the date, the kind of return, the CHRO's approval of a long
absence (who, when, the cause and reasons) and the sick leave restored. ``Employee.separation_date`` is only
the current state; the rows here are the history. Rows are only ever added (``save`` refuses a change).

Least data: on death the payee is recorded as a role ("in the order of precedence", "designated
beneficiary", "estate") — never a name. The rate of pay is optional (money is shown only when it is given).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from openleave.rules.separation import APPROVAL_CAUSES, PAYEES, REASONS, RETURN_KINDS


class AppendOnly(Exception):
    """Separation records are never changed: record a return, or a new separation after it."""


class _AddOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnly("separation and return records are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("separation and return records are never deleted")


class Separation(_AddOnly):
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="separations")
    separation_date = models.DateField(help_text="The last day of employment; the balances are those at its end.")
    reason = models.CharField(max_length=16, choices=list(REASONS.items()))
    death_payee = models.CharField(
        max_length=24, choices=list(PAYEES.items()), blank=True,
        help_text="On death only: who is paid, as a role in the order of precedence (Sec. 9.11, 8.1.O) — never a name.")
    hourly_rate_cents = models.PositiveIntegerField(
        null=True, blank=True,
        help_text="Optional: the final regular hourly rate of pay in cents (Sec. 7.2.G). Without it the statement "
                  "gives hours only; no pay figure is invented.")
    note = models.CharField(max_length=500, blank=True)
    lines = models.JSONField(default=list, help_text="The statement's figures as computed when recorded: per leave "
                                                     "type the balance, hours paid and set aside (µh), citations, reasons.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-separation_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["employee", "separation_date"], name="separation_once_per_day")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on {self.separation_date} ({self.employee_id})"

    def line(self, leave: str) -> dict:
        return next((ln for ln in self.lines if ln["leave"] == leave), {})


class Return(_AddOnly):
    separation = models.OneToOneField(Separation, on_delete=models.PROTECT, related_name="return_record")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="separation_returns")
    return_date = models.DateField()
    kind = models.CharField(max_length=16, choices=list(RETURN_KINDS.items()), default="reinstated")
    long_absence = models.BooleanField(help_text="An absence of three years or more (Sec. 8.1.H, 9.12).")
    chro_approved_by = models.CharField(max_length=200, blank=True,
                                        help_text="The Chief Human Resources Officer (or delegate) who approved.")
    chro_approved_on = models.DateField(null=True, blank=True)
    chro_cause = models.CharField(max_length=24, choices=list(APPROVAL_CAUSES.items()), blank=True)
    chro_reasons = models.CharField(max_length=500, blank=True)
    sick_restored_micro = models.BigIntegerField(default=0)
    service_event = models.ForeignKey("people.ServiceEvent", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    reasons = models.JSONField(default=list)
    cites = models.CharField(max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-return_date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.return_date} ({self.employee_id})"
