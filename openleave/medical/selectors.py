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

from . import crypto
from .models import CERTIFICATIONS, DOCUMENT_KINDS, OPENERS, SCHEDULES, FmlaCase, MedicalDocument


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
