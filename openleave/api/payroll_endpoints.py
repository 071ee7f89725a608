"""API: export to payroll (issue 15, item 2). The payroll office only (``policy.can_export_payroll``: HR with no
agency scope); anyone else gets 403. The same services and selectors as the pages and ``manage.py payroll_export``."""

from __future__ import annotations

import datetime as dt

from django.http import StreamingHttpResponse
from ninja import Field, Router, Schema, Status

from openleave.payroll import selectors as sel
from openleave.payroll import services as svc
from openleave.payroll.errors import PayrollError
from openleave.people.models import PayCalendar
from openleave.rules.units import hours_str

from .schemas import BODY_ERRORS, BodyIn, Day, Text, answers

router = Router(tags=["payroll"])


class BatchOut(Schema):
    id: int
    pay_calendar: str
    period_start: dt.date
    period_end: dt.date
    created_at: dt.datetime
    by: str
    rows: int
    employees: int
    totals_hours: dict[str, str] = Field(description="kind → hours of the period's own lines")
    adjustment_hours: dict[str, str] = Field(description="kind → hours of the adjustment lines (earlier periods)")
    codes: dict[str, str]
    sha256: str = Field(description="SHA-256 of the exact CSV bytes; a re-download has the same")
    size: int
    ledger_hwm: int = Field(description="the newest ledger entry id read")
    charge_hwm: int
    reconciled: bool
    pending_corrections: bool


class KindOut(Schema):
    kind: str
    exported: str
    ledger: str
    adjusted_here: str
    adjustments_due: str
    adjusted_later: str
    pending: str
    ok: bool


class ReconciliationOut(Schema):
    batch: int
    ok: bool
    kinds: list[KindOut]
    text: list[str]


class ExportIn(BodyIn):
    period_including: Day = Field(..., description="A date in the closed pay period to export.")
    calendar: Text(100) = Field("", description="Pay calendar name (default: the only one).")


def _refused(exc: PayrollError):
    body = {"detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    return Status(exc.status, body)


def _out(b, rec=None) -> dict:
    rec = rec or sel.reconcile(b)
    return {"id": b.pk, "pay_calendar": b.pay_calendar.name, "period_start": b.period_start,
            "period_end": b.period_end, "created_at": b.created_at, "by": b.by_label, "rows": b.rows,
            "employees": b.employees, "totals_hours": {k: hours_str(v) for k, v in b.totals.items()},
            "adjustment_hours": {k: hours_str(v) for k, v in b.adjustment_totals.items()}, "codes": b.codes,
            "sha256": b.sha256, "size": b.size, "ledger_hwm": b.ledger_hwm, "charge_hwm": b.charge_hwm,
            "reconciled": rec.ok, "pending_corrections": rec.pending}


@router.get("/payroll/batches", response=answers({200: list[BatchOut]}, 403), summary="The payroll batches")
def batches(request):
    try:
        return [_out(b) for b in sel.batches_for(request.auth)]
    except PayrollError as exc:
        return _refused(exc)


@router.post("/payroll/batches", response=answers({201: BatchOut}, *BODY_ERRORS, 409),
             summary="Export a closed pay period to payroll (a recorded batch)")
def export(request, payload: ExportIn):
    qs = PayCalendar.objects.all()
    cal = qs.filter(name=payload.calendar).first() if payload.calendar else None
    if cal is None:
        cals = list(qs[:2])
        if payload.calendar or len(cals) != 1:
            return Status(422, {"detail": "name the pay calendar", "field": "calendar"})
        cal = cals[0]
    try:
        b = svc.payroll_batch_export(calendar=cal, period_including=payload.period_including, by=request.auth,
                                     channel="api")
    except PayrollError as exc:
        return _refused(exc)
    return Status(201, _out(b))


@router.get("/payroll/batches/{batch_id}", response=answers({200: BatchOut}, 403), summary="One payroll batch")
def batch(request, batch_id: int):
    try:
        return _out(sel.batch_for(request.auth, batch_id))
    except PayrollError as exc:
        return _refused(exc)


@router.get("/payroll/batches/{batch_id}/reconciliation", response=answers({200: ReconciliationOut}, 403),
            summary="The batch's totals against the ledger's debits for its period")
def reconciliation(request, batch_id: int):
    try:
        b = sel.batch_for(request.auth, batch_id)
    except PayrollError as exc:
        return _refused(exc)
    rec = sel.reconcile(b)
    return {"batch": b.pk, "ok": rec.ok, "text": rec.lines(),
            "kinds": [{"kind": k.kind, "exported": k.exported_h, "ledger": k.ledger_h, "adjusted_here": k.adjusted_here_h,
                       "adjustments_due": k.adjustments_due_h, "adjusted_later": k.adjusted_later_h,
                       "pending": k.pending_h, "ok": k.ok} for k in rec.kinds]}


@router.get("/payroll/batches/{batch_id}/payroll.csv", response=answers({200: None}, 403),
            summary="The batch's CSV (identical on every download: see its sha256)",
            openapi_extra={"responses": {200: {"description": "CSV", "content": {"text/csv": {"schema": {
                "type": "string"}}}}}})
def batch_csv(request, batch_id: int):
    try:
        b = sel.batch_for(request.auth, batch_id)
    except PayrollError as exc:
        return _refused(exc)
    response = StreamingHttpResponse(sel.download(request.auth, b, channel="api"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="payroll-batch-{b.pk}-{b.period_start}.csv"'
    response["X-Checksum-SHA256"] = b.sha256
    return response
