"""Writes to the organisation record. Each runs in one transaction and leaves an audit trail."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openleave.audit.access import record_access
from openleave.rules.params import default_tree
from openleave.rules.service import adjusted_service_start

from .models import Employee, IndustrialAccidentLeave, ServiceEvent


def employee_refresh_service_date(*, employee: Employee, on: dt.date | None = None) -> dt.date:
    """Recompute the derived vacation service date from the recorded service history (Sec. 9.2.B, 9.7, 9.12)."""
    decision = adjusted_service_start(employee.facts(), default_tree(), on or timezone.localdate())
    Employee.objects.filter(pk=employee.pk).update(vacation_service_date=decision.value)
    employee.vacation_service_date = decision.value
    return decision.value


@transaction.atomic
def service_event_record(*, employee: Employee, kind: str, reason: str, by, left: dt.date | None = None,
                         returned: dt.date | None = None, days: int = 0, prior_service_approved: bool = False,
                         cite: str = "") -> ServiceEvent:
    """Append a break or an adjustment to the service history — never overwrite the service start."""
    if not reason.strip():
        raise ValidationError("Give the reason for this service record.")
    event = ServiceEvent(employee=employee, kind=kind, left=left, returned=returned, days=days,
                         prior_service_approved=prior_service_approved, reason=reason, cite=cite, recorded_by=by)
    event.full_clean()
    event.save()
    employee_refresh_service_date(employee=employee)
    record_access(actor=by, subject=employee, object_type="service_event", object_id=event.pk,
                  category="leave", channel="ui", action="change", fields="service history")
    return event


class IndustrialAccidentInvalid(ValueError):
    """A bad industrial accident leave period: the message starts with the field ("started: …")."""


def _ia_check(employee: Employee, started: dt.date, ended: dt.date | None, note: str, exclude=None) -> str:
    note = (note or "").strip()
    if len(note) > 200:
        raise IndustrialAccidentInvalid("note: at most 200 characters — an administrative note, no medical detail.")
    if ended is not None and ended < started:
        raise IndustrialAccidentInvalid(f"ended: {ended} is before the first day {started}.")
    if employee.separation_date and started > employee.separation_date:
        raise IndustrialAccidentInvalid(f"started: after the employee's separation on {employee.separation_date}.")
    qs = IndustrialAccidentLeave.objects.filter(employee=employee)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    for other in qs:
        if other.started <= (ended or dt.date.max) and started <= (other.ended or dt.date.max):
            raise IndustrialAccidentInvalid(
                f"started: overlaps the period {other.started}..{other.ended or '(continuing)'} already recorded.")
    return note


def industrial_accident_leave_record(*, employee: Employee, started: dt.date, by, ended: dt.date | None = None,
                                     note: str = "", channel: str = "ui") -> IndustrialAccidentLeave:
    """Record a period of industrial accident leave (Sec. 9.13, 9.15) — dates and an administrative note only, no
    injury, diagnosis or claim detail. HR of the employee's agency; no overlap with a recorded period. One
    transaction with its access-log row naming the employee. The year-end run converts, instead of forfeiting, the
    vacation of an employee on it at the end of the vacation year (Sec. 9.15)."""
    from openleave import policy

    if by is None or policy.is_read_only(by) or not policy.can_manage_ledger(by, employee):
        raise PermissionError("Only HR of the employee's agency may record industrial accident leave.")
    with transaction.atomic():
        Employee.objects.select_for_update(of=("self",)).filter(pk=employee.pk).first()
        note = _ia_check(employee, started, ended, note)
        rec = IndustrialAccidentLeave.objects.create(employee=employee, started=started, ended=ended, note=note,
                                                     recorded_by=by, recorded_at=timezone.now())
        record_access(actor=by, subject=employee, object_type="industrial_accident_leave", object_id=rec.pk,
                      category=policy.LEAVE, channel=channel, action="change",
                      fields=f"industrial accident leave {started}..{ended or ''} (Sec. 9.15)")
    return rec


def industrial_accident_leave_end(*, period: IndustrialAccidentLeave, ended: dt.date, by,
                                  channel: str = "ui") -> IndustrialAccidentLeave:
    """Record the last day of a continuing period (the employee returned). Same checks and log as recording."""
    from openleave import policy

    employee = period.employee
    if by is None or policy.is_read_only(by) or not policy.can_manage_ledger(by, employee):
        raise PermissionError("Only HR of the employee's agency may record industrial accident leave.")
    with transaction.atomic():
        Employee.objects.select_for_update(of=("self",)).filter(pk=employee.pk).first()
        period = IndustrialAccidentLeave.objects.get(pk=period.pk)
        if period.ended is not None:
            raise IndustrialAccidentInvalid(f"ended: this period already ended on {period.ended}.")
        _ia_check(employee, period.started, ended, period.note, exclude=period)
        period.ended = ended
        period.save(update_fields=["ended"])
        record_access(actor=by, subject=employee, object_type="industrial_accident_leave", object_id=period.pk,
                      category=policy.LEAVE, channel=channel, action="change",
                      fields=f"industrial accident leave ended {ended} (Sec. 9.15)")
    return period
