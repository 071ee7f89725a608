"""Reads: one employee's compensatory days and comp time, with the records behind them. Records the read."""

from __future__ import annotations

from openleave import clock, policy
from openleave.audit.access import record_access
from openleave.ledger.comp_days import comp_days
from openleave.rules.units import hours_str

from .models import CompTimeEarning, HolidayOccasion
from .services import WARNING_DAYS, comp_time_balance


def comp_record(user, employee, channel: str = "ui") -> dict:
    """The employee's holiday occasions, compensatory days (with last days), comp time balance and earnings."""
    record_access(actor=user, subject=employee, object_type="comp_record", object_id=employee.pk,
                  category=policy.LEAVE, channel=channel, fields="compensatory days, comp time")
    today = clock.today()
    days = comp_days(employee, today)
    return {
        "as_of": today,
        "occasions": list(HolidayOccasion.objects.filter(employee=employee).select_related("decided_by")
                          .order_by("-holiday_date")),
        "comp_days": days,
        "expiring": [d for d in days if d.remaining > 0 and 0 <= (d.last_day - today).days <= WARNING_DAYS],
        "comp_time_micro": comp_time_balance(employee, today),
        "comp_time": hours_str(comp_time_balance(employee, today)),
        "earnings": [{"record": r, "overtime": hours_str(r.overtime_micro), "earned": hours_str(r.earned_micro),
                      "credited": hours_str(r.credited_micro), "not_credited": hours_str(r.not_credited_micro),
                      "paid": hours_str(r.overtime_paid_micro)}
                     for r in CompTimeEarning.objects.filter(employee=employee).order_by("-worked_on", "-id")],
        "warning_days": WARNING_DAYS,
    }
