"""API routes: who am I, the people I may see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Router, Schema
from pydantic import Field

from openleave import policy
from openleave.audit.access import record_access, record_reads
from openleave.people.selectors import employee_or_404

from .schemas import Offset, Text, answers

router = Router()


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]
    employee_number: str | None


class EmployeeOut(Schema):
    employee_number: str
    given_name: str
    family_name: str
    agency: str
    title: str
    status: str
    scheduled_weekly_hours: Decimal
    title_full_time_weekly_hours: Decimal
    supervisor: str | None


class EmployeeDetailOut(EmployeeOut):
    original_hire_date: dt.date | None = None
    service_start: dt.date | None = None
    probation_end: dt.date | None = None


def _employee_out(e, detail: bool = False) -> dict:
    out = {
        "employee_number": e.employee_number,
        "given_name": e.given_name,
        "family_name": e.family_name,
        "agency": e.agency.code,
        "title": e.title.name,
        "status": e.status,
        "scheduled_weekly_hours": e.scheduled_weekly_hours,
        "title_full_time_weekly_hours": e.title.full_time_weekly_hours,
        "supervisor": e.supervisor.employee_number if e.supervisor_id else None,
    }
    if detail:
        out.update(original_hire_date=e.original_hire_date, service_start=e.service_start, probation_end=e.probation_end)
    return out


def employee_for(request, employee_number: str, category: str):
    """The employee the API call names, as ``request.auth`` may see them (else 404: ``people.selectors``)."""
    return employee_or_404(request.auth, employee_number, category)


@router.get("/me", response=answers({200: MeOut}), tags=["people"], summary="The signed-in user and their roles")
def me(request):
    user = request.auth
    emp = user.employee_or_none
    return {"username": user.username, "name": user.display_name(), "roles": sorted(user.roles),
            "employee_number": emp.employee_number if emp else None}


@router.get("/employees", response=answers({200: list[EmployeeOut]}), tags=["people"], summary="Employees you may see")
def employees(request, q: Text(100) = "", limit: Annotated[int, Field(ge=1, le=500)] = 100, offset: Offset = 0):
    qs = policy.visible_employees(request.auth, policy.DIRECTORY).select_related("agency", "title", "supervisor")
    if q:
        qs = qs.filter(family_name__icontains=q)
    rows = list(qs.order_by("family_name", "given_name")[offset: offset + limit])
    record_reads(actor=request.auth, channel="api", subjects=rows, object_type="employee",
                 category=policy.DIRECTORY, fields="list")
    return [_employee_out(e) for e in rows]


@router.get("/employees/{employee_number}", response=answers({200: EmployeeDetailOut}), tags=["people"],
         summary="One employee (404 if absent or not yours to see)")
def employee(request, employee_number: str):
    e = employee_for(request, employee_number, policy.DIRECTORY)
    record_access(actor=request.auth, subject=e, object_type="employee", object_id=e.pk, category=policy.DIRECTORY, channel="api")
    return _employee_out(e, detail=policy.can_view(request.auth, e, policy.LEAVE))
