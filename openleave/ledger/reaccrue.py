# ruff: noqa: S608  — SQL is built only from integers and dates this module computes, never user input.
"""Corrections after the fact (issue 15, item 3): payroll corrected the hours of a pay period whose biweekly
accrual has run (a *closed* period). ``reaccrue`` posts, for exactly the employees with a newer version of
hours than the ones already applied, the difference between what the ledger credited for the period (the run's
rows plus earlier corrections) and what the corrected hours give — computed by the accrual run's own SQL
(``accrual_sql.correction_sql``, the same ``_cte``) on those employees only, and for the few whose period is
partly out of service by the pure rules (as the run does). Sec. 8.1.D/I (sick) and 9.3/9.6 (vacation): credits
"based on the hours paid within the bi-weekly pay period".

Never an edit: each difference is a cited ``ADJUSTMENT`` entry (its ``run`` the corrected run, its key
``reaccrue:<run>:<batch>:<employee>:<leave>``), with an ``AccrualCorrectionLine`` keeping the before/after
(hours paid, credit, difference) that the member's ledger page shows. Idempotent per correction batch: the
``AccrualCorrection`` row (unique per run and newest payroll batch applied) is written in the same transaction;
a second run finds no newer batch and posts nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from openleave.people.models import Employee, PayCalendar
from openleave.rules import accrual as rules
from openleave.rules.units import hours_str

from . import accrual_sql as S
from .models import (
    AccrualCorrection,
    AccrualCorrectionLine,
    AccrualRun,
    Kind,
    Leave,
    LedgerEntry,
    PayrollHours,
    PayrollHoursBatch,
)

UNPAID_BIT = 2  # the citation code's "hours without pay" bit (accrual_sql.cite_texts): Sec. 8.1.D/I, 9.3/9.6


class NotAccrued(ValueError):
    """The period's biweekly accrual has not run: the imported hours are its input, not a correction."""


@dataclass
class CalendarResult:
    calendar: PayCalendar
    period: tuple[dt.date, dt.date]
    message: str
    correction: AccrualCorrection | None = None
    employees: int = 0
    entries: int = 0
    totals: dict[str, int] = field(default_factory=dict)


def applied_upto(run: AccrualRun) -> int:
    """The newest payroll batch already reflected in the run's period: the run's own (``payroll_hours_upto``; for a
    run older than the column, the batches loaded before it started) or its latest correction's."""
    upto = (run.summary or {}).get("payroll_hours_upto")
    if upto is None:
        upto = PayrollHoursBatch.objects.filter(loaded_at__lte=run.started_at).aggregate(m=Max("id"))["m"] or 0
    done = run.corrections.aggregate(m=Max("upto_batch_id"))["m"] or 0
    return max(int(upto), int(done))


def _amounts(calendar: PayCalendar, plan, d, ids: list[int], upto: int, breaks, period, run):
    """(employee, leave) → (micro, paid, band, cite text) by the run's SQL; the partial ones by the pure rules."""
    from .services import _exceptions

    cites = S.cite_texts(plan)
    out: dict[tuple[int, int], tuple[int, int, int | None, str]] = {}
    with connection.cursor() as c:
        c.execute(S.correction_sql(calendar.pk, plan, d, tuple(ids), upto, breaks))
        for emp, leave, micro, band, paid, code in c.fetchall():
            text = cites[(int(leave), int(code) | UNPAID_BIT)]
            out[(int(emp), int(leave))] = (int(micro), int(paid), None if band is None else int(band), text)
    whole = {e for e, _ in out}
    partial = [i for i in ids if i not in whole and _is_partial(i, period, breaks)]
    for e in _exceptions(partial, period, run, plan, d, upto=upto):
        cite = e.cite if "Sec. 8.1.D" in e.cite or "Sec. 8.1.I" in e.cite else e.cite + ", Sec. 8.1.D, Sec. 9.3"
        out[(e.employee_id, e.leave)] = (e.micro, e.paid_micro or 0, e.band, cite[:120])
    return out


def _is_partial(emp_id: int, period, breaks) -> bool:
    e = Employee.objects.filter(pk=emp_id).values("status", "service_start", "separation_date").first()
    if e is None or e["status"] not in rules.ACCRUING_STATUSES:
        return False
    starts_inside = period.start < e["service_start"] <= period.end
    leaves_inside = e["separation_date"] is not None and period.start <= e["separation_date"] < period.end
    return starts_inside or leaves_inside or emp_id in breaks


def reaccrue(*, day: dt.date, by=None, calendar: PayCalendar | None = None, dry_run: bool = False,
             system: str = "manage.py reaccrue") -> list[CalendarResult]:
    """Post the corrections of the pay period including ``day`` on every pay calendar (or ``calendar``)."""
    calendars = [calendar] if calendar is not None else list(PayCalendar.objects.order_by("pk"))
    out = []
    for cal in calendars:
        out.append(_one(cal, day, by, dry_run, system))
    return out


def _one(calendar: PayCalendar, day: dt.date, by, dry_run: bool, system: str) -> CalendarResult:
    from openleave.audit.access import Access, System, record_many
    from openleave.audit.models import AccessLog

    from .services import _drop_checkpoints_from, dialect, period_for, tree

    period = period_for(calendar, day)
    span = (period.start, period.end)
    run = AccrualRun.objects.filter(pay_calendar=calendar, period_start=period.start,
                                    leave_set=AccrualRun.LeaveSet.BIWEEKLY).first()
    if run is None:
        raise NotAccrued(f"{calendar.name}: the pay period {period.start}..{period.end} has not been accrued yet; "
                         f"its payroll hours are the input of manage.py accrue --period-including {period.start}, "
                         "not a correction.")
    done = applied_upto(run)
    hours = PayrollHours.objects.filter(period_start=period.start, employee__pay_calendar=calendar)
    newest = hours.aggregate(m=Max("batch_id"))["m"] or 0
    if newest <= done:
        return CalendarResult(calendar, span, f"{calendar.name}: no payroll hours for the pay period {period.start}.."
                              f"{period.end} newer than batch {done}, already applied; nothing posted.")
    ids = sorted(set(hours.filter(batch_id__gt=done, batch_id__lte=newest).values_list("employee_id", flat=True)))
    plan = rules.period_rate_plan(tree(), period.start, period.end)
    d = dialect()
    with connection.cursor() as c:
        c.execute(S.breaks_sql(plan))
        breaks = tuple(sorted(int(r[0]) for r in c.fetchall()))
    after = _amounts(calendar, plan, d, ids, newest, breaks, period, run)
    before = _amounts(calendar, plan, d, ids, done, breaks, period, run)
    credited = {(e, lv): int(m or 0) for e, lv, m in
                LedgerEntry.objects.filter(run_id=run.pk, employee_id__in=ids, leave__in=(Leave.SICK, Leave.VACATION))
                .values("employee_id", "leave").annotate(m=Sum("micro")).values_list("employee_id", "leave", "m")}
    today = timezone.localdate()
    now = timezone.now()
    lines, entries = [], []
    for emp in ids:
        for leave in (Leave.SICK, Leave.VACATION):
            new_micro, new_paid, band, cite = after.get((emp, int(leave)), (0, 0, None, ""))
            old_paid = before.get((emp, int(leave)), (0, 0, None, ""))[1]
            if not cite:
                cite = (S.cite_texts(plan)[(int(leave), UNPAID_BIT)])
            was = credited.get((emp, int(leave)), 0)
            diff = new_micro - was
            if diff == 0:
                continue
            label = Leave(leave).label.lower()
            reason = (f"payroll correction (batch {newest}) of the pay period {period.start}..{period.end}: hours paid "
                      f"{hours_str(old_paid)} → {hours_str(new_paid)} h; {label} credit {hours_str(was)} → "
                      f"{hours_str(new_micro)} h; difference {'+' if diff > 0 else ''}{hours_str(diff)} h "
                      f"(accrual run {run.pk})")
            entries.append(LedgerEntry(
                employee_id=emp, leave=int(leave), kind=Kind.ADJUSTMENT, micro=diff, effective_date=today,
                period_start=period.start, cite=cite[:120], reason=reason[:500], band=band, paid_micro=new_paid,
                run=run, by=by, key=f"reaccrue:{run.pk}:{newest}:{emp}:{int(leave)}", recorded_at=now,
                vintage=S.vintage(plan)))
            lines.append(AccrualCorrectionLine(employee_id=emp, leave=int(leave), paid_before=old_paid,
                                               paid_after=new_paid, credit_before=was, credit_after=new_micro,
                                               difference=diff, cite=cite[:120]))
    totals: dict[str, int] = {}
    for e in entries:
        totals[Leave(e.leave).label] = totals.get(Leave(e.leave).label, 0) + e.micro
    changed = sorted({e.employee_id for e in entries})
    result = CalendarResult(calendar, span, "", None, len(changed), len(entries), totals)
    verb = "would post" if dry_run else "posted"
    result.message = (f"{calendar.name}: payroll batch {newest} corrects the pay period {period.start}..{period.end} "
                      f"for {len(ids)} employee(s); {verb} {len(entries)} correcting entr{'y' if len(entries) == 1 else 'ies'} "
                      f"for {len(changed)} employee(s) (Sec. 8.1.D, 9.3)")
    if dry_run:
        return result
    try:
        with transaction.atomic():
            corr = AccrualCorrection.objects.create(
                run=run, upto_batch_id=newest, from_batch_id=done, at=now, by=by,
                by_label=by.username if by is not None else system,
                summary={"employees_with_new_hours": len(ids), "employees_corrected": len(changed),
                         "entries": len(entries), "totals_hours": {k: hours_str(v) for k, v in totals.items()}})
            LedgerEntry.objects.bulk_create(entries, batch_size=5000)
            keys = {e.key: e.pk for e in LedgerEntry.objects.filter(key__in=[e.key for e in entries])}
            for ln, e in zip(lines, entries, strict=True):
                ln.correction = corr
                ln.entry_id = keys.get(e.key)
            AccrualCorrectionLine.objects.bulk_create(lines, batch_size=5000)
            if changed:
                _drop_checkpoints_from(today, (Leave.SICK, Leave.VACATION))
            subjects = {e.pk: e for e in Employee.objects.filter(pk__in=changed)}
            record_many(actor=by if by is not None else System(system), channel="command" if by is None else "ui",
                        accesses=[Access(subject=subjects[i], object_type="accrual_correction", object_id=corr.pk,
                                         category="leave", action=AccessLog.Action.CHANGE,
                                         fields=f"payroll correction of {period.start}: "
                                                + ", ".join(f"{Leave(e.leave).label} {hours_str(e.micro)} h"
                                                            for e in entries if e.employee_id == i))
                                  for i in changed])
    except IntegrityError:
        existing = AccrualCorrection.objects.filter(run=run, upto_batch_id=newest).first()
        if existing is None:
            raise
        result.message = f"{calendar.name}: payroll batch {newest} was already applied (correction {existing.pk}); nothing posted."
        result.entries = result.employees = 0
        return result
    result.correction = corr
    return result


def corrections_of(employee) -> list[AccrualCorrectionLine]:
    """The member's corrections of hours paid, newest first (the ledger page's before/after)."""
    return list(AccrualCorrectionLine.objects.filter(employee_id=employee.pk)
                .select_related("correction", "correction__run").order_by("-id"))


__all__ = ["NotAccrued", "reaccrue", "applied_upto", "corrections_of"]
