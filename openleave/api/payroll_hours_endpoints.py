"""API: HR's import of hours paid and unpaid per employee and pay period from payroll (issue 15, item 3) — the
same checks as ``manage.py import_payroll_hours`` (``openleave.ledger.payroll_hours``): dry run by default,
nothing written unless every row is valid (or ``partial``), the same rows twice change nothing."""

from __future__ import annotations

from ninja import Router, Schema, Status
from pydantic import Field

from openleave import policy

from .schemas import BODY_ERRORS, BodyIn, Text, answers

router = Router()


class PayrollHoursRowIn(BodyIn):
    """One employee and pay period (the columns of the CSV import)."""

    employee_number: Text(20)
    period_start: Text(10) = Field(description="YYYY-MM-DD: the first day of the pay period in the employee's calendar")
    hours_paid: Text(24) = Field(description="exact decimal hours paid, not negative, at most 6 decimals")
    hours_unpaid: Text(24) = Field(description="exact decimal hours without pay (Sec. 8.1.D, 9.3), not negative")
    note: Text(200) = ""


class PayrollHoursIn(BodyIn):
    rows: list[PayrollHoursRowIn] = Field(max_length=500, description="at most 500 rows a request (the request body limit); a larger file through manage.py import_payroll_hours")
    dry_run: bool = Field(default=True, description="check every row and write nothing (the default)")
    partial: bool = Field(default=False, description="write the valid rows and report the others as left out")


class PayrollHoursBefore(Schema):
    hours_paid: str
    hours_unpaid: str


class PayrollHoursRowOut(Schema):
    row: int
    employee_number: str
    period_start: str | None
    hours_paid: str
    hours_unpaid: str
    status: str = Field(description="new, correction (a new version), unchanged, invalid")
    version: int
    closed: bool = Field(description="the period's accrual has run: a correction needs manage.py reaccrue")
    before: PayrollHoursBefore | None
    cite: str


class PayrollHoursError(Schema):
    row: int
    column: str
    message: str


class PayrollHoursOut(Schema):
    dry_run: bool
    partial: bool
    summary: str
    written: int
    batch: int | None
    new: int
    unchanged: int
    corrections: int
    left_out: list[int]
    rows: list[PayrollHoursRowOut]
    errors: list[PayrollHoursError]


@router.post("/payroll-hours/import", response=answers({200: PayrollHoursOut}, *BODY_ERRORS, 409), tags=["ledger"],
             summary="HR: import hours paid and unpaid per pay period (dry run by default; nothing written unless "
                     "all rows are valid, or partial)")
def payroll_hours_import(request, payload: PayrollHoursIn):
    """Rows numbered from 1 in the order given. Any invalid row (without ``partial``): 422 naming each
    ``rows[i].column`` and what to fix, nothing written. A row equal to the newest version loaded is ``unchanged``;
    a different one is a new version, never an edit. HR only (others: 404)."""
    from django.http import Http404
    from ninja.errors import HttpError

    from openleave.accounts import roles as R
    from openleave.ledger import payroll_hours as P

    user = request.auth
    if not user.has_role(R.HR) or policy.is_read_only(user):
        raise Http404
    rows = [(i, r.dict()) for i, r in enumerate(payload.rows, 1)]
    try:
        report = P.import_payroll_hours(rows=rows, by=user, channel="api", dry_run=payload.dry_run,
                                        partial=payload.partial, source="the API")
    except P.ImportConflict as exc:
        raise HttpError(409, str(exc)) from None
    if not report.ok and not payload.partial:
        errors = [{"field": f"rows[{p.row - 1}].{p.column}" if p.column else f"rows[{p.row - 1}]",
                   "message": f"row {p.row}: {p.message}"} for p in report.problems]
        return Status(422, {"detail": report.summary(), "field": errors[0]["field"], "errors": errors})
    return report.as_json()
