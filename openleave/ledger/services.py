"""Writes to the ledger. Every change of state goes through a function here, in one transaction.

* ``accrual_run_biweekly`` — sick and vacation for one pay period over a whole pay calendar, set-based.
* ``accrual_run_annual`` — personal leave (Sec. 8.2) and the emergency day (MOU) in the first full
  pay period of January, set-based.
* ``ledger_adjust`` — a cited HR adjustment with a mandatory reason, plus its access-log row.
* ``ledger_reverse`` — the only correction: a reversal entry, never an edit.
* ``checkpoint_year`` / ``checkpoint_verify`` — the derived year-end balances (Sec. 9.1).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from openleave.people.models import Employee, PayCalendar
from openleave.rules import accrual as rules
from openleave.rules import provenance
from openleave.rules.calendar import (
    DEFAULT_ANCHOR,
    PayPeriod,
    first_full_period_in_january,
    period_containing,
    vacation_year,
)
from openleave.rules.ledger import vintage_of
from openleave.rules.params import ParameterTree, load_tree
from openleave.rules.units import hours_str

from . import accrual_fmla as A6
from . import accrual_sql as S
from . import selectors
from .models import (
    LEAVE_BY_SLUG,
    LEAVE_SLUGS,
    AccrualRun,
    Kind,
    Leave,
    LedgerCheckpoint,
    LedgerCitation,
    LedgerEntry,
    PeriodUnpaidHours,
)

PG_WRITE = "copy"  # "copy" (numpy + binary COPY) or "insert" (INSERT…SELECT); measured in docs/benchmarks.md
COPY_CHUNKS = 16  # id ranges of the COPY path: read/compute of one overlaps the write of the previous
CHUNKS = 4  # id ranges per run: progress and the killed-halfway test; fewer is faster (docs/benchmarks.md)


class PeriodNotEnded(ValueError):
    """Accruals are credited at the end of each pay period (Sec. 8.1.A, 9.2.A)."""


class AlreadyRun(Exception):
    def __init__(self, run: AccrualRun):
        super().__init__(f"already credited by run {run.pk} at {run.finished_at or run.started_at}")
        self.run = run


@dataclass
class RunResult:
    run: AccrualRun
    credited: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)  # leave slug → micro-hours
    rows: int = 0
    seconds: float = 0.0


_TREE: ParameterTree | None = None


def tree() -> ParameterTree:
    global _TREE
    if _TREE is None:
        _TREE = load_tree()
    return _TREE


def dialect() -> S.Dialect:
    return S.Dialect("postgresql" if connection.vendor == "postgresql" else "sqlite")


def period_for(calendar: PayCalendar, day: dt.date) -> PayPeriod:
    return period_containing(day, calendar.anchor)


def _check_ended(period: PayPeriod, today: dt.date | None) -> None:
    today = today or timezone.localdate()
    if period.end >= today:
        raise PeriodNotEnded(
            f"The pay period {period.start}..{period.end} has not ended yet (it ends {period.end}); "
            f"leave is credited at the end of each pay period (Sec. 8.1.A, 9.2.A)."
        )


def _plan_json(plan: rules.PeriodRatePlan) -> dict:
    return {
        "period": [plan.period_start.isoformat(), plan.period_end.isoformat()],
        "sick": {"rates": {str(k): hours_str(v) for k, v in plan.sick_rate_micro.items()}, "cite": plan.sick_cite},
        "vacation_bands": [
            {"from_years": str(b.from_years), "service_start_cutoff": None if b.service_start_cutoff == dt.date.max
             else b.service_start_cutoff.isoformat(), "rates": {str(k): hours_str(v) for k, v in b.rate_micro.items()},
             "cite": b.cite + (", Sec. 9.4" if b.index else "")}
            for b in plan.vacation_bands
        ],
        "enhanced": [{"kind": r.kind, "band": r.band_index, "cite": r.cite} for r in plan.enhanced_rules],
        "rounding": plan.rounding,
        "fmla_unpaid_accrual": ({"weeks": plan.fmla_accrual_weeks, "lookback_weeks": plan.fmla_lookback_weeks,
                                 "cite": plan.fmla_accrual_cite} if A6.enabled(plan) else None),
    }


def _by_label(by) -> str:
    if by is not None:
        return f"{by.username}"
    return f"manage.py accrue on {socket.gethostname()} pid {os.getpid()}"


def _log_run(run: AccrualRun, result: RunResult, by) -> None:
    """One access-log row per run, naming who ran it (a person, or "the system: manage.py accrue"): a run
    credits a whole pay calendar set-based, so its row names the run, not each of its employees (whose
    lines carry the run's id)."""
    from openleave.audit.access import COMMAND, UI, System, record_access
    from openleave.audit.models import AccessLog

    record_access(actor=by if by is not None else System("manage.py accrue"), subject=None,
                  object_type="accrual_run", object_id=run.pk, category="leave",
                  channel=UI if by is not None else COMMAND, action=AccessLog.Action.CHANGE,
                  fields=f"{run.leave_set} run of {run.period_start}: {result.rows} entries, "
                         f"{result.credited} employees credited")


def _start_run(calendar, period: PayPeriod, leave_set: str, by, plan: dict) -> AccrualRun:
    existing = AccrualRun.objects.filter(pay_calendar=calendar, period_start=period.start, leave_set=leave_set).first()
    if existing is not None:
        raise AlreadyRun(existing)
    return AccrualRun.objects.create(
        pay_calendar=calendar, period_start=period.start, period_end=period.end, leave_set=leave_set,
        started_at=timezone.now(), by=by, by_label=_by_label(by),
        rate_plan={**plan, "provenance": provenance.stamp(tree())},  # the contract data and code it used
    )


def _drop_checkpoints_from(day: dt.date, leaves: tuple[int, ...], employee_id: int | None = None) -> None:
    """A checkpoint dated on or after ``day`` no longer sums its entries: drop it (derived data)."""
    qs = LedgerCheckpoint.objects.filter(as_of__gte=day, leave__in=leaves)
    if employee_id is not None:
        qs = qs.filter(employee_id=employee_id)
    qs._raw_delete(qs.db)


def _fast_commit() -> None:
    # Durability of the last run may be traded for speed: a crash can only lose the WHOLE run
    # (run row and entries together), which a re-run then writes again. Never half a run.
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SET LOCAL synchronous_commit = off")


def _citation_ids(texts: dict[tuple[int, int], str]) -> dict[tuple[int, int], int]:
    """Make sure each citation text of the period is stored once; (leave, code) → its id."""
    wanted = set(texts.values())
    LedgerCitation.objects.bulk_create([LedgerCitation(cite=t) for t in sorted(wanted)], ignore_conflicts=True)
    ids = dict(LedgerCitation.objects.filter(cite__in=wanted).values_list("cite", "id"))
    return {key: ids[t] for key, t in texts.items()}


def accrual_run_biweekly(*, calendar: PayCalendar, day: dt.date, by=None, today: dt.date | None = None,
                         progress: Callable[[int, int], None] | None = None,
                         _after_chunk: Callable[[int], None] | None = None,
                         timings: dict[str, float] | None = None, method: str | None = None) -> RunResult:
    """Credit sick (Sec. 8.1.A/B/D/I) and vacation (Sec. 9.2–9.6) for the pay period including ``day``.

    One transaction: the run row (unique per calendar/period/leave set) and every entry. A repeated
    run raises ``AlreadyRun``; a run killed halfway leaves nothing behind.

    Steps (``timings`` gets the seconds of each): a census of the calendar (skipped by reason, and the
    few employees whose period is partly out of service), the INSERT…SELECT of every other credit in
    ``CHUNKS`` id ranges (PostgreSQL: totals returned by the same statement) — or, on PostgreSQL with
    ``method="copy"`` (the default, ``PG_WRITE``), the inputs read by binary COPY, the amounts computed
    in numpy and the rows written by one binary COPY — then the partial ones by the pure rules."""
    period = period_for(calendar, day)
    _check_ended(period, today)
    plan = rules.period_rate_plan(tree(), period.start, period.end)
    d = dialect()
    t0 = timezone.now()
    clock = time.perf_counter()
    timings = timings if timings is not None else {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - clock
        clock = now

    try:
        with transaction.atomic():
            _fast_commit()
            run = _start_run(calendar, period, AccrualRun.LeaveSet.BIWEEKLY, by, _plan_json(plan))
            upto = payroll_upto()
            cite_ids = _citation_ids(S.cite_texts(plan))
            with connection.cursor() as c:
                c.execute(S.breaks_sql(plan))
                breaks = tuple(sorted(int(r[0]) for r in c.fetchall()))
                c.execute("SELECT MIN(id), MAX(id) FROM people_employee WHERE pay_calendar_id = %s", [calendar.pk])
                lo, hi = c.fetchone()
                census: dict[str, tuple[int, str | None]] = {}

                def take_census() -> None:
                    c.execute(S.census_sql(calendar.pk, plan, d, breaks))
                    census.update({reason: (int(n), ids) for reason, n, ids in c.fetchall()})
                    lap("census")

                totals = {Leave.SICK: [0, 0], Leave.VACATION: [0, 0]}
                method = method or (PG_WRITE if d.vendor == "postgresql" else "insert")
                if method != "copy" or lo is None:
                    take_census()
                if lo is not None and method == "copy":  # the reader takes the census while the rows are written
                    from . import accrual_copy as AC

                    written, rows_ = AC.run(connection, calendar.pk, plan, breaks, cite_ids, run.pk, lo, hi,
                                            COPY_CHUNKS, after_chunk=_after_chunk, progress=progress,
                                            timings=timings, census_sql=S.census_sql(calendar.pk, plan, d, breaks))
                    totals = {Leave(k): v for k, v in written.items()}
                    census.update({reason: (int(n), ids) for reason, n, ids in rows_})
                elif lo is not None and census.get(S.BULK, (0, None))[0]:
                    c.execute("SELECT COALESCE(MAX(id), 0) FROM ledger_ledgerentry")
                    after = c.fetchone()[0]
                    sql = S.insert_sql(calendar.pk, plan, d, cite_ids, breaks, id_range=CHUNKS > 1)
                    step = max(1, (hi - lo + CHUNKS) // CHUNKS)
                    for i, start in enumerate(range(lo, hi + 1, step)):
                        c.execute(sql, {"run": run.pk, "lo": start, "hi": start + step})
                        if d.vendor == "postgresql":
                            for leave, n, m in c.fetchall():
                                totals[Leave(int(leave))][0] += int(n)
                                totals[Leave(int(leave))][1] += int(m or 0)
                        if progress:
                            progress(min(start + step, hi + 1) - lo, hi + 1 - lo)
                        if _after_chunk:
                            _after_chunk(i)
                        if CHUNKS <= 1:
                            break
                    if d.vendor != "postgresql":  # SQLite: no RETURNING in a CTE; the run's rows, by id range
                        c.execute(S.totals_since_sql(), {"after": after, "run": run.pk})
                        for leave, n, m in c.fetchall():
                            totals[Leave(int(leave))] = [int(n), int(m or 0)]
                lap("insert")
            eligible = census.pop(S.BULK, (0, None))[0]
            partial = census.pop(S.PARTIAL, (0, None))
            exception_ids = [int(i) for i in str(partial[1] or "").split(",") if i]
            skipped = {reason: n for reason, (n, _) in census.items()}
            result = RunResult(run=run, skipped=skipped)
            for leave in (Leave.SICK, Leave.VACATION):
                result.totals[leave.label] = totals[leave][1]
            result.credited = max(totals[Leave.SICK][0], totals[Leave.VACATION][0])
            rows = totals[Leave.SICK][0] + totals[Leave.VACATION][0]
            no_paid = eligible - totals[Leave.SICK][0]  # in the bulk but no sick credit: nothing paid
            if no_paid:
                skipped["no hours paid in the period (Sec. 8.1.D, 9.3)"] = no_paid
            # The few whose period is partly out of service: the pure rules themselves (Sec. 9.2.B).
            extra = _exceptions(exception_ids, period, run, plan, d)
            rows += len(extra)
            LedgerEntry.objects.bulk_create(extra, batch_size=2000)
            for e in extra:
                result.totals[Leave(e.leave).label] = result.totals.get(Leave(e.leave).label, 0) + e.micro
            result.credited += len({e.employee_id for e in extra})
            result.rows = rows
            _drop_checkpoints_from(period.start, (Leave.SICK, Leave.VACATION))
            lap("exceptions")
            result.seconds = (timezone.now() - t0).total_seconds()
            run.summary = _summary_json(result, len(exception_ids))
            run.summary["payroll_hours_upto"] = upto  # the newest payroll hours batch read (reaccrue: what is newer)
            run.finished_at = timezone.now()
            run.save(update_fields=["summary", "finished_at"])
            _log_run(run, result, by)
        lap("commit")
    except IntegrityError as exc:  # a concurrent run of the same period committed first
        existing = AccrualRun.objects.filter(pay_calendar=calendar, period_start=period.start,
                                             leave_set=AccrualRun.LeaveSet.BIWEEKLY).first()
        if existing is not None:
            raise AlreadyRun(existing) from exc
        raise
    return result


def _summary_json(result: RunResult, exceptions: int = 0) -> dict:
    return {
        "credited_employees": result.credited,
        "rows": result.rows,
        "skipped": result.skipped,
        "totals_hours": {k: hours_str(v) for k, v in result.totals.items()},
        "computed_by_pure_rules": exceptions,
        "seconds": round(result.seconds, 3),
    }


def _unpaid_map(ids: list[int], period_start: dt.date, upto: int | None = None) -> dict[int, int]:
    """Hours without pay of the period: the newest payroll version (of the batches up to ``upto``), else the
    ``PeriodUnpaidHours`` loaded — as the bulk SQL reads them (``accrual_sql.source_sql``)."""
    out = dict(PeriodUnpaidHours.objects.filter(employee_id__in=ids, period_start=period_start)
               .values_list("employee_id", "unpaid_micro"))
    wanted = set(ids)
    with connection.cursor() as c:
        c.execute(S.payroll_hours_sql(period_start, upto))
        out.update({int(e): int(u) for e, _, u in c.fetchall() if int(e) in wanted})
    return out


def payroll_upto() -> int:
    """The newest payroll hours batch (0 when none): what a run started now reads."""
    from .models import PayrollHoursBatch

    return int(PayrollHoursBatch.objects.order_by("-id").values_list("id", flat=True).first() or 0)


def _exceptions(ids: list[int], period: PayPeriod, run: AccrualRun, plan: rules.PeriodRatePlan | None = None,
                d: S.Dialect | None = None, upto: int | None = None) -> list[LedgerEntry]:
    if not ids:
        return []
    unpaid = _unpaid_map(ids, period.start, upto)
    fmla: dict[int, tuple[int, int]] = {}
    if plan is not None and d is not None:  # Sec. 8.7.2.A.6, the same subquery as the bulk (accrual_fmla)
        with connection.cursor() as c:
            fmla = A6.a6_by_employee(c, plan, d, ids)
    out = []
    for emp in Employee.objects.filter(pk__in=ids).select_related("title"):
        facts = emp.facts()
        scheduled = rules.period_scheduled_micro(facts, period, only_in_service=False)
        f_unpaid, f_credited = fmla.get(emp.pk, (0, 0))
        paid = max(scheduled - unpaid.get(emp.pk, 0) - (f_unpaid - f_credited), 0)
        for leave, fn in ((Leave.SICK, rules.sick_accrual), (Leave.VACATION, rules.vacation_accrual)):
            dec = fn(facts, period, tree(), hours_paid=paid)
            cites, reasons = list(dec.citations), list(dec.reasons)
            if f_unpaid:
                cites.append(plan.fmla_accrual_cite or A6.A6_CITE)
                reasons.append(A6.reason_text(plan, f_unpaid, f_credited))
            if dec.value > 0:
                out.append(LedgerEntry(
                    employee_id=emp.pk, leave=leave, kind=Kind.ACCRUAL, micro=dec.value, effective_date=period.end,
                    period_start=period.start, cite=", ".join(cites)[:120], reason="; ".join(reasons)[:500],
                    band=dec.extra.get("band"), paid_micro=dec.extra.get("hours_paid"), run=run,
                    vintage=period.vacation_year,
                ))
    return out


def accrual_run_annual(*, calendar: PayCalendar, year: int, by=None, today: dt.date | None = None) -> RunResult:
    """Personal leave (Sec. 8.2.A/B/C) and the emergency day (MOU Regarding State of Emergency),
    credited on the first day of the first full pay period in January of ``year``.

    Set-based: the employees are read in one query and the credits computed by the pure rules
    (``personal_credit``, ``emergency_credit``) — a once-a-year run — then written with one
    bulk insert in the same transaction as the run row. Employees hired after that day get the
    Sec. 8.2.A quarter-table credit at hire, not here."""
    first = first_full_period_in_january(year, calendar.anchor)
    if first.start > (today or timezone.localdate()):
        raise PeriodNotEnded(f"The first full pay period of January {year} starts {first.start}; "
                             f"personal leave is credited then (Sec. 8.2.A/B), not before.")
    t0 = timezone.now()
    with transaction.atomic():
        run = _start_run(calendar, first, AccrualRun.LeaveSet.ANNUAL, by, {"year": year, "cite": "Sec. 8.2.A/B, MOU"})
        entries: list[LedgerEntry] = []
        result = RunResult(run=run)
        emps = (Employee.objects.filter(pay_calendar=calendar).select_related("title")
                .prefetch_related("service_events"))
        credited = set()
        for emp in emps.iterator(chunk_size=5000):
            reason = _annual_skip(emp, first.start)
            if reason:
                result.skipped[reason] = result.skipped.get(reason, 0) + 1
                continue
            facts = emp.facts()
            for leave, dec in ((Leave.PERSONAL, rules.personal_credit(facts, year, tree())),
                               (Leave.EMERGENCY, rules.emergency_credit(facts, year, tree()))):
                if dec.value > 0 and dec.extra.get("effective") == first.start:
                    entries.append(LedgerEntry(
                        employee_id=emp.pk, leave=leave, kind=Kind.ANNUAL_CREDIT, micro=dec.value,
                        effective_date=first.start, period_start=first.start, cite=", ".join(dec.citations)[:120],
                        reason="; ".join(dec.reasons)[:500], run=run, vintage=year))
                    result.totals[leave.label] = result.totals.get(leave.label, 0) + dec.value
                    credited.add(emp.pk)
        LedgerEntry.objects.bulk_create(entries, batch_size=5000)
        _drop_checkpoints_from(first.start, (Leave.PERSONAL, Leave.EMERGENCY))
        result.credited, result.rows = len(credited), len(entries)
        result.seconds = (timezone.now() - t0).total_seconds()
        run.summary = _summary_json(result)
        run.finished_at = timezone.now()
        run.save(update_fields=["summary", "finished_at"])
        _log_run(run, result, by)
    return result


def _annual_skip(emp: Employee, day: dt.date) -> str | None:
    if emp.status == Employee.Status.CONTRACTOR:
        return "contractor: not covered (Art. 2, Sec. 8.1.A)"
    if emp.status not in rules.ACCRUING_STATUSES:
        return "intermittent/seasonal: no personal leave (Sec. 8.2)"
    if emp.separation_date and emp.separation_date < day:
        return "separated before the period"
    if emp.service_start > day:
        return "not yet started (credited at hire by the Sec. 8.2.A quarter table)"
    return None


# --- single entries ----------------------------------------------------------------------------


class AdjustmentInvalid(ValueError):
    pass


# Why a balance does not go below zero: leave is charged against credits already earned, and credits
# earned later are not applied to an earlier absence. The Agreement advances no credits for any leave type.
NO_NEGATIVE_BALANCE = {
    Leave.SICK: "Sec. 8.1.F, Sec. 8.1.N, Sec. 8.1.P",
    Leave.VACATION: "Sec. 9.10, Sec. 9.14",
    Leave.PERSONAL: "Sec. 8.2.B",
}
NO_NEGATIVE_OTHERWISE = "the Agreement advances no credits"


def ledger_adjust(*, employee: Employee, leave: int, micro: int, cite: str, reason: str, by,
                  effective_date: dt.date | None = None, key: str | None = None, channel: str = "ui",
                  below_zero: str = "") -> LedgerEntry:
    """Post a cited HR adjustment (positive or negative micro-hours) with a mandatory reason.

    A debit may not take the balance below zero on its date or any later day (``NO_NEGATIVE_BALANCE``)
    unless HR states why, with its citation, in ``below_zero``; that statement is kept in the entry's
    reason. One transaction, under a lock on the employee (as leave requests take): the entry and the
    access-log row. Idempotent with ``key``: the same key returns the entry already written."""
    from openleave import policy
    from openleave.audit.access import record_access
    from openleave.audit.models import AccessLog

    cite, reason = (cite or "").strip(), (reason or "").strip()
    if not cite:
        raise AdjustmentInvalid("A citation is required (e.g. 'Sec. 9.2.A').")
    if not reason:
        raise AdjustmentInvalid("A reason is required.")
    if not isinstance(micro, int) or isinstance(micro, bool) or micro == 0:
        raise AdjustmentInvalid("The adjustment must be a non-zero whole number of micro-hours.")
    if int(leave) not in Leave.values:
        raise AdjustmentInvalid(f"Unknown leave type {leave!r}.")
    if by is None or not policy.can_manage_ledger(by, employee):
        raise PermissionError("Only HR of the employee's agency may adjust the ledger.")
    today = timezone.localdate()
    effective_date = effective_date or today
    if effective_date > today:
        raise AdjustmentInvalid("An adjustment cannot take effect in the future.")
    below_zero = (below_zero or "").strip()
    with transaction.atomic():
        if key is not None:
            found = LedgerEntry.objects.filter(key=key).first()
            if found is not None:
                return found
        Employee.objects.select_for_update(of=("self",)).filter(pk=employee.pk).first()
        lowest_after = selectors.lowest_balance_from(employee, int(leave), effective_date) + micro
        goes_below = micro < 0 and lowest_after < 0
        if goes_below and not below_zero:
            label = Leave(int(leave)).label
            why = NO_NEGATIVE_BALANCE.get(Leave(int(leave)), NO_NEGATIVE_OTHERWISE)
            most = max(lowest_after - micro, 0)
            raise AdjustmentInvalid(
                f"This adjustment would take the {label} balance to {hours_str(lowest_after)} h; a balance does "
                f"not go below zero ({why}). Debit at most {hours_str(most)} h, or state why it must, with its "
                "citation, under “Allow below zero”.")
        if goes_below:
            reason = f"{reason} — below zero ({hours_str(lowest_after)} h) because: {below_zero}"
            if len(reason) > 500:
                raise AdjustmentInvalid("The reason and the below-zero statement together exceed 500 characters: "
                                        "shorten them.")
        entry = LedgerEntry.objects.create(
            employee=employee, leave=int(leave), kind=Kind.ADJUSTMENT, micro=micro, effective_date=effective_date,
            period_start=period_containing(effective_date, employee.pay_calendar.anchor).start, cite=cite[:120],
            reason=reason[:500], by=by, key=key, recorded_at=timezone.now(),
            vintage=credit_vintage(int(leave), Kind.ADJUSTMENT, micro, effective_date),
        )
        _drop_checkpoints_from(effective_date, (int(leave),), employee.pk)
        record_access(actor=by, subject=employee, object_type="ledger_entry", object_id=entry.pk,
                      category=policy.LEAVE, channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"adjustment {hours_str(micro)} h {Leave(int(leave)).label}"
                             + (", below zero" if goes_below else ""))
    return entry


POSTABLE = (Kind.USAGE, Kind.ADJUSTMENT, Kind.TRANSFER_IN, Kind.OPENING, Kind.EARNED)  # EARNED: comp days/time (Art. 10, Sec. 7.2.G)
POSTABLE += (Kind.PAYOUT, Kind.RESTORED)  # separation and return (openleave.separation): Sec. 9.11, 7.2.G, 8.1.O, 8.1.H


def credit_vintage(leave: int, kind: int, micro: int, on: dt.date, earned_year: int | None = None) -> int | None:
    """The ``vintage`` of a single entry, as the rules core gives it (``rules.ledger.vintage_of``): a credit's
    vacation year (vacation, Sec. 9.1, 9.8) or calendar year (the other leave types); an opening balance or a
    transfer has one whatever its sign; any other debit has none."""
    if micro < 0 and int(kind) not in (Kind.OPENING, Kind.TRANSFER_IN):
        return None
    return vintage_of(LEAVE_SLUGS[Leave(int(leave))], on, earned_year)


def ledger_post(*, employee: Employee, leave: int, kind: int, micro: int, effective_date: dt.date, cite: str,
                reason: str, key: str, by=None, channel: str = "ui", system: str = "",
                earned_year: int | None = None) -> LedgerEntry:
    """Post one cited entry for another app's service — e.g. the usage debit of a decided leave request.

    Idempotent: the same ``key`` returns the entry already written. A back-dated entry drops the Sec. 9.1
    checkpoints on or after its date (they no longer sum their entries). The caller has checked who may
    post and holds its own locks; the entry's access-log row (naming the employee, and ``by`` — or, with no
    person, "the system: ``system``") is written here, in the same transaction. A usage is a debit
    (negative); accruals come only from the runs, reversals only from ``ledger_reverse``. A credit's
    ``vintage`` is its year (``credit_vintage``) unless ``earned_year`` says when an opening balance or a
    transfer was earned (Sec. 9.8)."""
    cite, reason, key = (cite or "").strip(), (reason or "").strip(), (key or "").strip()
    if not key:
        raise AdjustmentInvalid("A posting needs an idempotency key.")
    if not cite:
        raise AdjustmentInvalid("A citation is required (e.g. 'Sec. 9.10').")
    if not reason:
        raise AdjustmentInvalid("A reason is required.")
    if not isinstance(micro, int) or isinstance(micro, bool) or micro == 0:
        raise AdjustmentInvalid("The entry must be a non-zero whole number of micro-hours.")
    if int(leave) not in Leave.values:
        raise AdjustmentInvalid(f"Unknown leave type {leave!r}.")
    if int(kind) not in POSTABLE:
        raise AdjustmentInvalid(f"{Kind(int(kind)).label if int(kind) in Kind.values else kind!r} entries are not "
                                "posted this way (accruals come from the runs, reversals from ledger_reverse).")
    if int(kind) == Kind.USAGE and micro > 0:
        raise AdjustmentInvalid("A usage is a debit: give a negative number of micro-hours.")
    if int(kind) == Kind.PAYOUT and micro > 0:
        raise AdjustmentInvalid("A payout is a debit: give a negative number of micro-hours.")
    if int(kind) == Kind.RESTORED and micro < 0:
        raise AdjustmentInvalid("A restoration is a credit: give a positive number of micro-hours.")
    if int(kind) == Kind.EARNED and micro < 0:
        raise AdjustmentInvalid("Time earned is a credit: give a positive number of micro-hours.")
    with transaction.atomic():
        found = LedgerEntry.objects.filter(key=key).first()
        if found is not None:
            return found
        entry = LedgerEntry.objects.create(
            employee=employee, leave=int(leave), kind=int(kind), micro=micro, effective_date=effective_date,
            period_start=period_containing(effective_date, employee.pay_calendar.anchor).start, cite=cite[:120],
            reason=reason[:500], by=by, key=key[:120], recorded_at=timezone.now(),
            vintage=credit_vintage(int(leave), int(kind), micro, effective_date, earned_year),
        )
        _drop_checkpoints_from(effective_date, (int(leave),), employee.pk)
        _log_entry(entry, employee, by, channel, system or "ledger_post",
                   f"{Kind(int(kind)).label} {hours_str(micro)} h {Leave(int(leave)).label}")
    return entry


def _log_entry(entry: LedgerEntry, employee: Employee, by, channel: str, system: str, fields: str) -> None:
    from openleave.audit.access import System, record_access
    from openleave.audit.models import AccessLog

    record_access(actor=by if by is not None else System(system), subject=employee, object_type="ledger_entry",
                  object_id=entry.pk, category="leave", channel=channel, action=AccessLog.Action.CHANGE,
                  fields=fields)


def ledger_reverse(*, entry: LedgerEntry, reason: str, by, key: str | None = None, channel: str = "ui",
                   system: str = "") -> LedgerEntry:
    """Correct an entry: a reversal of the same amount with the opposite sign, never an edit. Its access-log
    row names the employee and ``by`` (or "the system: ``system``"), in the same transaction."""
    if not (reason or "").strip():
        raise AdjustmentInvalid("A reason is required.")
    today = timezone.localdate()
    with transaction.atomic():
        rev = LedgerEntry.objects.create(
            employee_id=entry.employee_id, leave=entry.leave, kind=Kind.REVERSAL, micro=-entry.micro,
            effective_date=today, period_start=period_containing(today, entry.employee.pay_calendar.anchor).start, cite=entry.citations()[:120],
            reason=f"reverses entry {entry.pk}: {reason.strip()}"[:500], by=by, reverses=entry,
            key=key or f"reverse:{entry.pk}", recorded_at=timezone.now(), vintage=entry.vintage,
        )
        _log_entry(rev, entry.employee, by, channel, system or "ledger_reverse",
                   f"reversal of entry {entry.pk}: {hours_str(-entry.micro)} h {Leave(entry.leave).label}")
    return rev


# --- checkpoints -------------------------------------------------------------------------------


def checkpoint_year(*, year: int, anchor: dt.date | None = None) -> int:
    """Write the Sec. 9.1 year-end checkpoint of vacation ``year`` for every employee and leave type
    with entries: the previous year's checkpoint plus the entries of the year, or — where there is
    none (first year, or dropped by a back-dated entry) — the sum of all entries. Set-based;
    returns rows written."""
    anchor = anchor or DEFAULT_ANCHOR
    first, last = vacation_year(year, anchor)
    prev_last = first - dt.timedelta(days=1)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM ledger_ledgercheckpoint WHERE as_of = %s", [last])
        c.execute(
            """
            INSERT INTO ledger_ledgercheckpoint (employee_id, leave, year, as_of, micro, entries, cite, computed_at)
            SELECT p.employee_id, p.leave, %s, %s, p.micro + COALESCE(SUM(e.micro), 0), COUNT(e.id), 'Sec. 9.1', %s
            FROM ledger_ledgercheckpoint p
            LEFT JOIN ledger_ledgerentry e ON e.employee_id = p.employee_id AND e.leave = p.leave
                 AND e.effective_date > %s AND e.effective_date <= %s
            WHERE p.as_of = %s
            GROUP BY p.employee_id, p.leave, p.micro
            """,
            [year, last, now, prev_last, last, prev_last],
        )
        n = c.rowcount
        c.execute(
            """
            INSERT INTO ledger_ledgercheckpoint (employee_id, leave, year, as_of, micro, entries, cite, computed_at)
            SELECT e.employee_id, e.leave, %s, %s, SUM(e.micro), COUNT(*), 'Sec. 9.1', %s
            FROM ledger_ledgerentry e
            WHERE e.effective_date <= %s AND NOT EXISTS (
                SELECT 1 FROM ledger_ledgercheckpoint p
                WHERE p.employee_id = e.employee_id AND p.leave = e.leave AND p.as_of = %s)
            GROUP BY e.employee_id, e.leave
            """,
            [year, last, now, last, prev_last],
        )
        return n + c.rowcount


def checkpoint_verify(*, limit: int | None = None) -> list[tuple[int, int, dt.date, int, int]]:
    """Recompute checkpoints from the entries; return the ones that differ
    (employee, leave, as_of, stored, recomputed)."""
    bad = []
    qs = LedgerCheckpoint.objects.order_by("employee_id", "leave", "as_of")
    if limit:
        qs = qs[:limit]
    for cp in qs:
        total = int(LedgerEntry.objects.filter(employee_id=cp.employee_id, leave=cp.leave, effective_date__lte=cp.as_of)
                    .aggregate(s=Sum("micro"))["s"] or 0)
        if total != cp.micro:
            bad.append((cp.employee_id, cp.leave, cp.as_of, cp.micro, total))
    return bad


# --- opening balances by vintage (issue 12, item 1) -------------------------------------------------


class OpeningsConflict(ValueError):
    """Another import posted one of the same opening balances meanwhile: nothing of this one was written."""


def ledger_post_openings(*, rows, cites: dict[str, str], by=None, system: str = "", channel: str = "command",
                         source: str = "", progress: Callable[[int, int], None] | None = None) -> int:
    """Post checked opening balances (``openings.Row``: employee, leave slug, vintage, micro-hours, as_of, note,
    key) set-based, in ONE transaction: the employees locked (as ``ledger_adjust`` locks one), one
    ``bulk_create`` of the ``OPENING`` entries, each with its ``vintage``, citation and idempotency key, the
    Sec. 9.1 checkpoints on or after the earliest date dropped for those employees, and one access-log row per
    employee naming what was opened. Returns the entries written. The caller (``openings``) has checked every row
    and who may post; a key written meanwhile by another import refuses the whole batch (``OpeningsConflict``)."""
    from openleave.audit.access import Access, System, record_many
    from openleave.audit.models import AccessLog

    rows = list(rows)
    if not rows:
        return 0
    now = timezone.now()
    by_employee: dict[int, list] = {}
    for r in rows:
        by_employee.setdefault(r.employee.pk, []).append(r)
    label = f" (imported{' from ' + source if source else ''})"
    try:
        with transaction.atomic():
            ids = sorted(by_employee)
            for i in range(0, len(ids), 5000):
                list(Employee.objects.select_for_update(of=("self",)).filter(pk__in=ids[i:i + 5000]).values_list("pk"))
            entries = []
            for n, r in enumerate(rows, 1):
                what = "vacation year" if r.leave == "vacation" else "year"
                reason = f"opening balance earned in {what} {r.vintage}{label}" + (f": {r.note}" if r.note else "")
                entries.append(LedgerEntry(
                    employee_id=r.employee.pk, leave=int(LEAVE_BY_SLUG[r.leave]), kind=Kind.OPENING, micro=r.micro,
                    effective_date=r.as_of, period_start=period_containing(r.as_of, r.employee.pay_calendar.anchor).start,
                    cite=cites[r.leave][:120], reason=reason[:500], by=by, key=r.key[:120], recorded_at=now,
                    vintage=r.vintage))
                if progress and (n % 1000 == 0 or n == len(rows)):
                    progress(n, len(rows))
            LedgerEntry.objects.bulk_create(entries, batch_size=5000)
            earliest = min(r.as_of for r in rows)
            qs = LedgerCheckpoint.objects.filter(employee_id__in=ids, as_of__gte=earliest)
            qs._raw_delete(qs.db)
            record_many(actor=by if by is not None else System(system), channel=channel, accesses=[
                Access(subject=rs[0].employee, object_type="opening_balances", object_id=rs[0].employee.pk,
                       category="leave", action=AccessLog.Action.CHANGE,
                       fields=("opening balances " + ", ".join(f"{r.leave} {r.vintage} {hours_str(r.micro)} h"
                                                               for r in rs))[:300])
                for rs in by_employee.values()])
    except IntegrityError as exc:
        raise OpeningsConflict("Another import posted some of these opening balances at the same time; nothing of "
                               "this one was written. Import the file again: rows already posted will show as "
                               "unchanged.") from exc
    return len(entries)
