"""The union-wide limits of Art. 5 in the app: the usage across every member (one query per limit), the lock
that serialises two members' requests racing for the last days, and the union officer's view.

* ``union_usage`` — for a union-leave request of a limited purpose, ONE query over the live (pending, approved,
  partly approved, taken) union-leave requests of that purpose in the limit's window, of every member of the
  unit in every agency (the President's assistants: of units 1, 3 and 6), reduced by the rules core
  (``rules.requests.union_limits.reduce``); the full-time limit adds ONE ``COUNT`` of the unit's employees.
  No member's data leaves this function: only counts and dates reach the check.
* ``lock`` — inside the submit / decide transaction, before the usage is read: on PostgreSQL a transaction-level
  advisory lock per limit (``pg_advisory_xact_lock``), so the second of two racing requests reads the first's
  pending days; SQLite serialises writers by itself.
* ``officer_view`` — what has been used and what remains of each limit on a date, with the citations, and the
  union-leave holders (name, agency, dates, status): union leave is the union's own business, shown to the
  union's officers (stewards) and HR; each holder shown is logged in that member's access log.
"""

from __future__ import annotations

import datetime as dt
import zlib

from django.db import connection
from django.db.models import Q

from openleave import policy
from openleave.audit.access import Access, record_many
from openleave.people.models import Employee
from openleave.rules.params import default_tree
from openleave.rules.requests.model import UnionUsage
from openleave.rules.requests.union_limits import CITE, KIND_OF, LABELS, LIMITED, Row, reduce, summary, window
from openleave.rules.units import hours_str

from .models import LeaveRequest

S = LeaveRequest.Status
LIVE = (S.SUBMITTED, S.APPROVED, S.PARTLY_APPROVED, S.TAKEN)


def limited_purpose(kind: str, facts: dict | None) -> str | None:
    """The limited Art. 5 purpose of a request (``convention``, ``exec_board``, ...), or None."""
    purpose = (facts or {}).get("purpose")
    return purpose if purpose in LIMITED and KIND_OF[purpose] == kind else None


def _units(purpose: str, unit: str, on: dt.date) -> list[str]:
    if purpose == "president_assist":  # Sec. 5.3: units 1, 3 and 6 share the equivalents
        prefix = unit.rsplit(" ", 1)[0] if unit[-1:].isdigit() else unit
        return [f"{prefix} {int(n)}" for n in default_tree().get("use.union.president_assist_units", on).value]
    return [unit]


def _live(purpose: str, first: dt.date, last: dt.date, units: list[str]):
    return (LeaveRequest.objects.filter(kind=KIND_OF[purpose], facts__purpose=purpose, status__in=LIVE,
                                        start_date__lte=last, end_date__gte=first,
                                        employee__bargaining_unit__in=units)
            .order_by())


def _rows(values, first: dt.date, last: dt.date) -> list[Row]:
    out = []
    for emp, start, end, days in values:
        held = {dt.date.fromisoformat(d): int(m) for d, m in (days or {}).items()}
        out.append(Row(emp, start, end, {d: m for d, m in held.items() if first <= d <= last and m > 0}))
    return out


def unit_employees(unit: str, on: dt.date) -> int:
    """Employees in the bargaining unit on ``on`` (Sec. 5.4: "employees in the bargaining unit"): one COUNT, every
    agency; contractors are not in the unit; separated employees and those not yet started are not counted."""
    return (Employee.objects.filter(bargaining_unit=unit, service_start__lte=on)
            .exclude(status=Employee.Status.CONTRACTOR)
            .filter(Q(separation_date__isnull=True) | Q(separation_date__gte=on)).count())


def union_usage(employee: Employee, kind: str, start: dt.date, end: dt.date, facts: dict,
                exclude: int | None = None) -> UnionUsage:
    """The union-wide usage for one union-leave request (the request ``exclude`` left out); empty for a purpose
    without a union-wide limit."""
    purpose = limited_purpose(kind, facts)
    if purpose is None:
        return UnionUsage()
    first, last = window(purpose, start, end, default_tree())
    qs = _live(purpose, first, last, _units(purpose, employee.bargaining_unit, start))
    if exclude:
        qs = qs.exclude(pk=exclude)
    rows = _rows(qs.values_list("employee_id", "start_date", "end_date", "days"), first, last)
    count = unit_employees(employee.bargaining_unit, start) if purpose == "full_time_union" else None
    return reduce(purpose, rows, employee.pk, count)


def lock(kind: str, facts: dict | None) -> None:
    """Serialise the requests of one union-wide limit (call inside the transaction, before reading the usage)."""
    purpose = limited_purpose(kind, facts)
    if purpose is None or connection.vendor != "postgresql":
        return  # SQLite: one writer at a time already
    key = zlib.crc32(f"openleave.union_limit.{purpose}".encode()) & 0x7FFFFFFF
    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [key])


# --- the union officer's view --------------------------------------------------------------------------------

def officer_view(user, on: dt.date, unit: str = "NAGE Unit 3", channel: str = "ui") -> dict:
    """Each limit on ``on``: used (pending and granted, every member), remaining, the window and the citation,
    and the holders of union leave in that window. For union officers (stewards) and HR (``policy``)."""
    if not policy.can_view_union_limits(user):
        raise policy.NotVisible()
    tree = default_tree()
    usage, holders = {}, []
    # The union's officers see every holder of union leave (the Union's own business); HR sees the figures for
    # the whole unit and names only the members it already sees (its agency).
    shown = None if policy.is_steward(user) else set(policy.visible_employees(user, policy.LEAVE)
                                                        .values_list("pk", flat=True))
    for purpose in LIMITED:
        first, last = window(purpose, on, on, tree)
        qs = _live(purpose, first, last, _units(purpose, unit, on))
        rows = list(qs.select_related("employee__agency").defer("finding_at_submission", "finding_at_decision"))
        found = _rows([(r.employee_id, r.start_date, r.end_date, r.days) for r in rows], first, last)
        usage[purpose] = reduce(purpose, found, None,
                                unit_employees(unit, on) if purpose == "full_time_union" else None)
        for r, f in zip(rows, found, strict=True):
            if shown is not None and r.employee_id not in shown:
                continue  # counted above; named only to those who may see the member
            holders.append({"purpose": purpose, "label": LABELS[purpose], "cite": CITE[purpose], "request_id": r.pk,
                            "employee": r.employee, "name": r.employee.name, "agency": r.employee.agency.name,
                            "start": r.start_date, "end": r.end_date, "days": len(f.days),
                            "hours": hours_str(sum(f.days.values())), "status": r.get_status_display()})
    limits = summary(on, usage, tree)
    for lim in limits:
        for k in ("limit", "used", "remaining"):
            if f"{k}_micro" in lim:
                lim[k] = hours_str(lim[f"{k}_micro"])
        if "per_person_micro" in lim:
            lim["per_person"] = hours_str(lim["per_person_micro"])
    record_many(actor=user, channel=channel, accesses=[
        Access(subject=x["employee"], object_type="union_leave", object_id=x["request_id"], category=policy.LEAVE,
               fields=f"union leave ({x['purpose']}) in the union-limits view") for x in holders])
    notice = tree.get("use.union.notice_days", on)
    units = ", ".join(str(int(n)) for n in tree.get("use.union.president_assist_units", on).value)
    return {"on": on, "unit": unit, "limits": limits, "notice_days": int(notice.value), "notice_cite": notice.cite,
            "assist_units": units,
            "holders": [{k: v for k, v in x.items() if k != "employee"} for x in holders]}
