"""API: a member's grievance track (Art. 23) — the cited time limits of an act (a denied / partly approved leave
decision, a forfeiture, an adjustment), recording a filing or a reply, the pre-filled Appendix B report (PDF) and
the .ics of the dates. The same policy (``policy.can_view_grievance``: the member and a consented steward; never the
supervisor, HR or an auditor) and the same access-log rows as the pages (``openleave.grievance.views``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpResponse
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from openleave import documents
from openleave.grievance import calendar_feed
from openleave.grievance import selectors as sel
from openleave.grievance import services as svc
from openleave.grievance.errors import GrievanceRefused
from openleave.rules.grievance import STATUSES, TRACK_KEYS

from .schemas import BODY_ERRORS, BodyIn, Day, answers

router = Router(tags=["grievance"])

ActKind = Literal["decision", "entry"]


class StepOut(Schema):
    key: str
    title: str
    party: str = Field(description="grievant, union, employer or hrd")
    due: dt.date | None = Field(description="the last day; null while it is not running (Sec. 23.9)")
    counted_from: str
    done_on: dt.date | None
    status: Literal[STATUSES]  # type: ignore[valid-type]
    may_invoke_next_from: dt.date | None = Field(description="Sec. 23.9: the day from which the next step may be "
                                                             "taken when this reply has not come in time")
    may_file_from: dt.date | None
    citations: list[str]
    reasons: list[str]


class DeadlinesOut(Schema):
    act: ActKind
    id: int
    employee_number: str
    event_date: dt.date = Field(description="the act, or the date of reasonable knowledge of it (Sec. 23.2 Step I)")
    as_of: dt.date
    next: str | None
    recorded: dict[str, dt.date]
    steps: list[StepOut]
    citations: list[str]
    reasons: list[str]


class DateIn(BodyIn):
    key: Literal[TRACK_KEYS]  # type: ignore[valid-type]
    day: Day
    event_date: Day | None = Field(None, description="when the track is first opened: the date of reasonable "
                                                     "knowledge of the act, if later than the act")


def _out(a, ctx) -> dict:
    d = ctx["decision"]
    return {"act": a.kind, "id": a.pk, "employee_number": a.employee.employee_number, "event_date": ctx["event_date"],
            "as_of": ctx["as_of"], "next": ctx["next"].key if ctx["next"] else None, "recorded": ctx["recorded"],
            "steps": [s.as_json() for s in ctx["steps"]], "citations": list(d.citations), "reasons": list(d.reasons)}


@router.get("/grievance/{act}/{pk}/deadlines", response=answers({200: DeadlinesOut}),
            summary="The Art. 23 time limits of an act the member may grieve, with citations")
def deadlines(request, act: ActKind, pk: int):
    a = sel.act_for(request.auth, act, pk)
    return _out(a, sel.act_deadlines(request.auth, a, channel="api"))


@router.post("/grievance/{act}/{pk}/dates", response=answers({201: DeadlinesOut}, *BODY_ERRORS),
             summary="Record when a step was filed, a meeting or conference closed, or a reply arrived (the member)")
def record_date(request, act: ActKind, pk: int, payload: DateIn):
    a = sel.act_for(request.auth, act, pk)
    try:
        t = svc.grievance_track_open(user=request.auth, decision=a.decision, ledger_entry=a.entry,
                                     event_date=payload.event_date, channel="api")
        svc.grievance_date_record(user=request.auth, track=t, key=payload.key, day=payload.day, channel="api")
    except GrievanceRefused as exc:
        return Status(422, {"detail": str(exc), "field": exc.field, "errors": [{"field": exc.field,
                                                                                "message": str(exc)}]})
    return Status(201, _out(a, sel.act_deadlines(request.auth, a, channel="api")))


@router.get("/grievance/{act}/{pk}/report.pdf", response=answers({200: None}),
            summary="The pre-filled grievance report (Appendix B), as a tagged PDF; the Soc. Sec. # is left blank",
            openapi_extra={"responses": {200: {"description": "A PDF file",
                                               "content": {"application/pdf": {"schema": {"type": "string",
                                                                                          "format": "binary"}}}}}})
def report_pdf(request, act: ActKind, pk: int, step: Literal["I", "II", "III", "IV"] | None = None):
    a = sel.act_for(request.auth, act, pk)
    ctx = sel.report_context(request.auth, a, step, channel="api", what="grievance report (PDF)")
    return documents.pdf_response("grievance/report.html", ctx, request=request,
                                  title=f"Grievance report — {a.employee.name}",
                                  filename=f"grievance-report-{a.kind}-{a.pk}.pdf")


@router.get("/grievance/{act}/{pk}/calendar.ics", response=answers({200: None}),
            summary="The Art. 23 dates of the grievance as iCalendar",
            openapi_extra={"responses": {200: {"description": "An iCalendar (RFC 5545) file",
                                               "content": {"text/calendar": {"schema": {"type": "string"}}}}}})
def calendar_ics(request, act: ActKind, pk: int):
    a = sel.act_for(request.auth, act, pk)
    ctx = sel.act_deadlines(request.auth, a, channel="api", what="grievance calendar (.ics)")
    feed = calendar_feed.ics(ctx["steps"], f"{a.employee.name} — grievance time limits (Art. 23)",
                             f"grievance-{a.kind}-{a.pk}", timezone.now())
    return HttpResponse(feed, content_type="text/calendar; charset=utf-8")
