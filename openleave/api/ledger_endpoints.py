"""API: leave balances and ledger lines, each with its citation. Same policy checks as the web pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Router, Schema
from pydantic import Field

from openleave import clock, policy
from openleave.audit.access import record_access
from openleave.ledger import selectors
from openleave.ledger.models import LEAVE_BY_SLUG

from .endpoints import employee_for
from .schemas import Day, answers

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
