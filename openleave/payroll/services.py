"""The one write: ``payroll_batch_export`` — a batch of one closed pay period, in one transaction.

Steps (all set-based): lock the pay calendar (one export at a time, so the high-water marks only grow); refuse a
period not closed or already exported; read the mapping file; write the batch row; ``INSERT … SELECT … GROUP BY``
its lines — the leave used and the unpaid hours of the period, then the adjustments (corrections posted since the
batch before, charged to an exported period); refuse, naming them, any kind with hours and no code; total the lines
(one GROUP BY); stream the CSV once to take its SHA-256; write one access-log row per employee included (bulk).
Any refusal rolls back: nothing is written."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import connection, models, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from openleave import inputs, policy
from openleave.audit.access import Access, System, record_many
from openleave.audit.models import AccessLog
from openleave.leave.models import RequestCharge
from openleave.ledger.models import LedgerEntry
from openleave.people.models import Employee, PayCalendar

from . import sources
from .codes import load_codes
from .errors import PayrollError
from .models import PayrollBatch, PayrollLine

LINE_COLS = ("batch_id, employee_id, employee_number, kind, code, micro, adjustment, original_start, original_end, "
             "source, source_id, cite")
PURPOSE = "payroll export of leave used and unpaid hours (leave administration for the Appointing Authority)"
ACCESS_CHUNK = 20_000


class NotAllowed(PayrollError):
    def __init__(self, message: str = "Only the payroll office (HR / the Appointing Authority for every agency) "
                                      "exports to payroll."):
        super().__init__(message, status=403)


def period_for(calendar: PayCalendar, day, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """The pay period including ``day``; refused unless it has closed (its last day before ``today``)."""
    d = inputs.day(day, "period_including")
    if d is None:
        raise PayrollError("give a date in the pay period (YYYY-MM-DD).", field="period_including")
    start, end = calendar.period_containing(d)
    if end >= today:
        raise PayrollError(f"the pay period {start}..{end} has not closed (its last day is not before {today}): "
                           "a period is exported once it has ended.", field="period_including", status=409)
    return start, end


def _insert(select_sql: str, params: list, batch_id: int, *, adjustment: bool, source: str) -> None:
    if adjustment:
        cols = "q.employee_id, q.employee_number, q.kind, q.code, q.micro, TRUE, q.original_start, q.original_end, " \
               "%s, q.source_id, q.cite"
    else:
        cols = "q.employee_id, q.employee_number, q.kind, q.code, q.micro, FALSE, NULL, NULL, %s, NULL, ''"
    sql = (f"INSERT INTO payroll_payrollline ({LINE_COLS}) "  # noqa: S608 — module constants only
           f"SELECT {int(batch_id)}, {cols} FROM ({select_sql}) q WHERE q.micro <> 0")
    with connection.cursor() as cur:
        cur.execute(sql, [source, *params])


def _finish(batch_id: int, **values) -> None:
    """The batch row's figures, written once in the export's own transaction (the model refuses any later change)."""
    models.QuerySet(PayrollBatch).filter(pk=batch_id).update(**values)


def payroll_batch_export(*, calendar: PayCalendar, period_including, by, channel: str = "ui",
                         command: str = "", today: dt.date | None = None, codes_file=None) -> PayrollBatch:
    """Export the closed pay period including ``period_including`` for every employee on ``calendar``.

    ``by``: the user (checked with ``policy.can_export_payroll``), or None with ``command`` for a manage.py run."""
    if by is not None and not policy.can_export_payroll(by):
        raise NotAllowed()
    actor = by if by is not None else System(command or "manage.py payroll_export")
    today = today or timezone.localdate()
    start, end = period_for(calendar, period_including, today=today)
    codes, source = load_codes(codes_file)
    with transaction.atomic():
        PayCalendar.objects.select_for_update().filter(pk=calendar.pk).first()
        done = PayrollBatch.objects.filter(pay_calendar=calendar, period_start=start).first()
        if done is not None:
            raise PayrollError(f"the pay period {start}..{end} was exported as batch {done.pk} on "
                               f"{timezone.localtime(done.created_at):%Y-%m-%d %H:%M}; download it again, "
                               "identically, from that batch — later corrections go in the next batch.",
                               field="period_including", status=409)
        prev = PayrollBatch.objects.filter(pay_calendar=calendar).order_by("-id").first()
        now = timezone.now()
        hwm = LedgerEntry.objects.aggregate(m=Max("id"))["m"] or 0
        charge_hwm = RequestCharge.objects.aggregate(m=Max("id"))["m"] or 0
        batch = PayrollBatch(
            pay_calendar=calendar, period_start=start, period_end=end, created_at=now, by=by,
            by_label=f"{by.display_name()} ({by.username})" if by is not None else actor.label,
            ledger_hwm=hwm, charge_hwm=charge_hwm, prev_ledger_hwm=prev.ledger_hwm if prev else 0,
            prev_charge_hwm=prev.charge_hwm if prev else 0, prev_created_at=prev.created_at if prev else None,
            rows=0, employees=0, codes=codes, codes_source=source, sha256="", size=0)
        batch.save()
        cal = calendar.pk
        _insert(*sources.ledger_regular(cal, start, end, hwm, codes), batch.pk, adjustment=False, source="ledger")
        _insert(*sources.unpaid_regular(cal, start, end, charge_hwm, now, codes), batch.pk, adjustment=False,
                source="charge")
        if prev is not None:
            _insert(*sources.ledger_adjustments(cal, batch.pk, prev.ledger_hwm, hwm, codes), batch.pk,
                    adjustment=True, source="ledger")
            _insert(*sources.unpaid_adjustments(cal, batch.pk, prev.charge_hwm, charge_hwm, prev.created_at, now,
                                                codes), batch.pk, adjustment=True, source="charge")
        lines = PayrollLine.objects.filter(batch_id=batch.pk)
        missing = sorted(set(lines.filter(code="").values_list("kind", flat=True)))
        if missing:
            raise PayrollError(f"the mapping file {source} has no payroll time code for {', '.join(missing)}, which "
                               f"{'has' if len(missing) == 1 else 'have'} hours in {start}..{end}: add "
                               f"'{missing[0]}: CODE' under 'codes:'. Nothing was exported.", field="codes")
        totals: dict[str, int] = {}
        adjustments: dict[str, int] = {}
        for adj, kind, micro in lines.values_list("adjustment", "kind").annotate(m=Sum("micro")).order_by():
            (adjustments if adj else totals)[kind] = int(micro)
        counts = lines.aggregate(rows=Count("id"), employees=Count("employee_id", distinct=True))
        batch.rows, batch.employees = counts["rows"], counts["employees"]
        from .selectors import csv_chunks

        digest, size = hashlib.sha256(), 0
        for chunk in csv_chunks(batch):
            digest.update(chunk)
            size += len(chunk)
        _finish(batch.pk, rows=batch.rows, employees=batch.employees, totals=dict(sorted(totals.items())),
                adjustment_totals=dict(sorted(adjustments.items())), sha256=digest.hexdigest(), size=size)
        log_employees(batch, actor=actor, channel=channel, action=AccessLog.Action.EXPORT,
                      fields=f"payroll batch {batch.pk}: leave used and unpaid hours of {start}..{end}")
    batch.refresh_from_db()
    return batch


def log_employees(batch: PayrollBatch, *, actor, channel: str, action: str, fields: str) -> int:
    """One access-log row per employee in the batch, naming them (bulk inserts of ``ACCESS_CHUNK`` rows)."""
    ids = (PayrollLine.objects.filter(batch_id=batch.pk).order_by("employee_id").values_list("employee_id", flat=True)
           .distinct().iterator(chunk_size=ACCESS_CHUNK))
    n, chunk = 0, []
    for emp_id in ids:
        chunk.append(Access(subject=Employee(pk=emp_id), object_type="payroll_batch", object_id=batch.pk,
                            category=policy.LEAVE, action=action, fields=fields, purpose=PURPOSE))
        if len(chunk) >= ACCESS_CHUNK:
            n += len(record_many(actor=actor, channel=channel, accesses=chunk))
            chunk = []
    if chunk:
        n += len(record_many(actor=actor, channel=channel, accesses=chunk))
    return n
