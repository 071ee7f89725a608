"""API: compensatory days (Art. 10) and comp time (Sec. 7.2.G) — the employee's record, and the supervisor's / HR's
records of a holiday worked or on a day off, a Sec. 10.5 election, comp time earned and a compensatory day taken.
Same policy and services as the pages; a refused record answers 400/403/409 naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from openleave import policy
from openleave.comp import selectors, services
from openleave.rules.units import hours_str

from .endpoints import employee_for
from .schemas import BODY_ERRORS, BodyIn, Day, Text, answers

router = Router(tags=["comp"])


class CompDayOut(Schema):
    entry_id: int
    holiday: dt.date = Field(description="the holiday as observed (Sec. 10.2): the day the compensatory day was earned")
    last_day: dt.date = Field(description="the last day it can be taken: the holiday + the contract's window")
    hours: str
    used: str
    expired: str
    remaining: str
    status: str
    citations: list[str]


class OccasionOut(Schema):
    id: int
    holiday: dt.date
    holiday_name: str
    section: str = Field(description="10.3, 10.4 or 10.5")
    occasion: int | None = Field(description="Sec. 10.5: the occasion's number in its calendar year")
    outcome: str = Field(description="comp_day or pay")
    chosen_by: str = Field(description="employee (Sec. 10.5, the first occasions of the year) or employer")
    decided_by: str | None
    reasons: str
    hours: str
    last_day: dt.date | None
    citations: list[str]
    explanation: str


class CompTimeOut(Schema):
    id: int
    worked_on: dt.date
    overtime_hours: str
    earned: str = Field(description="overtime × the Sec. 7.2.G rate")
    credited: str = Field(description="comp time credited to the ledger, within the cap")
    not_credited: str = Field(description="comp time over the cap, not banked")
    overtime_paid: str = Field(description="the overtime hours paid as overtime instead (Sec. 7.2.A)")
    balance_before: str
    citations: list[str]
    explanation: str


class CompRecordOut(Schema):
    on: dt.date
    comp_days: list[CompDayOut]
    comp_time_balance: str
    occasions: list[OccasionOut]
    comp_time: list[CompTimeOut]


class OccasionIn(BodyIn):
    holiday_date: Day
    situation: Literal["worked_rostered", "worked_regular_shift", "day_off"]
    outcome: Literal["comp_day", "pay"]
    chosen_by: Literal["employee", "employer"]
    reasons: Text(2000) = ""


class CompTimeIn(BodyIn):
    worked_on: Day
    overtime_hours: Decimal = Field(description="overtime hours the employee asked to take as comp time, in ½-hour units")
    requested_by_employee: bool = Field(True, description="Sec. 7.2.G: only upon the employee's request")
    overtime_form: Text(60) = ""
    note: Text(300) = ""


class TakenIn(BodyIn):
    date: Day
    note: Text(300) = ""


class TakenOut(Schema):
    entry_id: int
    date: dt.date
    hours: str
    citations: list[str]


def _cites(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def _day(d) -> dict:
    return {"entry_id": d.entry_id, "holiday": d.earned_on, "last_day": d.last_day, **d.hours(), "status": d.status,
            "citations": _cites(d.cite)}


def _occasion(o) -> dict:
    return {"id": o.pk, "holiday": o.holiday_date, "holiday_name": o.holiday_name, "section": o.section,
            "occasion": o.occasion, "outcome": o.outcome, "chosen_by": o.chosen_by,
            "decided_by": o.decided_by.username if o.decided_by_id else None, "reasons": o.reasons,
            "hours": hours_str(o.micro), "last_day": o.last_day, "citations": _cites(o.cite),
            "explanation": o.explanation}


def _earning(r) -> dict:
    return {"id": r.pk, "worked_on": r.worked_on, "overtime_hours": hours_str(r.overtime_micro),
            "earned": hours_str(r.earned_micro), "credited": hours_str(r.credited_micro),
            "not_credited": hours_str(r.not_credited_micro), "overtime_paid": hours_str(r.overtime_paid_micro),
            "balance_before": hours_str(r.balance_before_micro), "citations": _cites(r.cite),
            "explanation": r.explanation}


@router.get("/employees/{employee_number}/comp", response=answers({200: CompRecordOut}),
            summary="Compensatory days with their last days, comp time balance and the records behind them")
def record(request, employee_number: str):
    e = employee_for(request, employee_number, policy.LEAVE)
    r = selectors.comp_record(request.auth, e, channel="api")
    return {"on": r["as_of"], "comp_days": [_day(d) for d in r["comp_days"]], "comp_time_balance": r["comp_time"],
            "occasions": [_occasion(o) for o in r["occasions"]], "comp_time": [_earning(x["record"]) for x in r["earnings"]]}


@router.post("/employees/{employee_number}/comp/holidays", response=answers({201: OccasionOut}, *BODY_ERRORS, 409),
             summary="Record a holiday worked or on a day off, or the Sec. 10.5 election (supervisor / HR)")
def record_holiday(request, employee_number: str, payload: OccasionIn):
    e = employee_for(request, employee_number, policy.LEAVE)
    occ = services.holiday_occasion_record(employee=e, by=request.auth, channel="api", data=services.OccasionInput(
        holiday_date=payload.holiday_date, situation=payload.situation, outcome=payload.outcome,
        chosen_by=payload.chosen_by, reasons=payload.reasons))
    return Status(201, _occasion(occ))


@router.post("/employees/{employee_number}/comp/time", response=answers({201: CompTimeOut}, *BODY_ERRORS, 409),
             summary="Record comp time earned for overtime, on the employee's request (Sec. 7.2.G; supervisor / HR)")
def record_comp_time(request, employee_number: str, payload: CompTimeIn):
    e = employee_for(request, employee_number, policy.LEAVE)
    rec = services.comp_time_earn(employee=e, by=request.auth, channel="api", data=services.CompTimeInput(
        worked_on=payload.worked_on, overtime_hours=payload.overtime_hours,
        requested_by_employee=payload.requested_by_employee, overtime_form=payload.overtime_form, note=payload.note))
    return Status(201, _earning(rec))


@router.post("/employees/{employee_number}/comp/taken", response=answers({201: TakenOut}, *BODY_ERRORS, 409),
             summary="Record a compensatory day off taken (the oldest open one is used; supervisor / HR)")
def record_taken(request, employee_number: str, payload: TakenIn):
    e = employee_for(request, employee_number, policy.LEAVE)
    entry = services.comp_day_take(employee=e, by=request.auth, on=payload.date, note=payload.note, channel="api")
    return Status(201, {"entry_id": entry.pk, "date": entry.effective_date, "hours": hours_str(-entry.micro),
                        "citations": _cites(entry.cite)})
