"""API: leave balances and ledger lines, each with its citation. Same policy checks as the web pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Router, Schema
from pydantic import Field

from openleave import clock, policy
from openleave.audit.access import record_access
from openleave.ledger import selectors
from openleave.ledger.models import LEAVE_BY_SLUG, LEAVE_SLUGS, Leave

from .endpoints import employee_for
from .schemas import Day, answers

router = Router()


class LedgerBalanceOut(Schema):
    leave: str
    label: str
    hours: str
    micro_hours: int
    on: dt.date


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
    """Balance per leave type as of ``on`` (default today), in exact decimal hours."""
    e = employee_for(request, employee_number, policy.LEAVE)
    record_access(actor=request.auth, subject=e, object_type="ledger", object_id=e.pk, category=policy.LEAVE,
                  channel="api", fields="balances")
    day = on or clock.today()
    return [{"leave": LEAVE_SLUGS[Leave(k)], "label": Leave(k).label, "hours": selectors.hours_str(m), "micro_hours": m,
             "on": day} for k, m in selectors.balances(e.pk, day).items()]


@router.get("/employees/{employee_number}/ledger/{leave}", response=answers({200: list[LineOut]}), tags=["ledger"])
def ledger(request, employee_number: str, leave: str, limit: Annotated[int, Field(ge=1, le=1000)] = 200):
    """Ledger lines of one leave type (sick, vacation, personal, emergency_day, comp_time, holiday), newest first;
    the older spellings ``emergency`` and ``comp`` are still accepted."""
    from django.http import Http404

    e = employee_for(request, employee_number, policy.LEAVE)
    by_slug = LEAVE_BY_SLUG
    if leave not in by_slug:
        raise Http404
    record_access(actor=request.auth, subject=e, object_type="ledger", object_id=e.pk, category=policy.LEAVE,
                  channel="api", fields=f"ledger lines {leave}")
    lines = selectors.ledger_lines(e, int(by_slug[leave]), limit=limit)
    return [{"id": ln.id, "date": ln.date, "kind": ln.kind, "hours": ln.hours, "micro_hours": ln.micro,
             "reason": ln.reason, "citations": [c.strip() for c in ln.cite.split(",") if c.strip()],
             "explanation": ln.explanation, "balance_after": ln.running_hours} for ln in lines]
