"""Reads: FMLA cases (as each role may see them) and sealed medical documents (the employee and the medical
coordinator of their agency only). Every read records an access-log row naming the employee; a document read
names the document, never its file name or content.

What a case shows depends on who asks (``CaseView``): everyone who may see the employee's leave data
(``policy.LEAVE``: the supervisor, HR, a steward with consent, an auditor) sees the status, the schedule, the
expected dates, who opened it and "certification received on … / due on …". Only the employee and the
coordinator (``policy.can_read_medical``) see the kind of leave, the reason and the documents.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from openleave import policy
from openleave.audit.access import record_access
from openleave.leave.models import LeaveRequest
from openleave.people.models import Employee
from openleave.rules import fmla
from openleave.rules.params import default_tree, figure

from . import crypto
from .models import (
    CERTIFICATIONS,
    DOCUMENT_KINDS,
    OPENERS,
    SCHEDULES,
    FmlaCase,
    FmlaDesignation,
    MedicalDocument,
)


@dataclass(frozen=True)
class CaseView:
    id: int
    employee_number: str
    status: str
    schedule: str
    expected_start: dt.date
    expected_end: dt.date | None
    opened_by_role: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    certification: str  # "received on …", "due on …", "not requested"
    certification_received: dt.date | None
    certification_due: dt.date | None
    sealed: bool  # True: the caller may not see the kind of leave, the reason or the documents
    leave_type: str = ""
    reason: str = ""

    @property
    def schedule_label(self) -> str:
        return SCHEDULES[self.schedule]

    @property
    def opened_by_label(self) -> str:
        return OPENERS[self.opened_by_role]

    @property
    def is_open(self) -> bool:
        return self.status == FmlaCase.Status.OPEN


def _received(case: FmlaCase) -> dt.date | None:
    first = (MedicalDocument.objects.filter(case=case, kind__in=CERTIFICATIONS).order_by("uploaded_at")
             .values_list("uploaded_at", flat=True).first())
    return timezone.localtime(first).date() if first else None


def _view(case: FmlaCase, medical: bool) -> CaseView:
    received = _received(case)
    if received is not None:
        cert = f"certification received on {received:%Y-%m-%d}"
    elif case.certification_due is not None:
        cert = f"certification due on {case.certification_due:%Y-%m-%d}"
    else:
        cert = "certification not requested"
    return CaseView(
        id=case.pk, employee_number=case.employee.employee_number, status=case.status, schedule=case.schedule,
        expected_start=case.expected_start, expected_end=case.expected_end, opened_by_role=case.opened_by_role,
        opened_at=case.opened_at, closed_at=case.closed_at, certification=cert, certification_received=received,
        certification_due=case.certification_due, sealed=not medical,
        leave_type=case.get_leave_type_display() if medical else "", reason=case.get_reason_display() if medical else "")


def cases_of(user, employee: Employee, *, channel: str = "ui") -> list[CaseView]:
    """The employee's cases as ``user`` may see them (the caller checked ``policy.LEAVE``); one read row."""
    medical = policy.can_read_medical(user, employee)
    cases = list(FmlaCase.objects.filter(employee=employee).select_related("employee"))
    record_access(actor=user, subject=employee, object_type="fmla_cases", category=policy.LEAVE, channel=channel,
                  fields="FMLA cases: status, dates, certification" + ("; reason" if medical else ""))
    return [_view(c, medical) for c in cases]


def case_of(user, employee: Employee, case_id: int, *, channel: str = "ui") -> tuple[FmlaCase, CaseView]:
    case = FmlaCase.objects.select_related("employee").filter(employee=employee, pk=case_id).first()
    if case is None:
        raise Http404("No such case, or you may not see it.")
    medical = policy.can_read_medical(user, employee)
    record_access(actor=user, subject=employee, object_type="fmla_case", object_id=case.pk, category=policy.LEAVE,
                  channel=channel, fields="FMLA case: status, dates, certification" + ("; reason" if medical else ""))
    return case, _view(case, medical)


def case_for_write(employee: Employee, case_id) -> FmlaCase:
    case = FmlaCase.objects.select_related("employee").filter(employee=employee, pk=case_id).first()
    if case is None:
        raise Http404("No such case, or you may not see it.")
    return case


def cases_by_id(employee: Employee) -> dict[int, FmlaCase]:
    """The employee's case records by id, for a caller that already read them through ``cases_of``."""
    return {c.pk: c for c in FmlaCase.objects.filter(employee=employee)}


def _require_medical(user, employee: Employee) -> None:
    if not policy.can_read_medical(user, employee):
        raise Http404("No such employee, or you may not see them.")


def documents_of(user, employee: Employee, *, channel: str = "ui") -> list[MedicalDocument]:
    """The list of the employee's documents (kind, case, type, size, who uploaded, when — no name, no content):
    the employee and the coordinator only (else 404); one read row."""
    _require_medical(user, employee)
    docs = list(MedicalDocument.objects.filter(employee=employee).select_related("uploaded_by", "case"))
    record_access(actor=user, subject=employee, object_type="medical_documents", category=policy.MEDICAL,
                  channel=channel, fields=f"list of medical documents ({len(docs)})")
    return docs


def document_open(user, ref: str, *, channel: str = "ui") -> tuple[MedicalDocument, crypto.Opened]:
    """One document, decrypted, for the employee or the coordinator; the read is logged naming the employee.
    Anyone else — and an unknown ref — gets the same 404."""
    doc = (MedicalDocument.objects.select_related("employee", "blob").filter(ref=str(ref)[:32]).first()
           if ref else None)
    if doc is None or user is None or not policy.can_read_medical(user, doc.employee):
        raise Http404("No such document, or you may not see it.")
    opened = crypto.unpack(crypto.open_sealed(doc.blob.data, key_id=doc.blob.key_id,
                                              aad=crypto.associated_data(doc.ref, doc.employee_id)))
    record_access(actor=user, subject=doc.employee, object_type="medical_document", object_id=doc.pk,
                  category=policy.MEDICAL, channel=channel,
                  fields=f"medical document read: {DOCUMENT_KINDS[doc.kind].split(':')[0]}")
    return doc, opened


EXT = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def download_name(name: str, content_type: str) -> str:
    """A safe file name for the download: the uploader's name in plain characters, the extension of the type."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name.rsplit(".", 1)[0])[:80].strip("._") or "document"
    return f"{stem}.{EXT[content_type]}"


def kind_label(kind: str) -> str:
    return DOCUMENT_KINDS[kind]


# --- the running FMLA counters (Sec. 8.7.2.B.1, B.4.a) ---------------------------------------------

FMLA_KINDS = ("fmla_family", "fmla_medical")
_COUNTED = ("approved", "partly_approved", "taken")  # decided with leave; cancelled / corrected / denied do not count


def fmla_taken(employee: Employee, on: dt.date, *, exclude: int | None = None) -> tuple[fmla.Taken, ...]:
    """The FMLA leave the employee has taken in the look-back window before ``on`` (Sec. 8.7.2.B.4.c reading 1 of
    ``rules.fmla``), from their approved (partly approved, taken) ``fmla_family`` / ``fmla_medical`` requests: ONE
    query. A continuous request is one ``ContinuousFmla`` over its calendar days (cut at its last approved day when
    only part was approved); an intermittent or modified-schedule request is one ``IntermittentFmla`` per approved
    day with its hours. ``exclude``: a request being checked again (amended, decided)."""
    first, last, _ = fmla.lookback_window(on)
    qs = (LeaveRequest.objects.filter(employee=employee, kind__in=FMLA_KINDS, status__in=_COUNTED,
                                      start_date__lte=last, end_date__gte=first).order_by("start_date", "id"))
    if exclude:
        qs = qs.exclude(pk=exclude)
    out: list[fmla.Taken] = []
    for kind, start, end, facts, days, approved, requested in qs.values_list(
            "kind", "start_date", "end_date", "facts", "days", "approved_micro", "requested_micro"):
        per_day = {dt.date.fromisoformat(d): int(m) for d, m in (days or {}).items() if int(m) > 0}
        if not per_day:
            continue
        mode = "continuous" if kind == "fmla_family" else (facts or {}).get("mode") or "continuous"
        if mode == "continuous":
            to = end if approved >= requested else max(per_day)
            out.append(fmla.ContinuousFmla(min(start, min(per_day)), max(to, min(per_day))))
        else:
            out.extend(fmla.IntermittentFmla(d, micro=m) for d, m in sorted(per_day.items()))
    return tuple(out)


def fmla_entitlement_of(employee: Employee, on: dt.date, *, reason: str = "medical"):
    """``rules.fmla.fmla_entitlement`` of the employee's approved FMLA leave before ``on``: the cited ``Decision``
    (its value the :class:`Entitlement`). Not logged: the caller's read or write is."""
    return fmla.fmla_entitlement(employee.facts(), on, fmla_taken(employee, on), reason=reason)


def fmla_usage(employee: Employee, on: dt.date, *, reason: str = "medical", exclude: int | None = None,
               user=None, channel: str = "ui") -> tuple[tuple[fmla.Taken, ...], fmla.Entitlement]:
    """The employee's FMLA leave taken in the look-back window before ``on`` and the entitlement it leaves
    (``rules.fmla.fmla_entitlement``: weeks used / remaining of Sec. 8.7.2.B.1, intermittent days of B.4.a).
    With ``user`` the read is logged naming the employee (the counters are leave data: ``policy.LEAVE``)."""
    taken = fmla_taken(employee, on, exclude=exclude)
    ent = fmla.fmla_entitlement(employee.facts(), on, taken, reason=reason).value
    if user is not None:
        record_access(actor=user, subject=employee, object_type="fmla_usage", category=policy.LEAVE, channel=channel,
                      fields=f"FMLA weeks and intermittent days used before {on}")
    return taken, ent


@dataclass(frozen=True)
class Counters:
    """The running FMLA counters on ``on`` (figures and citations from the parameters, never typed in)."""

    on: dt.date
    weeks_used: str
    weeks_allowed: str
    weeks_remaining: str
    weeks_cite: str
    intermittent_days_used: str
    intermittent_days_allowed: str
    intermittent_days_remaining: str
    intermittent_cite: str
    lookback_weeks: str
    window_from: dt.date
    window_to: dt.date
    entitlement: fmla.Entitlement

    @property
    def weeks_line(self) -> str:
        return (f"FMLA weeks used in the last {self.lookback_weeks} weeks: {self.weeks_used} of {self.weeks_allowed} "
                f"({self.weeks_cite})")

    @property
    def intermittent_line(self) -> str:
        return (f"Intermittent days used: {self.intermittent_days_used} of {self.intermittent_days_allowed} "
                f"({self.intermittent_cite})")


def _cite_for(p, leave_type: str) -> str:
    part = "Sec. 8.7.2.A" if leave_type == "family" else "Sec. 8.7.2.B"
    all_ = fmla.cites(p)
    return next((c for c in all_ if c.startswith(part)), all_[0] if all_ else "")


def counters_of(employee: Employee, on: dt.date, *, leave_type: str = "medical") -> Counters:
    """The counters shown on the case pages (the caller's page read is logged by ``case_of``)."""
    _, ent = fmla_usage(employee, on, reason=leave_type)
    tree = default_tree()
    mw, idays, lb = (tree.get("fmla." + n, on) for n in ("max_weeks", "intermittent_days", "lookback_weeks"))
    return Counters(
        on=on, weeks_used=figure(ent.weeks_used), weeks_allowed=figure(ent.weeks_allowed),
        weeks_remaining=figure(ent.weeks_remaining), weeks_cite=_cite_for(mw, leave_type),
        intermittent_days_used=figure(ent.intermittent_days_used),
        intermittent_days_allowed=figure(ent.intermittent_days_allowed),
        intermittent_days_remaining=figure(ent.intermittent_days_remaining),
        intermittent_cite=_cite_for(idays, "medical"), lookback_weeks=figure(lb.value),
        window_from=ent.window_from, window_to=ent.window_to, entitlement=ent)


# --- the designation (Sec. 8.1.M, 8.7.2) ---------------------------------------------------------------------


@dataclass(frozen=True)
class DesignationView:
    """A case's current designation as the caller may see it: everyone who may see the case sees the outcome,
    the dates and the entitlement figures; only the employee and the coordinator (``sealed`` False) the reasons,
    the waiver's reasons and the citations."""

    id: int
    outcome: str
    outcome_label: str
    decided_at: dt.datetime
    decided_by_label: str
    as_of: dt.date
    weeks_allowed: str
    weeks_used: str
    weeks_remaining: str
    intermittent_days_allowed: str
    intermittent_days_used: str
    intermittent_days_remaining: str
    waiver_granted: bool
    supersedes: int | None
    sealed: bool
    reasons: str = ""
    waiver_reasons: str = ""
    citations: tuple[str, ...] = ()


def current_designation(case: FmlaCase) -> FmlaDesignation | None:
    """The case's current designation: the one no other supersedes (None before the first)."""
    return (FmlaDesignation.objects.filter(case=case, superseded_by__isnull=True).select_related("decided_by")
            .first())


def designation_view(d: FmlaDesignation | None, medical: bool) -> DesignationView | None:
    if d is None:
        return None
    return DesignationView(
        id=d.pk, outcome=d.outcome, outcome_label=d.get_outcome_display(), decided_at=d.decided_at,
        decided_by_label=d.decided_by_label, as_of=d.as_of, weeks_allowed=figure(d.weeks_allowed),
        weeks_used=figure(d.weeks_used), weeks_remaining=figure(d.weeks_remaining),
        intermittent_days_allowed=figure(d.intermittent_days_allowed),
        intermittent_days_used=figure(d.intermittent_days_used),
        intermittent_days_remaining=figure(d.intermittent_days_remaining), waiver_granted=d.waiver_granted,
        supersedes=d.supersedes_id, sealed=not medical,
        reasons=d.reasons if medical else "", waiver_reasons=d.waiver_reasons if medical else "",
        citations=tuple(d.citations or ()) if medical else ())


@dataclass(frozen=True)
class Deadline:
    label: str
    due: dt.date
    reasons: tuple[str, ...]
    citations: tuple[str, ...]


@dataclass(frozen=True)
class Notice:
    """The designation notice (a page and a PDF from one template): the employee and the coordinator only."""

    employee: Employee
    case: CaseView
    designation: DesignationView
    counters: Counters
    deadlines: tuple[Deadline, ...]
    pay: tuple[str, ...]
    pay_citations: tuple[str, ...]
    health_insurance: str
    entitlement_reasons: tuple[str, ...]


def _deadline(label: str, kind: str, from_: dt.date) -> Deadline:
    d = fmla.fmla_deadline(kind, from_)
    return Deadline(label, d.value, d.reasons, d.citations)


def designation_notice(user, employee: Employee, case_id: int, *, channel: str = "ui") -> Notice:
    """The designation notice of the case's current designation, for the employee and the coordinator (anyone
    else, a case without a designation: 404). One read row (medical: it holds the coordinator's reasons)."""
    _require_medical(user, employee)
    case = FmlaCase.objects.select_related("employee").filter(employee=employee, pk=case_id).first()
    d = current_designation(case) if case is not None else None
    if d is None:
        raise Http404("No such case, or it has no designation yet.")
    opened = timezone.localtime(case.opened_at).date()
    deadlines = [_deadline("Eligibility notice (from the request or the employer's knowledge)",
                           "eligibility_notice_due", opened),
                 _deadline("Request for medical certification", "certification_request_due", opened)]
    if case.certification_requested_on is not None:
        deadlines.append(_deadline("Certification (D-1 / D-2) returned", "certification_due",
                                   case.certification_requested_on))
    deadlines.append(_deadline("Advance written notice of foreseeable leave", "advance_notice_due",
                               case.expected_start))
    pay = fmla.fmla_pay_and_accruals(case.expected_start, case.expected_end or case.expected_start, case.leave_type)
    record_access(actor=user, subject=employee, object_type="fmla_designation", object_id=d.pk,
                  category=policy.MEDICAL, channel=channel,
                  fields="FMLA designation notice: outcome, reasons, entitlement, deadlines")
    return Notice(
        employee=employee, case=_view(case, True), designation=designation_view(d, True),
        counters=counters_of(employee, timezone.localdate(), leave_type=case.leave_type), deadlines=tuple(deadlines),
        pay=tuple(r for r in pay.reasons if r != pay.extra["health_insurance"]), pay_citations=pay.citations,
        health_insurance=pay.extra["health_insurance"],
        entitlement_reasons=tuple((d.entitlement or {}).get("reasons", ())))
