"""Sec. 8.2.A: "Full-time employees hired or promoted into the bargaining unit after the first full pay period in
January of each year will be credited with personal leave days in accordance with the following schedule" — the
quarter table (``contract/.../personal/new_hire_quarters.yaml``), credited on the day of hire or promotion (the
annual run, ``services.accrual_run_annual``, credits everyone in the unit by the first full pay period of January).

* ``personal_credit_at_hire`` — the service to call when an employee is created (or promoted into the unit) with
  a hire date that has come: posts the credit, cited, as an ``ANNUAL_CREDIT`` dated the day of hire.
* ``post_new_hire_personal`` — the catch-up (``manage.py post_new_hire_personal --since D``, daily): every
  employee whose hire date is on or after ``D`` and not after today, in one read, the credits by the pure rules
  (``rules.accrual.personal_credit``) and one bulk insert.

Idempotent: the key ``personal-hire:<employee>:<year>`` (unique in the ledger) — one credit per employee and year,
however often either is called. Employees hired on or before the first day of the first full pay period of
January get the annual credit instead (the rule says so: its ``effective`` day is that day), and nothing here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from openleave.people.models import Employee
from openleave.rules import accrual as rules
from openleave.rules.calendar import first_full_period_in_january, period_containing
from openleave.rules.units import hours_str

from .models import Kind, Leave, LedgerEntry

SYSTEM = "manage.py post_new_hire_personal"


def key_of(employee_id: int, year: int) -> str:
    return f"personal-hire:{employee_id}:{year}"


@dataclass
class HireResult:
    posted: list[LedgerEntry] = field(default_factory=list)
    already: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        total = sum(e.micro for e in self.posted)
        skipped = "; ".join(f"{n} {why}" for why, n in sorted(self.skipped.items()))
        return (f"posted {len(self.posted)} Sec. 8.2.A personal leave credit(s) at hire ({hours_str(total)} h); "
                f"{self.already} already posted" + (f"; not credited: {skipped}" if skipped else ""))


def _entry(employee: Employee, today: dt.date, by) -> tuple[LedgerEntry | None, str]:
    """The credit at hire of one employee, or why there is none."""
    if employee.status not in rules.ACCRUING_STATUSES:
        return None, "not full-time or regular part-time (Sec. 8.2.A)"
    hired = employee.service_start
    if hired > today:
        return None, "hire date not yet reached (credited on the day of hire)"
    if employee.separation_date and employee.separation_date < hired:
        return None, "separated"
    from .services import tree

    first = first_full_period_in_january(hired.year, tree=tree())
    dec = rules.personal_credit(employee.facts(), hired.year, tree())
    if hired <= first.start or dec.extra.get("effective") != hired:
        return None, "in the unit by the first full pay period of January: the annual credit (Sec. 8.2.A/B)"
    if dec.value <= 0:
        return None, "hired in the last quarter: 0 hours by the Sec. 8.2.A table"
    return LedgerEntry(
        employee_id=employee.pk, leave=int(Leave.PERSONAL), kind=Kind.ANNUAL_CREDIT, micro=dec.value,
        effective_date=hired, period_start=period_containing(hired, employee.pay_calendar.anchor).start,
        cite=", ".join(dec.citations)[:120], reason=("; ".join(dec.reasons) + " (credited on the day of hire)")[:500],
        by=by, key=key_of(employee.pk, hired.year), recorded_at=timezone.now(), vintage=hired.year), ""


def _post(candidates: list[Employee], by, system: str, channel: str, today: dt.date) -> HireResult:
    from openleave.audit.access import Access, System, record_many
    from openleave.audit.models import AccessLog

    from .services import _drop_checkpoints_from

    result = HireResult()
    keys = {key_of(e.pk, e.service_start.year) for e in candidates}
    done = set(LedgerEntry.objects.filter(key__in=keys).values_list("key", flat=True))
    todo = []
    for emp in candidates:
        if key_of(emp.pk, emp.service_start.year) in done:
            result.already += 1
            continue
        entry, why = _entry(emp, today, by)
        if entry is None:
            result.skipped[why] = result.skipped.get(why, 0) + 1
        else:
            todo.append((emp, entry))
    if not todo:
        return result
    try:
        with transaction.atomic():
            LedgerEntry.objects.bulk_create([e for _, e in todo], batch_size=5000)
            for emp, e in todo:
                _drop_checkpoints_from(e.effective_date, (Leave.PERSONAL,), emp.pk)
            record_many(actor=by if by is not None else System(system), channel=channel, accesses=[
                Access(subject=emp, object_type="ledger_entry", object_id=e.key, category="leave",
                       action=AccessLog.Action.CHANGE,
                       fields=f"personal leave at hire {hours_str(e.micro)} h ({e.cite})") for emp, e in todo])
    except IntegrityError:  # posted meanwhile by the other path: count them as already posted
        posted = set(LedgerEntry.objects.filter(key__in=[e.key for _, e in todo]).values_list("key", flat=True))
        result.already += len(posted)
        return result
    result.posted = [e for _, e in todo]
    return result


def personal_credit_at_hire(*, employee: Employee, by=None, system: str = "people import",
                            channel: str = "command", today: dt.date | None = None) -> LedgerEntry | None:
    """Post the Sec. 8.2.A quarter-table personal credit of a new hire (or a promotion into the unit) on the day of
    hire; the entry, or None when there is none (hired by January's first full pay period, the last quarter, not
    yet hired, not accruing) or it was posted already (the same entry is then returned)."""
    today = today or timezone.localdate()
    found = LedgerEntry.objects.filter(key=key_of(employee.pk, employee.service_start.year)).first()
    if found is not None:
        return found
    result = _post([employee], by, system, channel, today)
    if result.posted:
        return result.posted[0]
    return LedgerEntry.objects.filter(key=key_of(employee.pk, employee.service_start.year)).first()


def post_new_hire_personal(*, since: dt.date, by=None, today: dt.date | None = None, system: str = SYSTEM,
                           employee_ids: list[int] | None = None) -> HireResult:
    """Every employee hired on or after ``since`` (and not after today) without their credit at hire — or only
    ``employee_ids`` (a people import's new employees, set-based) — in one read, the pure rules, one bulk insert.
    Idempotent (``key_of``)."""
    today = today or timezone.localdate()
    qs = Employee.objects.filter(service_start__gte=since, service_start__lte=today)
    if employee_ids is not None:
        qs = qs.filter(pk__in=employee_ids)
    emps = list(qs.select_related("title", "pay_calendar").prefetch_related("service_events").order_by("pk"))
    return _post(emps, by, system, "command" if by is None else "ui", today)
