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
