"""API: separations and returns (Sec. 9.11, 7.2.G, 8.1.O; 8.1.H, 9.7, 9.12). The same policy and services as the
pages: anyone who may see the employee's leave data reads the statements; HR / the Appointing Authority of the
agency records. A refusal to someone who may not see the employee is the 404 of a person who does not exist."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Router, Schema, Status

from openleave import policy
from openleave.rules.separation import APPROVAL_CAUSES, PAYEES, REASONS, RETURN_KINDS
from openleave.separation import selectors as sel
from openleave.separation import services as svc
from openleave.separation.errors import SeparationError

from .endpoints import employee_for
from .schemas import BODY_ERRORS, BodyIn, Day, Id, Money, Text, answers

router = Router(tags=["separation"])


class LineOut(Schema):
    leave: str
    balance: str = Field(description="hours at the end of the separation date")
    paid: str = Field(description="hours paid")
    paid_micro_hours: int
    kept: str = Field(description="sick leave hours not paid, set aside for a return (Sec. 8.1.H)")
    amount_cents: int | None = Field(description="money, integer cents — only when the hourly rate was given")
    payee: str
    citations: list[str]
    reasons: list[str]


class ReturnOut(Schema):
    id: int
    return_date: dt.date
    kind: str
    long_absence: bool
    chro_approved_by: str
    chro_approved_on: dt.date | None
    chro_cause: str
    chro_reasons: str
    sick_restored: str
    citations: list[str]
    reasons: list[str]
    recorded_by: str
    recorded_at: dt.datetime


class SeparationOut(Schema):
    id: int
    employee_number: str
    separation_date: dt.date
    reason: str
    death_payee: str
    hourly_rate_cents: int | None
    total_cents: int | None
    recorded_by: str
    recorded_at: dt.datetime
    lines: list[LineOut] = Field(description="vacation (Sec. 9.11), comp time (Sec. 7.2.G), sick leave (Sec. 8.1.O)")
    others: list[LineOut] = Field(description="balances not paid on separation, and why")
    kept_note: str
    death_note: list[str]
    return_record: ReturnOut | None


class SeparationIn(BodyIn):
    separation_date: Day = Field(..., description="The last day of employment (not before hire, not after today).")
    reason: Literal[tuple(REASONS)] = Field(..., description=", ".join(REASONS))
    death_payee: Literal[("",) + tuple(PAYEES)] = Field("", description="On death only, a role: " + ", ".join(PAYEES))
    hourly_rate: Money | None = Field(None, description="Optional final regular hourly rate of pay in dollars; "
                                                        "without it the statement gives hours only.")
    note: Text(500) = ""


class ReturnIn(BodyIn):
    return_date: Day
    kind: Literal[tuple(RETURN_KINDS)] = "reinstated"
    chro_approved_by: Text(200) = Field("", description="After an absence as long as Sec. 8.1.H, 9.12 set (a contract parameter): the CHRO who approved.")
    chro_approved_on: Day | None = None
    chro_cause: Literal[("",) + tuple(APPROVAL_CAUSES)] = ""
    chro_reasons: Text(500) = ""


def _line(ln) -> dict:
    return {"leave": ln.leave, "balance": ln.balance, "paid": ln.paid, "paid_micro_hours": ln.paid_micro,
            "kept": ln.kept, "amount_cents": ln.cents, "payee": ln.payee, "citations": ln.cites, "reasons": ln.reasons}


def _return(r) -> dict | None:
    if r is None:
        return None
    from openleave.rules.units import hours_str

    return {"id": r.pk, "return_date": r.return_date, "kind": r.kind, "long_absence": r.long_absence,
            "chro_approved_by": r.chro_approved_by, "chro_approved_on": r.chro_approved_on, "chro_cause": r.chro_cause,
            "chro_reasons": r.chro_reasons, "sick_restored": hours_str(r.sick_restored_micro),
            "citations": [c.strip() for c in r.cites.split(",") if c.strip()], "reasons": r.reasons,
            "recorded_by": r.recorded_by.display_name(), "recorded_at": r.recorded_at}


def _out(st) -> dict:
    s = st.separation
    return {"id": s.pk, "employee_number": s.employee.employee_number, "separation_date": s.separation_date,
            "reason": s.reason, "death_payee": s.death_payee, "hourly_rate_cents": s.hourly_rate_cents,
            "total_cents": st.total_cents, "recorded_by": s.recorded_by.display_name(), "recorded_at": s.recorded_at,
            "lines": [_line(ln) for ln in st.lines], "others": [_line(ln) for ln in st.others],
            "kept_note": st.kept_note, "death_note": st.death_note, "return_record": _return(st.return_record)}


def _refused(exc: SeparationError):
    body = {"detail": str(exc), "errors": [{"field": exc.field, "message": exc.message}]}
    if exc.field:
        body["field"] = exc.field
    return Status(exc.status, body)


def _recorder(request, employee_number: str):
    e = employee_for(request, employee_number, policy.LEAVE)
    if not policy.can_record_separation(request.auth, e):
        return e, Status(403, {"detail": "Only HR / the Appointing Authority of the employee's agency records this."})
    return e, None


@router.get("/employees/{employee_number}/separations", response=answers({200: list[SeparationOut]}),
            summary="An employee's separations and returns, newest first, with their statements")
def separations(request, employee_number: str):
    e = employee_for(request, employee_number, policy.LEAVE)
    seps = sel.separations_of(request.auth, e, channel="api")
    return [_out(sel.statement(s)) for s in seps]


@router.get("/employees/{employee_number}/separations/{separation_id}", response=answers({200: SeparationOut}),
            summary="One separation statement")
def separation(request, employee_number: str, separation_id: Id):
    from django.http import Http404

    e = employee_for(request, employee_number, policy.LEAVE)
    s = sel.separation_of(e, separation_id)
    if s is None:
        raise Http404
    return _out(sel.statement_for(request.auth, s, channel="api"))


@router.post("/employees/{employee_number}/separations", response=answers({201: SeparationOut}, *BODY_ERRORS, 409),
             summary="Record a separation and post its payouts (HR / Appointing Authority)")
def record(request, employee_number: str, payload: SeparationIn):
    e, refused = _recorder(request, employee_number)
    if refused is not None:
        return refused
    try:
        s = svc.separation_record(employee=e, separation_date=payload.separation_date, reason=payload.reason,
                                  death_payee=payload.death_payee, hourly_rate=payload.hourly_rate, note=payload.note,
                                  by=request.auth, channel="api")
    except SeparationError as exc:
        return _refused(exc)
    return Status(201, _out(sel.statement(s)))


@router.post("/employees/{employee_number}/separations/{separation_id}/return",
             response=answers({201: SeparationOut}, *BODY_ERRORS, 409),
             summary="Record the return after a separation: restore the sick credits and the service (HR / AA)")
def record_return(request, employee_number: str, separation_id: Id, payload: ReturnIn):
    from django.http import Http404

    e, refused = _recorder(request, employee_number)
    if refused is not None:
        return refused
    s = sel.separation_of(e, separation_id)
    if s is None:
        raise Http404
    try:
        svc.return_record(separation=s, return_date=payload.return_date, kind=payload.kind, by=request.auth,
                          chro_approved_by=payload.chro_approved_by, chro_approved_on=payload.chro_approved_on,
                          chro_cause=payload.chro_cause, chro_reasons=payload.chro_reasons, channel="api")
    except SeparationError as exc:
        return _refused(exc)
    return Status(201, _out(sel.statement(sel.separation_of(e, separation_id))))
