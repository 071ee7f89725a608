"""API: FMLA cases (Sec. 8.7.2, 8.1.M) and sealed medical documents (App. D-1/D-2, Sec. 8.1.K). The same policy,
services and selectors as the pages: anyone who may see the employee's leave data reads a case's status, dates and
certification; only the employee and the medical coordinator of their agency see the reason and the documents.
A refusal to read is the 404 of something that does not exist."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from openleave import policy
from openleave.documents import pdf_response
from openleave.medical import selectors as sel
from openleave.medical import services as svc
from openleave.medical.errors import MedicalError, NotAllowed
from openleave.medical.models import DOCUMENT_KINDS, OUTCOMES, REASONS, SCHEDULES

from .endpoints import employee_for
from .schemas import BODY_ERRORS, BodyIn, Day, Id, answers

router = Router(tags=["fmla"])


class CountersOut(Schema):
    on: dt.date
    weeks_used: str
    weeks_allowed: str
    weeks_remaining: str
    weeks_cite: str
    intermittent_days_used: str
    intermittent_days_allowed: str
    intermittent_days_remaining: str
    intermittent_cite: str
    window_from: dt.date
    window_to: dt.date
    weeks_line: str
    intermittent_line: str


class DesignationOut(Schema):
    id: int
    outcome: str = Field(description="designated / declined")
    decided_at: dt.datetime
    decided_by: str
    as_of: dt.date
    weeks_allowed: str
    weeks_used: str
    weeks_remaining: str
    intermittent_days_allowed: str
    intermittent_days_used: str
    intermittent_days_remaining: str
    waiver_granted: bool
    supersedes: int | None
    sealed: bool = Field(description="true: the reasons and citations are not shown to this caller")
    reasons: str = Field(description="only for the employee and the medical coordinator")
    waiver_reasons: str = Field(description="only for the employee and the medical coordinator")
    citations: list[str] = Field(description="only for the employee and the medical coordinator")
    notice_url: str = Field(description="the notice as a PDF (the employee and the coordinator)")


class DesignateIn(BodyIn):
    outcome: Literal[tuple(OUTCOMES)] = Field(..., description=", ".join(OUTCOMES))
    reasons: str = Field(..., max_length=4000, description="the coordinator's reasons, in their own words")
    citations: list[str] = Field(default_factory=list, max_length=20)
    waiver_granted: bool = False
    waiver_reasons: str = Field("", max_length=4000)


class CertificationIn(BodyIn):
    on: Day | None = Field(None, description="the day the employee receives the D-1 / D-2 (empty: today)")


class CaseOut(Schema):
    id: int
    employee_number: str
    status: str
    schedule: str
    expected_start: dt.date
    expected_end: dt.date | None
    opened_by: str = Field(description="employee (their request) or hr (the employer's knowledge, Sec. 8.1.M)")
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    certification: str = Field(description="certification received on … / due on … / not requested")
    certification_received: dt.date | None
    certification_due: dt.date | None
    sealed: bool = Field(description="true: the kind of leave and the reason are not shown to this caller")
    leave_type: str = Field(description="only for the employee and the medical coordinator")
    reason: str = Field(description="only for the employee and the medical coordinator")
    counters: CountersOut = Field(description="the running FMLA counters today (Sec. 8.7.2.B.1, B.4.a)")
    designation: DesignationOut | None = Field(description="the current designation (Sec. 8.1.M); null before one")


class CaseIn(BodyIn):
    reason: Literal[tuple(REASONS)] = Field(..., description=", ".join(REASONS))
    schedule: Literal[tuple(SCHEDULES)] = "continuous"
    expected_start: Day
    expected_end: Day | None = None


class DocumentOut(Schema):
    ref: str
    kind: str
    case: int | None
    content_type: str
    size: int
    uploaded_by: str
    uploaded_at: dt.datetime
    content_url: str


def _counters(c) -> dict:
    return {"on": c.on, "weeks_used": c.weeks_used, "weeks_allowed": c.weeks_allowed,
            "weeks_remaining": c.weeks_remaining, "weeks_cite": c.weeks_cite,
            "intermittent_days_used": c.intermittent_days_used,
            "intermittent_days_allowed": c.intermittent_days_allowed,
            "intermittent_days_remaining": c.intermittent_days_remaining, "intermittent_cite": c.intermittent_cite,
            "window_from": c.window_from, "window_to": c.window_to, "weeks_line": c.weeks_line,
            "intermittent_line": c.intermittent_line}


def _designation(d, employee_number: str, case_id: int) -> dict | None:
    if d is None:
        return None
    return {"id": d.id, "outcome": d.outcome, "decided_at": d.decided_at, "decided_by": d.decided_by_label,
            "as_of": d.as_of, "weeks_allowed": d.weeks_allowed, "weeks_used": d.weeks_used,
            "weeks_remaining": d.weeks_remaining, "intermittent_days_allowed": d.intermittent_days_allowed,
            "intermittent_days_used": d.intermittent_days_used,
            "intermittent_days_remaining": d.intermittent_days_remaining, "waiver_granted": d.waiver_granted,
            "supersedes": d.supersedes, "sealed": d.sealed, "reasons": d.reasons, "waiver_reasons": d.waiver_reasons,
            "citations": list(d.citations),
            "notice_url": f"/api/employees/{employee_number}/fmla-cases/{case_id}/notice.pdf"}


def _case_full(request, e, case_id: int) -> dict:
    case_obj, v = sel.case_of(request.auth, e, case_id, channel="api")
    medical = policy.can_read_medical(request.auth, e)
    return {**_case(v),
            "counters": _counters(sel.counters_of(e, timezone.localdate(), leave_type=case_obj.leave_type)),
            "designation": _designation(sel.designation_view(sel.current_designation(case_obj), medical),
                                        e.employee_number, case_obj.pk)}


def _case(v) -> dict:
    return {"id": v.id, "employee_number": v.employee_number, "status": v.status, "schedule": v.schedule,
            "expected_start": v.expected_start, "expected_end": v.expected_end, "opened_by": v.opened_by_role,
            "opened_at": v.opened_at, "closed_at": v.closed_at, "certification": v.certification,
            "certification_received": v.certification_received, "certification_due": v.certification_due,
            "sealed": v.sealed, "leave_type": v.leave_type, "reason": v.reason}


def _doc(d) -> dict:
    return {"ref": d.ref, "kind": d.kind, "case": d.case_id, "content_type": d.content_type, "size": d.size,
            "uploaded_by": d.uploaded_by.display_name(), "uploaded_at": d.uploaded_at,
            "content_url": f"/api/medical-documents/{d.ref}/content"}


def _refused(exc: MedicalError):
    body = {"detail": str(exc), "errors": [{"field": exc.field, "message": exc.message}]}
    if exc.field:
        body["field"] = exc.field
    return Status(exc.status, body)


@router.get("/employees/{employee_number}/fmla-cases", response=answers({200: list[CaseOut]}),
            summary="An employee's FMLA cases (status, dates, certification; the reason only to the employee and "
                    "the coordinator)")
def cases(request, employee_number: str):
    e = employee_for(request, employee_number, policy.LEAVE)
    views = sel.cases_of(request.auth, e, channel="api")
    if not views:
        return []
    medical = policy.can_read_medical(request.auth, e)
    counters = {}
    out = []
    objs = sel.cases_by_id(e)
    for v in views:  # an employee has a handful of cases: the counters once per kind of leave
        case_obj = objs[v.id]
        if case_obj.leave_type not in counters:
            counters[case_obj.leave_type] = _counters(sel.counters_of(e, timezone.localdate(),
                                                                      leave_type=case_obj.leave_type))
        out.append({**_case(v), "counters": counters[case_obj.leave_type],
                    "designation": _designation(sel.designation_view(sel.current_designation(case_obj), medical),
                                                e.employee_number, v.id)})
    return out


@router.get("/employees/{employee_number}/fmla-cases/{case_id}", response=answers({200: CaseOut}),
            summary="One FMLA case")
def case(request, employee_number: str, case_id: Id):
    e = employee_for(request, employee_number, policy.LEAVE)
    return _case_full(request, e, case_id)


@router.post("/employees/{employee_number}/fmla-cases", response=answers({201: CaseOut}, *BODY_ERRORS, 409),
             summary="Open an FMLA case (the employee, HR or the medical coordinator; Sec. 8.1.M)")
def case_open(request, employee_number: str, payload: CaseIn):
    e = employee_for(request, employee_number, policy.LEAVE)
    try:
        c = svc.fmla_case_open(employee=e, reason=payload.reason, schedule=payload.schedule,
                               expected_start=payload.expected_start, expected_end=payload.expected_end,
                               by=request.auth, channel="api")
    except NotAllowed as exc:
        return Status(403, {"detail": str(exc)})
    except MedicalError as exc:
        return _refused(exc)
    return Status(201, _case_full(request, e, c.pk))


@router.post("/employees/{employee_number}/fmla-cases/{case_id}/close",
             response=answers({200: CaseOut}, *BODY_ERRORS, 409),
             summary="Close an FMLA case (HR or the medical coordinator)")
def case_close(request, employee_number: str, case_id: Id):
    e = employee_for(request, employee_number, policy.LEAVE)
    target = sel.case_for_write(e, case_id)
    try:
        svc.fmla_case_close(case=target, by=request.auth, channel="api")
    except NotAllowed as exc:
        return Status(403, {"detail": str(exc)})
    except MedicalError as exc:
        return _refused(exc)
    return _case_full(request, e, case_id)


@router.post("/employees/{employee_number}/fmla-cases/{case_id}/designation",
             response=answers({201: CaseOut}, *BODY_ERRORS, 409),
             summary="Designate the case as FMLA leave, or decline to, with reasons (the medical coordinator only; "
                     "Sec. 8.1.M, 8.7.2); a new designation supersedes the current one")
def designate(request, employee_number: str, case_id: Id, payload: DesignateIn):
    e = employee_for(request, employee_number, policy.LEAVE)
    target = sel.case_for_write(e, case_id)
    try:
        svc.fmla_case_designate(case=target, by=request.auth, outcome=payload.outcome, reasons=payload.reasons,
                                citations=payload.citations, waiver_granted=payload.waiver_granted,
                                waiver_reasons=payload.waiver_reasons, channel="api")
    except NotAllowed as exc:
        return Status(403, {"detail": str(exc)})
    except MedicalError as exc:
        return _refused(exc)
    return Status(201, _case_full(request, e, case_id))


@router.post("/employees/{employee_number}/fmla-cases/{case_id}/certification-request",
             response=answers({200: CaseOut}, *BODY_ERRORS, 409),
             summary="Request the medical certification (D-1 / D-2): sets the date it is due (Sec. 8.7.2.B.1, "
                     "8.1.M; the medical coordinator only)")
def certification_request(request, employee_number: str, case_id: Id, payload: CertificationIn):
    e = employee_for(request, employee_number, policy.LEAVE)
    target = sel.case_for_write(e, case_id)
    try:
        svc.fmla_certification_request(case=target, by=request.auth, on=payload.on, channel="api")
    except NotAllowed as exc:
        return Status(403, {"detail": str(exc)})
    except MedicalError as exc:
        return _refused(exc)
    return _case_full(request, e, case_id)


@router.get("/employees/{employee_number}/fmla-cases/{case_id}/notice.pdf", response=answers({200: None}),
            summary="The designation notice as a PDF (the employee and the coordinator only; logged)")
def notice_pdf(request, employee_number: str, case_id: Id):
    e = employee_for(request, employee_number, policy.MEDICAL)
    n = sel.designation_notice(request.auth, e, case_id, channel="api")
    return pdf_response("medical/notice.html", {"n": n, "employee": n.employee}, request=request,
                        title=f"FMLA designation notice, case no. {case_id} — {e.name}",
                        filename=f"fmla-designation-{case_id}-{e.employee_number}.pdf")


@router.get("/employees/{employee_number}/medical-documents", response=answers({200: list[DocumentOut]}),
            summary="The list of an employee's sealed medical documents (the employee and the coordinator only)")
def documents(request, employee_number: str):
    e = employee_for(request, employee_number, policy.MEDICAL)
    return [_doc(d) for d in sel.documents_of(request.auth, e, channel="api")]


@router.post("/employees/{employee_number}/medical-documents",
             response=answers({201: DocumentOut}, *BODY_ERRORS, 409, 415),
             summary="Upload a D-1, D-2 or other medical evidence (multipart: kind, file, optional case and note); "
                     "PDF, JPEG or PNG by content, size-limited, sealed")
def upload(request, employee_number: str, file: File[UploadedFile],
           kind: Form[Literal[tuple(DOCUMENT_KINDS)]], case: Form[int | None] = None, note: Form[str] = ""):
    e = employee_for(request, employee_number, policy.MEDICAL)
    target = sel.case_for_write(e, case) if case else None
    try:
        d = svc.medical_document_upload(employee=e, kind=kind, file=file, case=target, note=note, by=request.auth,
                                        channel="api")
    except NotAllowed:
        raise Http404 from None
    except MedicalError as exc:
        return _refused(exc)
    return Status(201, _doc(d))


@router.get("/medical-documents/{ref}/content", response=answers({200: None}),
            summary="One sealed document's file, decrypted (the employee and the coordinator only; logged)")
def content(request, ref: str):
    doc, opened = sel.document_open(request.auth, ref, channel="api")
    response = HttpResponse(opened.content, content_type=doc.content_type)
    response["Content-Disposition"] = f'attachment; filename="{sel.download_name(opened.name, doc.content_type)}"'
    response["Cache-Control"] = "no-store"
    return response



class QueueItemOut(Schema):
    kind: str = Field(description="waiting_notice | certification_overdue | certification_due | intermittent_reached | "
                                  "intermittent_near | entitlement_ending")
    label: str
    case: int
    employee_number: str
    employee_name: str
    date: dt.date = Field(description="the date that sets the row's urgency (a deadline; today for the entitlement)")
    days_left: int = Field(description="days from today to ``date``; negative: overdue")
    overdue: bool
    title: str
    detail: str
    citations: list[str]
    url: str = Field(description="the case's page")
    figures: dict = Field(description="weeks and intermittent days used / remaining, for the entitlement rows")


class QueueOut(Schema):
    on: dt.date
    agency: str | None = Field(description="the coordinator's agency code; null: every agency")
    items: list[QueueItemOut]


@router.get("/fmla-queue", response=answers({200: QueueOut}, 403),
            summary="The medical coordinator's FMLA work queue, most urgent first (Sec. 8.1.M, 8.7.2.A.1/B.1, B.4.a)")
def fmla_queue(request):
    from openleave import clock
    from openleave.medical import queue

    user = request.auth
    if not policy.can_work_fmla_queue(user):
        return Status(403, {"detail": "Only the medical (FMLA) coordinator has the FMLA work queue."})
    today = clock.today()
    items = queue.coordinator_queue(user, today, channel="api")
    return {"on": today, "agency": user.agency.code if user.agency_id else None,
            "items": [i.as_json() for i in items]}
