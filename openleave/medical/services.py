"""Writes: opening and closing an FMLA case, uploading a medical document. ONE transaction each, under a lock
on the employee row, with the access-log row naming the employee; a refusal writes nothing.

* ``fmla_case_open`` — by the employee (their request) or HR / the coordinator (the employer's knowledge,
  Sec. 8.1.M); an open case of the same employee whose expected dates overlap is refused, naming it.
* ``fmla_case_close`` — HR / the coordinator of the agency.
* ``medical_document_upload`` — by the employee or the medical coordinator of the agency: the file is checked
  by content and re-encoded (``uploads``), sealed with AES-256-GCM under the current key (``crypto``) and stored
  in its own table; the access-log row names the document's kind, never its name or content.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from openleave import inputs, policy
from openleave.audit.access import record_access
from openleave.audit.models import AccessLog
from openleave.people.models import Employee

from . import crypto, uploads
from .errors import MedicalError, NotAllowed
from .models import DOCUMENT_KINDS, REASONS, SCHEDULES, FmlaCase, MedicalBlob, MedicalDocument

NAME_MAX = 200
NOTE_MAX = 1000


def _lock(employee: Employee) -> None:
    Employee.objects.select_for_update(of=("self",)).filter(pk=employee.pk).first()


def _check_case_input(reason, schedule, expected_start, expected_end):
    reason = inputs.text(reason, "reason", max_length=16, required=True)
    if reason not in REASONS:
        raise MedicalError(f"{reason[:40]!r} is not a reason for FMLA leave; use one of {', '.join(REASONS)} "
                           "(Sec. 8.7.2.A: birth, adoption, placement; 8.7.2.B: the employee's own serious health "
                           "condition, care of a spouse, child or parent).", field="reason")
    schedule = inputs.text(schedule, "schedule", max_length=17) or "continuous"
    if schedule not in SCHEDULES:
        raise MedicalError(f"{schedule[:40]!r} is not a schedule; use one of {', '.join(SCHEDULES)}.",
                           field="schedule")
    start = inputs.day(expected_start, "expected_start")
    if start is None:
        raise MedicalError("the expected first day of leave is required (YYYY-MM-DD).", field="expected_start")
    end = inputs.day(expected_end, "expected_end")
    if end is not None and end < start:
        raise MedicalError(f"the expected last day {end} is before the first day {start}.", field="expected_end")
    return reason, schedule, start, end


def _overlaps(case: FmlaCase, start: dt.date, end: dt.date | None) -> bool:
    far = dt.date.max
    return case.expected_start <= (end or far) and start <= (case.expected_end or far)


def fmla_case_open(*, employee: Employee, reason, expected_start, by, schedule="continuous", expected_end=None,
                   channel: str = "ui") -> FmlaCase:
    """Open a case for ``employee``. The opener is recorded as the employee (their own request) or HR (the
    employer's knowledge, Sec. 8.1.M). Refused: an unknown reason or schedule, dates out of order, an open case
    whose expected dates overlap (409, naming it); ``NotAllowed`` when ``by`` may not open one."""
    if by is None or not policy.can_open_fmla_case(by, employee):
        raise NotAllowed("Only the employee, HR / the Appointing Authority or the medical coordinator of the "
                         "employee's agency opens an FMLA case.")
    reason, schedule, start, end = _check_case_input(reason, schedule, expected_start, expected_end)
    own = by.employee_or_none
    role = "employee" if own is not None and own.pk == employee.pk else "hr"
    with transaction.atomic():
        _lock(employee)
        for other in FmlaCase.objects.filter(employee=employee, status=FmlaCase.Status.OPEN):
            if _overlaps(other, start, end):
                until = other.expected_end.isoformat() if other.expected_end else "no end date yet"
                raise MedicalError(
                    f"an open FMLA case (no. {other.pk}, from {other.expected_start} to {until}) already covers "
                    f"these dates: close it first, or add to it.", field="expected_start", status=409)
        case = FmlaCase.objects.create(
            employee=employee, leave_type=REASONS[reason][0], reason=reason, schedule=schedule, expected_start=start,
            expected_end=end, opened_by_role=role, opened_by=by, opened_at=timezone.now())
        record_access(actor=by, subject=employee, object_type="fmla_case", object_id=case.pk, category=policy.LEAVE,
                      channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"FMLA case opened ({'the employee' if role == 'employee' else 'HR'}), "
                             f"{schedule}, from {start}")
    return case


def fmla_case_close(*, case: FmlaCase, by, channel: str = "ui") -> FmlaCase:
    employee = case.employee
    if by is None or not policy.can_close_fmla_case(by, employee):
        raise NotAllowed("Only HR / the Appointing Authority or the medical coordinator of the employee's agency "
                         "closes an FMLA case.")
    with transaction.atomic():
        _lock(employee)
        case = FmlaCase.objects.select_related("employee").get(pk=case.pk)
        if case.status == FmlaCase.Status.CLOSED:
            raise MedicalError(f"FMLA case no. {case.pk} is already closed "
                               f"({timezone.localtime(case.closed_at):%Y-%m-%d}).", field="case", status=409)
        case.status, case.closed_at, case.closed_by = FmlaCase.Status.CLOSED, timezone.now(), by
        case.save(update_fields=["status", "closed_at", "closed_by"])
        record_access(actor=by, subject=employee, object_type="fmla_case", object_id=case.pk, category=policy.LEAVE,
                      channel=channel, action=AccessLog.Action.CHANGE, fields="FMLA case closed")
    return case


def medical_document_upload(*, employee: Employee, kind, file, by, case: FmlaCase | None = None, note="",
                            channel: str = "ui") -> MedicalDocument:
    """Seal and store one medical document of ``employee`` (``file``: an uploaded file or any object with
    ``read`` and ``name``). Refused with a clear message and nothing stored: the wrong type (by content), too
    large, unreadable, a case of another employee or a closed case. ``NotAllowed`` for anyone but the employee
    and the medical coordinator of their agency."""
    if by is None or not policy.can_read_medical(by, employee) or policy.is_read_only(by):
        raise NotAllowed("Only the employee and the medical (FMLA) coordinator of their agency upload medical "
                         "documents.")
    kind = inputs.text(kind, "kind", max_length=8, required=True)
    if kind not in DOCUMENT_KINDS:
        raise MedicalError(f"{kind[:40]!r} is not a kind of document; use d1 (the employee's own condition), "
                           "d2 (a family member's) or other (Sec. 8.1.K).", field="kind")
    note = inputs.text(note, "note", max_length=NOTE_MAX)
    if case is not None:
        if case.employee_id != employee.pk:
            raise MedicalError("that case is not this employee's.", field="case", status=404)
        if case.status != FmlaCase.Status.OPEN:
            raise MedicalError(f"FMLA case no. {case.pk} is closed: attach the document to an open case, or to none.",
                               field="case", status=409)
    name = inputs.text((getattr(file, "name", "") or "document").rsplit("/", 1)[-1], "file", max_length=10_000)
    name = name[:NAME_MAX]
    checked = uploads.check(uploads.read_upload(file))
    with transaction.atomic():
        _lock(employee)
        doc = MedicalDocument.objects.create(employee=employee, case=case, kind=kind,
                                             content_type=checked.content_type, size=len(checked.data), uploaded_by=by,
                                             uploaded_at=timezone.now())
        key_id, sealed = crypto.seal(crypto.pack(name, note, checked.data),
                                     aad=crypto.associated_data(doc.ref, employee.pk))
        MedicalBlob.objects.create(document=doc, key_id=key_id, data=sealed)
        record_access(actor=by, subject=employee, object_type="medical_document", object_id=doc.pk,
                      category=policy.MEDICAL, channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"uploaded: {DOCUMENT_KINDS[kind].split(':')[0]}")
    return doc
