"""API routes for reconsideration and grievance outcomes (Art. 23): a request's chain of decisions, a decider's
reconsideration, and the outcome HR / the Appointing Authority records with the correction it orders.
Errors are ``{"detail": ...}`` (400 bad field, 403 may not act, 404 not visible, 409 superseded / recorded)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Router, Schema, Status

from openleave import policy
from openleave.audit.access import record_access
from openleave.leave import reconsider as rc
from openleave.leave import selectors as sel
from openleave.leave import services as svc
from openleave.leave.models import GrievanceOutcome
from openleave.rules.units import hours_str

from .endpoints import employee_for
from .leave_endpoints import GroundOut
from .schemas import BODY_ERRORS, BodyIn, Day, Hours, Id, Text, answers

router = Router(tags=["reconsideration and grievance outcomes"])


class ChainDecisionOut(Schema):
    id: int
    reconsiders: int | None = Field(None, description="The decision this one reconsiders (it stays as it was).")
    outcome: str
    approved_hours: str
    grounds: list[GroundOut]
    text: str
    decided_by: str
    decided_as: str
    decided_as_code: str
    decided_at: dt.datetime
    auto_rule: str
    finding_at_reconsideration: dict[str, Any]


class ReconsiderIn(BodyIn):
    outcome: Literal[svc.OUTCOMES] = Field(..., description="approved | partly_approved | denied")
    text: Text(svc.DECISION_TEXT_MAX) = Field(..., description="The reasons for the reconsideration (required).")
    approved_hours: Hours | None = Field(None, description="Partial approval: the hours approved.")
    grounds: list[Text(60)] = Field(default_factory=list, max_length=10,
                                    description="Ground codes from the contract (to deny or partly approve).")
    decision_id: Id | None = Field(None, description="The decision reconsidered: refused (409) if superseded.")


class OutcomeIn(BodyIn):
    employee_number: Text(20)
    result: Literal[tuple(GrievanceOutcome.Result.values)]
    step: Literal[tuple(GrievanceOutcome.Step.values)] = Field(..., description="I, II, III or IV (arbitration)")
    decided_on: Day
    reference: Text(rc.REFERENCE_MAX, 1)
    text: Text(rc.OUTCOME_TEXT_MAX, 1)
    decision_id: Id | None = Field(None, description="The decision grieved.")
    ledger_entry_id: Id | None = Field(None, description="The ledger entry grieved (a forfeiture, an adjustment).")
    act: Text(300) = Field("", description="Another act grieved, in words.")
    correction: Literal[tuple(GrievanceOutcome.Correction.values)] = "none"
    correction_hours: Hours | None = Field(None, description="Hours ordered (a modified outcome), if fewer.")


class OutcomeOut(Schema):
    id: int
    employee_number: str
    result: str
    step: str
    step_cite: str
    decided_on: dt.date
    reference: str
    text: str
    decision_id: int | None
    ledger_entry_id: int | None
    act: str
    correction: str
    correction_hours: str
    correction_decision_id: int | None
    correction_entry_id: int | None
    recorded_by: str
    recorded_at: dt.datetime


def _outcome_out(o: GrievanceOutcome) -> dict:
    return {"id": o.pk, "employee_number": o.employee.employee_number, "result": o.result, "step": o.step,
            "step_cite": rc.STEP_CITES[o.step], "decided_on": o.decided_on, "reference": o.reference, "text": o.text,
            "decision_id": o.decision_id, "ledger_entry_id": o.ledger_entry_id, "act": o.act,
            "correction": o.correction, "correction_hours": hours_str(o.correction_micro),
            "correction_decision_id": o.correction_decision_id, "correction_entry_id": o.correction_entry_id,
            "recorded_by": o.recorded_by.display_name(), "recorded_at": o.recorded_at}


def _chain(user, req) -> list[dict]:
    full = policy.sees_everything(user, req)
    return [sel.decision_view(d, full) for d in rc.decision_chain(req)]


@router.get("/leave/requests/{request_id}/decisions", response=answers({200: list[ChainDecisionOut]}),
            summary="A request's decisions, first to current, each with its reasons and citations")
def decisions(request, request_id: Id):
    req = sel.request_for(request.auth, request_id)
    record_access(actor=request.auth, subject=req.employee, object_type="leave_request", object_id=req.pk,
                  category=policy.LEAVE, channel="api", fields="decisions")
    return _chain(request.auth, req)


@router.post("/leave/requests/{request_id}/reconsideration",
             response=answers({201: ChainDecisionOut}, *BODY_ERRORS, 409),
             summary="Reconsider the current decision (a decider; reasons required): a new decision, the old one frozen")
def reconsider(request, request_id: Id, payload: ReconsiderIn):
    new = rc.decision_reconsider(request_id=request_id, user=request.auth, outcome=payload.outcome,
                                 text=payload.text, approved_hours=payload.approved_hours, grounds=payload.grounds,
                                 decision_id=payload.decision_id, channel="api")
    req = sel.request_for(request.auth, new.request_id)
    return Status(201, sel.decision_view(new, policy.sees_everything(request.auth, req)))


@router.post("/grievance-outcomes", response=answers({201: OutcomeOut}, *BODY_ERRORS, 409),
             summary="Record a grievance outcome (HR / the Appointing Authority) and the correction it orders")
def record_outcome(request, payload: OutcomeIn):
    e = employee_for(request, payload.employee_number, policy.LEAVE)
    o = rc.grievance_outcome_record(
        employee=e, user=request.auth, result=payload.result, step=payload.step, decided_on=payload.decided_on,
        reference=payload.reference, text=payload.text, decision_id=payload.decision_id,
        ledger_entry_id=payload.ledger_entry_id, act=payload.act, correction=payload.correction,
        correction_hours=payload.correction_hours, channel="api")
    return Status(201, _outcome_out(o))


@router.get("/employees/{employee_number}/grievance-outcomes", response=answers({200: list[OutcomeOut]}),
            summary="The grievance outcomes recorded for an employee (the member, or HR / the Appointing Authority)")
def outcomes(request, employee_number: Text(20)):
    e = employee_for(request, employee_number, policy.LEAVE)
    own = request.auth.employee_or_none
    if not ((own is not None and own.pk == e.pk) or policy.can_record_grievance_outcome(request.auth, e)):
        raise policy.NotVisible()
    record_access(actor=request.auth, subject=e, object_type="grievance_outcome", object_id="", category=policy.LEAVE,
                  channel="api", fields="grievance outcomes")
    return [_outcome_out(o) for o in rc.outcomes_of(e)]
