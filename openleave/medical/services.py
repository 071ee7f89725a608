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
from openleave.leave.services import notify
from openleave.people.models import Employee
from openleave.rules import fmla, provenance
from openleave.rules.decision import merge_citations
from openleave.rules.params import default_tree

from . import crypto, selectors, uploads
from .errors import MedicalError, NotAllowed
from .models import (
    DOCUMENT_KINDS,
    OUTCOMES,
    REASONS,
    SCHEDULES,
    FmlaCase,
    FmlaDesignation,
    MedicalBlob,
    MedicalDocument,
)

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


def _check_eligible(employee: Employee, start: dt.date) -> None:
    """A case is opened only for an employee who is eligible on its first day, or who may ask for the waiver
    (Sec. 8.7.2.A.1/B.1, A.2/B.2); the refusal says when the employee becomes eligible."""
    try:
        elig = fmla.fmla_eligibility(employee.facts(), start)
    except fmla.FmlaError as exc:
        raise MedicalError(str(exc), field="expected_start") from None
    if elig.value == "not_eligible":
        raise MedicalError(f"the employee is not eligible for family or medical leave on {start}: "
                           + " ".join(elig.reasons) + f" ({'; '.join(elig.citations)}). Nothing was stored.",
                           field="expected_start")


def fmla_case_open(*, employee: Employee, reason, expected_start, by, schedule="continuous", expected_end=None,
                   channel: str = "ui") -> FmlaCase:
    """Open a case for ``employee``. The opener is recorded as the employee (their own request) or HR (the
    employer's knowledge, Sec. 8.1.M). Refused: an unknown reason or schedule, dates out of order, an open case
    whose expected dates overlap (409, naming it); ``NotAllowed`` when ``by`` may not open one."""
    if by is None or not policy.can_open_fmla_case(by, employee):
        raise NotAllowed("Only the employee, HR / the Appointing Authority or the medical coordinator of the "
                         "employee's agency opens an FMLA case.")
    reason, schedule, start, end = _check_case_input(reason, schedule, expected_start, expected_end)
    _check_eligible(employee, start)
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


# --- designation (Sec. 8.1.M, 8.7.2) and the certification request (8.7.2.B.1) ------------------------------

REASONS_MAX = 4000
CITATIONS_MAX = 20


def _coordinator_only(by, employee: Employee, what: str) -> None:
    if by is None or not policy.can_designate_fmla(by, employee):
        raise NotAllowed(f"Only the medical (FMLA) coordinator of the employee's agency {what}.")


def _text_or_error(value, field: str, *, max_length: int, required: bool = False) -> str:
    try:
        return inputs.text(value, field, max_length=max_length, required=required)
    except inputs.BadInput as exc:
        raise MedicalError(exc.message, field=field) from None


def _citations(raw) -> list[str]:
    if raw in (None, ""):
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    if len(items) > CITATIONS_MAX:
        raise MedicalError(f"at most {CITATIONS_MAX} citations (you gave {len(items)}).", field="citations")
    out = []
    for c in items:
        for part in str(c).split(";"):
            part = _text_or_error(part, "citations", max_length=80)
            if part and part not in out:
                out.append(part)
    return out


def _current(case: FmlaCase) -> FmlaDesignation | None:
    return FmlaDesignation.objects.filter(case=case, superseded_by__isnull=True).first()


def _case_locked(case: FmlaCase) -> FmlaCase:
    _lock(case.employee)
    case = FmlaCase.objects.select_related("employee__agency", "employee__title").get(pk=case.pk)
    if case.status != FmlaCase.Status.OPEN:
        raise MedicalError(f"FMLA case no. {case.pk} is closed: it can no longer be designated or changed.",
                           field="case", status=409)
    return case


def fmla_case_designate(*, case: FmlaCase, by, outcome, reasons, citations=(), waiver_granted=False,
                        waiver_reasons="", channel: str = "ui") -> FmlaDesignation:
    """The coordinator designates the case as family and medical leave, or declines to (Sec. 8.1.M, 8.7.2), with
    their reasons in their own words (required) and any citations they add to the rules' own. A designation
    supersedes the case's current one (append-only). The entitlement at designation is computed by
    ``rules.fmla.fmla_entitlement`` from the approved FMLA leave (``selectors.fmla_usage``) as of the later of
    today and the case's first expected day; eligibility on that first day (A.1/B.1). Refused: anyone but the
    coordinator (``NotAllowed``), a closed case (409), an unknown outcome, empty reasons, designating an
    ineligible employee — or one within probation without the waiver (A.2/B.2: ``waiver_granted`` with its
    reasons, only where the rules say a waiver is possible). One transaction; the employee is told (in-app, and
    by e-mail after commit)."""
    employee = case.employee
    _coordinator_only(by, employee, "designates an FMLA case")
    outcome = _text_or_error(outcome, "outcome", max_length=20, required=True)
    if outcome not in OUTCOMES:
        raise MedicalError(f"{outcome[:40]!r} is not an outcome; use one of {', '.join(OUTCOMES)}.", field="outcome")
    reasons = _text_or_error(reasons, "reasons", max_length=REASONS_MAX, required=True)
    waiver_granted = bool(waiver_granted)
    waiver_reasons = _text_or_error(waiver_reasons, "waiver_reasons", max_length=REASONS_MAX)
    extra_cites = _citations(citations)
    if waiver_granted and not waiver_reasons:
        raise MedicalError("a waiver of the eligibility wait is a decision with reasons: give them "
                           "(Sec. 8.7.2.A.2 / B.2).", field="waiver_reasons")
    if waiver_granted and outcome != "designated":
        raise MedicalError("a waiver is granted only with a designation.", field="waiver_granted")
    with transaction.atomic():
        case = _case_locked(case)
        employee = case.employee
        facts = employee.facts()
        try:
            elig = fmla.fmla_eligibility(facts, case.expected_start)
        except fmla.FmlaError as exc:
            raise MedicalError(str(exc), field="case") from None
        if outcome == "designated":
            if elig.value == "not_eligible":
                raise MedicalError("the employee is not eligible for FMLA leave on the case's first day: "
                                   + " ".join(elig.reasons) + f" ({'; '.join(elig.citations)})", field="outcome")
            if elig.value == "waiver_possible" and not waiver_granted:
                raise MedicalError("the employee is still within the probationary period: designate only with the "
                                   "waiver of the remaining wait, and its reasons (Sec. 8.7.2.A.2 / B.2). "
                                   + " ".join(elig.reasons), field="waiver_granted")
            if elig.value == "eligible" and waiver_granted:
                raise MedicalError("the employee is eligible: no waiver is needed.", field="waiver_granted")
        as_of = max(timezone.localdate(), case.expected_start)
        taken = selectors.fmla_taken(employee, as_of)  # as fmla_entitlement_of, keeping what it relied on
        tree = default_tree()
        ent_dec = fmla.fmla_entitlement(facts, as_of, taken, reason=case.leave_type, tree=tree)
        ent = ent_dec.value
        cited = list(merge_citations(("Sec. 8.1.M",), elig.citations, ent_dec.citations, tuple(extra_cites)))
        current = _current(case)
        d = FmlaDesignation.objects.create(
            case=case, supersedes=current, outcome=outcome, reasons=reasons, citations=cited,
            waiver_granted=waiver_granted, waiver_reasons=waiver_reasons, eligibility=elig.value, as_of=as_of,
            weeks_allowed=ent.weeks_allowed, weeks_used=ent.weeks_used, weeks_remaining=ent.weeks_remaining,
            hours_remaining_micro=ent.hours_remaining, intermittent_days_allowed=ent.intermittent_days_allowed,
            intermittent_days_used=ent.intermittent_days_used,
            intermittent_days_remaining=ent.intermittent_days_remaining,
            entitlement={**ent.as_json(), "reasons": list(ent_dec.reasons),
                         "inputs": provenance.entitlement_inputs(facts, as_of, taken, case.leave_type, tree)},
            decided_by=by, decided_by_label=f"{by.display_name()} (medical / FMLA coordinator)",
            decided_at=timezone.now())
        record_access(actor=by, subject=employee, object_type="fmla_designation", object_id=d.pk,
                      category=policy.LEAVE, channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"FMLA case no. {case.pk} {outcome}" + (" (waiver granted)" if waiver_granted else "")
                             + (f", superseding designation {current.pk}" if current else ""))
        url = f"/employees/{employee.employee_number}/fmla/{case.pk}/notice/"
        notify(user=employee.user, subject="Your FMLA designation notice",
               body=(f"Your FMLA case no. {case.pk} was {'designated as family and medical leave' if outcome == 'designated' else 'not designated'} "
                     f"on {timezone.localdate()}. The notice lists the entitlement used and remaining, the deadlines "
                     "and the coordinator's reasons (Sec. 8.1.M, 8.7.2)."), url=url)
    return d


def fmla_certification_request(*, case: FmlaCase, by, on=None, channel: str = "ui") -> FmlaCase:
    """The coordinator requests the medical certification (D-1 / D-2, Sec. 8.7.2.B.1): ``on`` is the day the
    employee receives the form (today when empty); the certification is due ``fmla_deadline('certification_due')``
    from it (Sec. 8.1.M: within the calendar days of Appendix D-1). A new request replaces the due date. Refused:
    anyone but the coordinator, a closed case, a date before the case was opened. The employee is told."""
    employee = case.employee
    _coordinator_only(by, employee, "requests the medical certification")
    try:
        day = inputs.day(on, "on") if on not in (None, "") else timezone.localdate()
    except inputs.BadInput as exc:
        raise MedicalError(exc.message, field="on") from None
    with transaction.atomic():
        case = _case_locked(case)
        employee = case.employee
        opened = timezone.localtime(case.opened_at).date()
        if day < opened:
            raise MedicalError(f"the request date {day} is before the case was opened ({opened}).", field="on")
        due = fmla.fmla_deadline("certification_due", day)
        case.certification_requested_on, case.certification_due = day, due.value
        case.save(update_fields=["certification_requested_on", "certification_due"])
        record_access(actor=by, subject=employee, object_type="fmla_case", object_id=case.pk, category=policy.LEAVE,
                      channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"certification requested {day}, due {due.value}")
        notify(user=employee.user, subject="Medical certification requested",
               body=(f"The FMLA coordinator requested the medical certification (form D-1 or D-2) for your case "
                     f"no. {case.pk} on {day}. {due.reasons[0]} ({'; '.join(due.citations)}) Upload it on your "
                     "medical documents page."),
               url=f"/employees/{employee.employee_number}/medical/")
    return case
