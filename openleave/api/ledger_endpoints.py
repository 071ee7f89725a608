"""API: leave balances and ledger lines, each with its citation. Same policy checks as the web pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Router, Schema, Status
from pydantic import Field

from openleave import clock, policy
from openleave.audit.access import record_access
from openleave.ledger import selectors
from openleave.ledger.models import LEAVE_BY_SLUG

from .endpoints import employee_for
from .schemas import BODY_ERRORS, BodyIn, Day, Text, answers

router = Router()


class LedgerBalanceOut(Schema):
    """One leave type's balance in named parts (``ledger.selectors.BalanceParts``), exact decimal hours."""

    leave: str = Field(description="sick, vacation, personal, emergency, comp, holiday")
    label: str
    on: dt.date
    hours: str = Field(description="the balance at the end of the day: carried + credited − used")
    micro_hours: int
    carried: str = Field(description="the balance at the latest year end (Sec. 9.1)")
    credited: str
    used: str
    booked: str = Field(description="leave already granted for later days")
    pending: str = Field(description="held by requests awaiting a decision")
    available: str = Field(description="hours − booked − pending: what a new request may draw (Sec. 8.1.N)")
    available_micro: int
    citations: list[str]


def balance_rows(parts: dict) -> list[dict]:
    """The ``LedgerBalanceOut`` rows of ``selectors.balance_parts`` — both balance endpoints answer with these."""
    return [{"leave": p.slug, "label": p.label, "on": p.as_of, **p.hours(), "hours": selectors.hours_str(p.balance),
             "micro_hours": p.balance, "available_micro": p.available, "citations": list(p.citations)}
            for p in parts.values()]


class LineOut(Schema):
    id: int
    date: dt.date
    kind: str
    hours: str
    micro_hours: int
    reason: str
    citations: list[str]
    explanation: str
    balance_after: str


@router.get("/employees/{employee_number}/balances", response=answers({200: list[LedgerBalanceOut]}), tags=["ledger"])
def balances(request, employee_number: str, on: Day | None = None):
    """Balance per leave type as of ``on`` (default today), in named parts and exact decimal hours — the
    same figures as ``/api/leave/balances`` and the pages."""
    e = employee_for(request, employee_number, policy.LEAVE)
    record_access(actor=request.auth, subject=e, object_type="ledger", object_id=e.pk, category=policy.LEAVE,
                  channel="api", fields="balances")
    return balance_rows(selectors.balance_parts(e, on or clock.today()))


@router.get("/employees/{employee_number}/ledger/{leave}", response=answers({200: list[LineOut]}), tags=["ledger"])
def ledger(request, employee_number: str, leave: str, limit: Annotated[int, Field(ge=1, le=1000)] = 200):
    """Ledger lines of one leave type (sick, vacation, personal, emergency_day, comp_time, holiday), newest first;
    the older spellings ``emergency`` and ``comp`` are still accepted."""
    from django.http import Http404

    e = employee_for(request, employee_number, policy.LEAVE)
    if leave not in LEAVE_BY_SLUG:
        raise Http404
    record_access(actor=request.auth, subject=e, object_type="ledger", object_id=e.pk, category=policy.LEAVE,
                  channel="api", fields=f"ledger lines {leave}")
    lines = selectors.ledger_lines(e, int(LEAVE_BY_SLUG[leave]), limit=limit)
    return [{"id": ln.id, "date": ln.date, "kind": ln.kind, "hours": ln.hours, "micro_hours": ln.micro,
             "reason": ln.reason, "citations": [c.strip() for c in ln.cite.split(",") if c.strip()],
             "explanation": ln.explanation, "balance_after": ln.running_hours} for ln in lines]


# --- the year end (issue 12): the runs, and the Sec. 8.2.B carry-over record ------------------------------------


class YearEndRunOut(Schema):
    id: int
    year: int
    last_day: dt.date = Field(description="the last day of the vacation year (Sec. 9.1), the forfeiture day")
    finished_at: dt.datetime | None
    by: str
    summary: dict = Field(description="employees, hours forfeited per leave type, Sec. 9.15 conversions")


@router.get("/year-end-runs", response=answers({200: list[YearEndRunOut]}), tags=["ledger"])
def year_end_runs(request):
    """The year-end runs with their summaries (HR and auditors; counts only, no person's data)."""
    from django.http import Http404

    from openleave.accounts import roles as R
    from openleave.ledger.models import AccrualRun

    user = request.auth
    if not (user.has_role(R.HR) or user.has_role(R.AUDITOR)):
        raise Http404
    runs = AccrualRun.objects.filter(leave_set=AccrualRun.LeaveSet.YEAR_END).order_by("-period_end")
    return [{"id": r.pk, "year": (r.rate_plan or {}).get("year", r.period_end.year), "last_day": r.period_end,
             "finished_at": r.finished_at, "by": r.by_label, "summary": r.summary} for r in runs]


class CarryOverIn(BodyIn):
    year: int = Field(description="the year whose November and December personal leave could not be used")
    reasons: str = Field(description="the operational needs of the Department/Agency (Sec. 8.2.B)")


class CarryOverOut(Schema):
    id: int
    year: int
    reasons: str
    recorded_by: str
    recorded_at: dt.datetime
    cite: str


@router.post("/employees/{employee_number}/personal-carry-overs", response=answers({201: CarryOverOut}, *BODY_ERRORS),
             tags=["ledger"])
def personal_carry_over(request, employee_number: str, body: CarryOverIn):
    """Record that operational needs prevented the use of personal leave in November and December: one day carries
    over (Sec. 8.2.B). HR of the employee's agency; refused after the forfeiture day (a 422 naming ``year``)."""
    from openleave.ledger import year_end

    e = employee_for(request, employee_number, policy.LEAVE)
    if not policy.can_manage_ledger(request.auth, e):
        return Status(403, {"detail": "Only HR of the employee's agency may record a carry-over."})
    try:
        rec = year_end.personal_carry_over_record(employee=e, year=body.year, reasons=body.reasons, by=request.auth,
                                                  channel="api")
    except year_end.CarryOverInvalid as exc:
        field, _, message = str(exc).partition(": ")
        return Status(422, {"detail": str(exc), "field": field, "errors": [{"field": field, "message": message}]})
    return Status(201, {"id": rec.pk, "year": rec.year, "reasons": rec.reasons,
                        "recorded_by": request.auth.username, "recorded_at": rec.recorded_at, "cite": rec.cite})


# --- opening balances by vintage: HR's import (issue 12, item 1) -------------------------------------

class OpeningRowIn(BodyIn):
    """One opening balance: one row per employee, leave type and vintage (the columns of the CSV import)."""

    employee_number: Text(20)
    leave: Text(20) = Field(description="sick, vacation, personal, emergency_day, comp_time")
    vintage: Text(4) | None = Field(default=None, description="the year earned (vacation: the vacation year, "
                                                               "Sec. 9.1); empty: the year of as_of")
    hours: Text(24) = Field(description="exact decimal hours as text, more than 0, at most 6 decimals")
    as_of: Text(10) = Field(description="YYYY-MM-DD: the balance at the start of that day; not in the future")
    note: Text(200) = ""


class OpeningsIn(BodyIn):
    rows: list[OpeningRowIn] = Field(max_length=10_000)
    dry_run: bool = Field(default=True, description="check every row and write nothing (the default)")


class OpeningRowOut(Schema):
    row: int
    employee_number: str
    leave: str
    vintage: int | None
    hours: str
    as_of: dt.date | None
    status: str = Field(description="new (posted, or to post in a dry run), unchanged (already imported)")
    cite: str


class OpeningsOut(Schema):
    dry_run: bool
    summary: str
    written: int
    new: int
    unchanged: int
    totals_hours: dict[str, str]
    rows: list[OpeningRowOut]


@router.post("/ledger/opening-balances", response=answers({200: OpeningsOut}, *BODY_ERRORS, 409), tags=["ledger"],
             summary="HR: import opening balances by vintage (dry run by default; nothing written unless all rows are valid)")
def opening_balances(request, payload: OpeningsIn):
    """One row per employee, leave type and vintage, numbered from 1 in the order given. Any invalid row: 422
    naming each ``rows[i].column`` and what to fix, and nothing written. Rows already imported are ``unchanged``:
    posting the same rows again writes nothing. Each new row is an opening ledger entry with its vintage and
    citation (vacation: Sec. 9.1, Sec. 9.8), one access-log row per employee. HR only (others: 404)."""
    from django.http import Http404
    from ninja.errors import HttpError

    from openleave.accounts import roles as R
    from openleave.ledger import openings
    from openleave.ledger.services import OpeningsConflict

    user = request.auth
    if not user.has_role(R.HR) or policy.is_read_only(user):
        raise Http404
    rows = [(i, r.dict()) for i, r in enumerate(payload.rows, 1)]
    try:
        report = openings.import_opening_balances(rows=rows, by=user, channel="api", dry_run=payload.dry_run,
                                                  source="the API")
    except OpeningsConflict as exc:
        raise HttpError(409, str(exc)) from None
    if not report.ok:
        errors = [{"field": f"rows[{p.row - 1}].{p.column}" if p.column else f"rows[{p.row - 1}]",
                   "message": f"row {p.row}: {p.message}"} for p in report.problems]
        return Status(422, {"detail": report.summary(), "field": errors[0]["field"], "errors": errors})
    body = report.as_json()
    return {k: body[k] for k in ("dry_run", "summary", "written", "new", "unchanged", "totals_hours", "rows")}


# --- industrial accident leave periods (Sec. 9.13, 9.15): dates and an administrative note, no medical detail --

class IndustrialAccidentIn(BodyIn):
    started: Day = Field(description="the first day on industrial accident leave")
    ended: Day | None = Field(default=None, description="the last day (empty while it continues)")
    note: Text(200) = Field(default="", description="an administrative note only — no injury, diagnosis or claim")


class IndustrialAccidentEndIn(BodyIn):
    ended: Day = Field(description="the last day on industrial accident leave")


class IndustrialAccidentOut(Schema):
    id: int
    started: dt.date
    ended: dt.date | None
    note: str
    recorded_by: str
    recorded_at: dt.datetime
    cite: str = "Sec. 9.15"


def _ia_out(p) -> dict:
    return {"id": p.pk, "started": p.started, "ended": p.ended, "note": p.note,
            "recorded_by": p.recorded_by.username if p.recorded_by else "", "recorded_at": p.recorded_at}


def _ia_refused(exc) -> tuple[int, dict]:
    field, _, message = str(exc).partition(": ")
    return Status(422, {"detail": str(exc), "field": field, "errors": [{"field": field, "message": message}]})


def _ia_employee(request, employee_number: str):
    e = employee_for(request, employee_number, policy.LEAVE)
    if policy.is_read_only(request.auth) or not policy.can_manage_ledger(request.auth, e):
        from django.http import Http404

        raise Http404  # looks the same as "no such employee" (RefusalLooksTheSame)
    return e


@router.get("/employees/{employee_number}/industrial-accident-leaves",
            response=answers({200: list[IndustrialAccidentOut]}), tags=["ledger"])
def industrial_accident_leaves(request, employee_number: str):
    """The employee's industrial accident leave periods (HR of the employee's agency; others: 404). Logged."""
    from openleave.people.models import IndustrialAccidentLeave

    e = _ia_employee(request, employee_number)
    rows = list(IndustrialAccidentLeave.objects.filter(employee=e).select_related("recorded_by").order_by("started"))
    record_access(actor=request.auth, subject=e, object_type="industrial_accident_leave", object_id="list",
                  category=policy.LEAVE, channel="api", fields="industrial accident leave periods")
    return [_ia_out(p) for p in rows]


@router.post("/employees/{employee_number}/industrial-accident-leaves",
             response=answers({201: IndustrialAccidentOut}, *BODY_ERRORS), tags=["ledger"])
def industrial_accident_leave_record(request, employee_number: str, body: IndustrialAccidentIn):
    """Record a period of industrial accident leave: at the end of a vacation year the vacation that would be
    forfeited is converted to sick leave instead (Sec. 9.15). HR of the employee's agency; an overlap or a last day
    before the first: 422 naming the field."""
    from openleave.people import services as people_services

    e = _ia_employee(request, employee_number)
    try:
        p = people_services.industrial_accident_leave_record(employee=e, started=body.started, ended=body.ended,
                                                             note=body.note, by=request.auth, channel="api")
    except people_services.IndustrialAccidentInvalid as exc:
        return _ia_refused(exc)
    return Status(201, _ia_out(p))


@router.post("/employees/{employee_number}/industrial-accident-leaves/{period_id}/end",
             response=answers({200: IndustrialAccidentOut}, *BODY_ERRORS), tags=["ledger"])
def industrial_accident_leave_end(request, employee_number: str, period_id: int, body: IndustrialAccidentEndIn):
    """Record the last day of a continuing period (HR of the employee's agency)."""
    from django.http import Http404

    from openleave.people import services as people_services
    from openleave.people.models import IndustrialAccidentLeave

    e = _ia_employee(request, employee_number)
    p = IndustrialAccidentLeave.objects.filter(employee=e, pk=period_id).first() if 0 < period_id < 2**63 else None
    if p is None:
        raise Http404
    try:
        p = people_services.industrial_accident_leave_end(period=p, ended=body.ended, by=request.auth, channel="api")
    except people_services.IndustrialAccidentInvalid as exc:
        return _ia_refused(exc)
    return _ia_out(p)
