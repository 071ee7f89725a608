"""Writes to the organisation record. Each runs in one transaction and leaves an audit trail."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openleave.audit.access import record_access
from openleave.rules.params import default_tree
from openleave.rules.service import adjusted_service_start

from .models import Employee, ServiceEvent


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
