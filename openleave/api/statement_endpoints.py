"""API: the Sec. 9.8 statements as given, forfeiture warnings, and the members at risk of losing leave.
Same policy checks and access-log rows as the pages (``openleave.statements.views``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Router, Schema
from pydantic import Field

from openleave import clock, policy
from openleave.audit.access import record_access
from openleave.statements import selectors as S

from .endpoints import employee_for
from .schemas import answers

router = Router()


class StatementOut(Schema):
    employee_number: str
    year: int
    as_of: dt.date
    generated_at: dt.datetime
    late: bool
    checksum: str = Field(description="SHA-256 of the figures as given (sorted-key JSON without spaces)")
    intact: bool = Field(description="whether the figures still match their checksum")
    figures: dict[str, Any] = Field(description="the statement's figures, each with its citation, frozen as given")


class WarningOut(Schema):
    leave: str
    year: int = Field(description="the year end that would forfeit it")
    forfeits_on: dt.date
    hours: str
    micro_hours: int
    vintages: list[int]
    text: str
    citation: str


class AtRiskOut(Schema):
    employee_number: str
    name: str
    title: str
    seniority_in_title: int = Field(description="1 = the longest employed with the Commonwealth in the title "
                                                "(Sec. 9.8: how conflicting vacation requests are settled)")
    hours_at_risk: str
    micro_hours_at_risk: int
    warnings: list[WarningOut]


def _warning(w) -> dict:
    return {"leave": w.leave, "year": w.year, "forfeits_on": w.on, "hours": w.hours, "micro_hours": w.micro,
            "vintages": list(w.vintages), "text": w.text, "citation": w.cite}


@router.get("/employees/{employee_number}/statements/{year}", response=answers({200: StatementOut}),
            tags=["statements"], summary="The Sec. 9.8 preliminary vacation statement the employee was given")
def statement(request, employee_number: str, year: int):
    e, st = S.statement_of(request.auth, employee_number, year, channel="api", fields="API")
    return {"employee_number": e.employee_number, "year": st.year, "as_of": st.as_of,
            "generated_at": st.generated_at, "late": st.late, "checksum": st.checksum, "intact": st.intact,
            "figures": st.figures}


@router.get("/employees/{employee_number}/forfeiture-warnings", response=answers({200: list[WarningOut]}),
            tags=["statements"], summary="What the year end will forfeit unless used (from October 1)")
def warnings(request, employee_number: str):
    e = employee_for(request, employee_number, policy.LEAVE)
    record_access(actor=request.auth, subject=e, object_type="forfeiture_warning", object_id=e.pk,
                  category=policy.LEAVE, channel="api", fields="forfeiture warnings")
    return [_warning(w) for w in S.warnings_for([e.pk], clock.today())[e.pk]]


@router.get("/statements/at-risk", response=answers({200: list[AtRiskOut]}), tags=["statements"],
            summary="Members the caller answers for who would lose leave at the year end (Sec. 9.8)")
def at_risk(request):
    _, rows = S.at_risk_rows(request.auth, channel="api")
    return [{"employee_number": r.employee.employee_number, "name": r.employee.name, "title": r.employee.title.name,
             "seniority_in_title": r.seniority, "hours_at_risk": r.hours, "micro_hours_at_risk": r.micro,
             "warnings": [_warning(w) for w in r.warnings]} for r in rows]
