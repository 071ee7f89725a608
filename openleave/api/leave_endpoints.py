"""API routes for leave requests: check, submit, list mine, the decision queue, decide, cancel, absences,
notifications, the team's monthly summary and the iCalendar feed. Errors are ``{"detail": ...}``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import StringConstraints, create_model

from openleave import inputs, kinds, policy
from openleave.audit.access import Access, record_access, record_many
from openleave.leave import calendar_feed, replay
from openleave.leave import selectors as sel
from openleave.leave import services as svc
from openleave.ledger.selectors import balance_parts
from openleave.rules.requests import KINDS
from openleave.rules.units import hours_str

from .ledger_endpoints import LedgerBalanceOut, balance_rows
from .schemas import BODY_ERRORS, BodyIn, Day, Hours, Id, Offset, Text, TimeOfDay, answers

router = Router(tags=["leave requests"])


def _fact_type(name: str):
    """A fact's API type, from the declarations of the kinds that take it (openleave.kinds); the values are
    then checked for the kind by the one parser (services.parse_input → kinds.parse_facts)."""
    decls = kinds.facts_by_name()[name]
    schema = kinds.fact_schema(name)
    t = decls[0][1].type
    if t == "choice" and "enum" in schema:
        typ = Literal[tuple(schema["enum"])]
    elif t == "choice":
        typ = Annotated[str, StringConstraints(max_length=40, pattern=kinds.CATEGORY.pattern)]
    elif t == "bool":
        typ = bool
    elif t == "date":
        typ = Day
    elif t == "money":
        typ = Decimal  # bounds and cents: the parser (a 400 naming the fact)
    else:
        typ = Annotated[list[Literal[tuple(schema["items"]["enum"])]], Field(max_length=4)]
    return (typ | None, Field(None, description=schema["description"]))


FactsIn = create_model("FactsIn", __base__=BodyIn, __doc__="Kind-specific facts (categories, dates, yes/no, "
                       "dollars): each kind takes only those it declares.",
                       **{name: _fact_type(name) for name in kinds.facts_by_name()})


class RequestIn(BodyIn):
    kind: Literal[KINDS] = Field(..., description="One of: " + ", ".join(k for k, _ in sel.kind_choices()))
    start_date: Day
    end_date: Day | None = Field(None, description="Last day (inclusive); defaults to start_date.")
    start_time: TimeOfDay | None = Field(None, description="Partial day: time the leave starts on the first day.")
    end_time: TimeOfDay | None = Field(None, description="Partial day: time the leave ends on the last day.")
    hours: Hours | None = Field(None, description="Time off asked when less than the scheduled hours of the range.")
    facts: FactsIn = Field(default_factory=FactsIn, description="Kind-specific facts: each kind takes only those it "
                           "declares (rules/requests/<kind>.py); any other is refused, naming it.")


class AvailableBalanceOut(Schema):
    leave_type: str
    label: str
    before: str
    after: str


class GroundOut(Schema):
    code: str
    text: str
    cite: str


class FindingOut(Schema):
    outcome: str = Field(..., description="allowed | partly_allowed | not_allowed | needs_decision")
    requested: str
    allowed: str
    value: str = Field(..., description="Same as allowed (hours).")
    charges: dict[str, str]
    days: dict[str, str] = Field(default_factory=dict, description="Hours allowed per date (YYYY-MM-DD → hours).")
    citations: list[str]
    reasons: list[str]
    grounds: list[GroundOut]
    alternatives: list[str]
    balances: list[AvailableBalanceOut] = []


class DecisionOut(Schema):
    outcome: str
    approved_hours: str
    grounds: list[GroundOut]
    text: str
    decided_by: str
    decided_as: str
    decided_at: dt.datetime
    auto_rule: str


class ChargeOut(Schema):
    leave_type: str
    hours: str
    reversed: bool


class RequestOut(Schema):
    id: int
    employee_number: str
    employee_name: str
    kind: str = Field(..., description='The kind, or "protected" when the viewer may see only the category.')
    kind_label: str
    protected: bool
    start_date: dt.date
    end_date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    status: str
    requested_hours: str
    allowed_hours: str
    approved_hours: str
    facts: dict[str, Any]
    finding: dict[str, Any]
    finding_at_decision: dict[str, Any]
    decision: DecisionOut | None
    charges: list[ChargeOut]
    close_reason: str


class DecideIn(BodyIn):
    outcome: Literal[svc.OUTCOMES] = Field(..., description="approved | partly_approved | denied")
    approved_hours: Hours | None = Field(None, description="For a partial approval.")
    grounds: list[Text(60)] = Field(default_factory=list, max_length=20,
                                    description="Codes from the request's finding.grounds.")
    text: Text(svc.DECISION_TEXT_MAX) = Field("", description="Reasons in the decider's words; required to deny or "
                                               f"partly approve (at most {svc.DECISION_TEXT_MAX} characters).")


class CancelIn(BodyIn):
    reason: Text(svc.CLOSE_REASON_MAX) = Field("", description=f"At most {svc.CLOSE_REASON_MAX} characters.")
    cite: Text(svc.CITE_MAX) = Field("", description="Required for a correction of leave already begun (HR / AA).")


class AbsenceIn(BodyIn):
    employee_number: Text(20)
    date: Day
    hours: Hours
    note: Text(svc.NOTE_MAX, min_length=1) = Field(..., description=f"What happened, no medical details (1 to "
                                                                    f"{svc.NOTE_MAX} characters; longer is refused).")


class AbsenceOut(Schema):
    id: int
    employee_number: str
    date: dt.date
    hours: str
    note: str
    cite: str


class NotificationOut(Schema):
    id: int
    subject: str
    body: str
    url: str
    created_at: dt.datetime
    read: bool


class SummaryRow(Schema):
    employee_number: str
    employee: str
    leave: str
    hours: str


def _own(request):
    from openleave.people.models import Employee

    own = (Employee.objects.select_related("agency", "title", "pay_calendar")
           .filter(user_id=request.auth.pk).first())
    if own is None:
        raise Http404
    request.auth.employee = own  # the user's employee, read once per request (purpose_of, policy)
    return own


def _input(payload: RequestIn) -> svc.RequestInput:
    return svc.parse_input({
        "kind": payload.kind, "start_date": payload.start_date, "end_date": payload.end_date or payload.start_date,
        "start_time": payload.start_time, "end_time": payload.end_time, "hours": payload.hours,
        "facts": payload.facts.model_dump(exclude_none=True),
    })


def _finding_out(j: dict) -> dict:
    """The finding's one JSON form (``Finding.as_json``) with the hours as decimal text."""
    return {**j, "value": j.get("allowed", "0"), "charges": {t: hours_str(m) for t, m in (j.get("charges") or {}).items()},
            "days": {d: hours_str(m) for d, m in (j.get("days") or {}).items()}}


def _out(user, req) -> dict:
    v = sel.request_view(user, req)
    if v["decision"]:
        v["decision"] = {**v["decision"], "decided_as": v["decision"]["decided_as"]}
    return v


@router.get("/balances", response=answers({200: list[LedgerBalanceOut]}),
            summary="My leave balances as of a date, in named parts (pending requests included)")
def balances(request, on: Day | None = None):
    own = _own(request)
    on = on or timezone.localdate()
    record_access(actor=request.auth, subject=own, object_type="balances", category=policy.LEAVE, channel="api")
    return balance_rows(balance_parts(own, on))


@router.post("/requests/check", response=answers({200: FindingOut}, *BODY_ERRORS), summary="Check a request against the contract (nothing is written)")
def check(request, payload: RequestIn):
    own = _own(request)
    preview = svc.leave_request_check(employee=own, data=_input(payload), user=request.auth)
    return _finding_out(preview.as_json())


@router.post("/requests", response=answers({201: RequestOut}, *BODY_ERRORS, 409), summary="Submit a request for a decision")
def submit(request, payload: RequestIn):
    own = _own(request)
    req = svc.leave_request_submit(employee=own, user=request.auth, data=_input(payload), channel="api")
    return Status(201, _out(request.auth, sel.request_for(request.auth, req.pk)))


@router.get("/requests", response=answers({200: list[RequestOut]}), summary="My requests, newest first")
def mine(request):
    own = _own(request)
    record_access(actor=request.auth, subject=own, object_type="leave_requests", category=policy.LEAVE, channel="api")
    return [_out(request.auth, r) for r in sel.my_requests(own)[:200]]


@router.get("/requests/{request_id}", response=answers({200: RequestOut}),
            summary="One request (404 if absent or not yours to see)")
def one(request, request_id: Id):
    req = sel.request_for(request.auth, request_id)
    record_access(actor=request.auth, subject=req.employee, object_type="leave_request", object_id=req.pk,
                  category=policy.LEAVE, channel="api")
    return _out(request.auth, req)


QUEUE_PAGE = 50


SCENARIO_DOC = {"responses": {200: {
    "description": "A scenario file (YAML, docs/scenarios.md) that `python -m openleave scenario FILE` answers with the "
                   "same findings and citations as the decision (or, before one, the submission)",
    "content": {"application/yaml": {"schema": {"type": "string"}}}}}}
scenario_router = Router(tags=["leave requests"])  # mounted at /api/leave-requests/ (api.py)


def _scenario(request, request_id: int):
    req = sel.request_for(request.auth, request_id)
    name, text = replay.scenario_for(request.auth, req, channel="api")
    resp = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@router.get("/requests/{request_id}/scenario.yaml", response=answers({200: None}, 409), openapi_extra=SCENARIO_DOC,
            summary="Check this yourself: the request's scenario file (the member, and those who see it in full)")
def scenario(request, request_id: Id):
    return _scenario(request, request_id)


@scenario_router.get("/leave-requests/{request_id}/scenario.yaml", response=answers({200: None}, 409),
                     openapi_extra=SCENARIO_DOC, summary="Check this yourself: the request's scenario file")
def scenario_file(request, request_id: Id):
    return _scenario(request, request_id)


@router.get("/queue", response=answers({200: list[RequestOut]}),
            summary="Requests awaiting my decision, oldest start first (paginated: limit ≤ 200, offset)")
def queue(request, limit: Annotated[int, Field(ge=1, le=200)] = QUEUE_PAGE, offset: Offset = 0):
    rows = list(sel.decision_queue(request.auth).select_related("employee__supervisor").prefetch_related("decisions")
                .prefetch_related("charges")[offset:offset + limit])
    by_subject: dict[int, list] = {}
    for r in rows:
        by_subject.setdefault(r.employee_id, []).append(r)
    # one access-log row per person read, naming the requests — all appended at once
    record_many(actor=request.auth, channel="api", accesses=[
        Access(subject=reqs[0].employee, object_type="leave_request",
               object_id=",".join(str(r.pk) for r in reqs)[:60], category=policy.LEAVE)
        for reqs in by_subject.values()])
    return [_out(request.auth, r) for r in rows]


@router.post("/requests/{request_id}/decision", response=answers({200: RequestOut}, *BODY_ERRORS, 409),
             summary="Approve, partly approve or deny (a ground and reasons are required to deny or partly approve)")
def decide(request, request_id: Id, payload: DecideIn):
    req = svc.leave_request_decide(request_id=request_id, user=request.auth, outcome=payload.outcome,
                                   approved_hours=payload.approved_hours, grounds=payload.grounds, text=payload.text,
                                   channel="api")
    return _out(request.auth, sel.request_for(request.auth, req.pk))


@router.post("/requests/{request_id}/cancel", response=answers({200: RequestOut}, *BODY_ERRORS, 409),
             summary="Withdraw or cancel (employee, before the leave begins); correct with a citation (HR / AA)")
def cancel(request, request_id: Id, payload: CancelIn):
    req = svc.leave_request_cancel(request_id=request_id, user=request.auth, reason=payload.reason, cite=payload.cite,
                                   channel="api")
    return _out(request.auth, sel.request_for(request.auth, req.pk))


@router.post("/requests/{request_id}/amend", response=answers({201: RequestOut}, *BODY_ERRORS, 409),
             summary="Replace a pending or approved request not yet begun by an amended one (checked afresh)")
def amend(request, request_id: Id, payload: RequestIn):
    own = _own(request)
    old = sel.request_for(request.auth, request_id)
    if old.employee_id != own.pk:
        raise Http404
    req = svc.leave_request_submit(employee=own, user=request.auth, data=_input(payload), amends=old, channel="api")
    return Status(201, _out(request.auth, sel.request_for(request.auth, req.pk)))


@router.post("/absences", response=answers({201: AbsenceOut}, *BODY_ERRORS), summary="Record an absence without approved leave (supervisor / HR)")
def absence(request, payload: AbsenceIn):
    emp = policy.visible_employees(request.auth, policy.LEAVE).filter(employee_number=payload.employee_number).first()
    if emp is None:
        raise Http404
    a = svc.absence_record(employee=emp, user=request.auth, date=payload.date, hours=payload.hours, note=payload.note,
                           channel="api")
    return Status(201, {"id": a.pk, "employee_number": emp.employee_number, "date": a.date, "hours": hours_str(a.micro),
                 "note": a.note, "cite": a.cite})


@router.get("/notifications", response=answers({200: list[NotificationOut]}), summary="My notifications, newest first")
def notifications(request):
    notes = sel.notifications_of(request.auth, 100)
    sel.log_notifications(request.auth, notes, channel="api")
    return [{"id": n.pk, "subject": n.subject, "body": n.body, "url": n.url, "created_at": n.created_at,
             "read": n.read_at is not None} for n in notes]


@router.get("/team/summary", response=answers({200: list[SummaryRow]}),
            summary="Monthly absence summary per team member and leave kind")
def team_summary(request, month: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}$", description="YYYY-MM")]):
    d = inputs.month(month, "month")
    rows = sel.monthly_summary(request.auth, d.year, d.month)
    sel.log_people(request.auth, [r["employee"] for r in rows], "absence_summary", month, channel="api",
               fields="monthly absence summary")
    return [{"employee_number": r["employee"].employee_number, "employee": r["employee"].name, "leave": r["kind"],
             "hours": hours_str(r["micro"])} for r in rows]


@router.get("/calendar.ics", summary="iCalendar feed of my approved leave (protected kinds by category only)",
            response=answers({200: None}), openapi_extra={"responses": {200: {
                "description": "An iCalendar (RFC 5545) file",
                "content": {"text/calendar": {"schema": {"type": "string"}}}}}})
def calendar_ics(request):
    own = _own(request)
    record_access(actor=request.auth, subject=own, object_type="leave_calendar", category=policy.LEAVE, channel="api")
    feed = calendar_feed.ics(calendar_feed.my_calendar_events(own), f"{own.name} — approved leave", timezone.now())
    return HttpResponse(feed, content_type="text/calendar; charset=utf-8")


