"""The year-end run (``manage.py year_end --year Y``) and the Sec. 8.2.B carry-over record.

* ``year_end_run`` posts, for a whole pay calendar and set-based (``year_end_sql``), the cited forfeitures of
  year Y: vacation of vintage Y−2 and older left at the end of vacation year Y (Sec. 9.1, 9.8, oldest credit
  used first), personal leave (Sec. 8.2.B, except the day carried over where operational needs were recorded)
  and the emergency day (MOU Regarding State of Emergency) not taken by the last Saturday prior to the first
  full pay period in January; and, for employees on industrial accident leave, the Sec. 9.15 conversion of
  that vacation to sick leave instead. One transaction: the run row (an ``AccrualRun`` with leave set
  ``year_end``, unique per pay calendar and year) and every entry, so a repeated or killed-and-repeated run
  posts each forfeiture once. ``dry_run`` computes the same summary and writes nothing.
* ``personal_carry_over_record`` records HR's finding that the operational needs of the Department/Agency
  prevented an employee's use of personal leave in November and December (Sec. 8.2.B), at the latest on the
  day that leave would be forfeited.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from openleave.people.models import Employee, IndustrialAccidentLeave, PayCalendar
from openleave.rules import provenance
from openleave.rules.calendar import annual_forfeiture_date, period_containing, vacation_year
from openleave.rules.units import hours_str

from . import selectors
from . import year_end_sql as S
from .models import AccrualRun, Kind, Leave, LedgerEntry, PersonalCarryOver
from .services import AlreadyRun, _drop_checkpoints_from, _fast_commit, dialect, tree

CHUNKS = 8  # employee-id ranges: the progress bar's steps (and where the killed-halfway test stops it)
COPY_CHUNKS = 16  # the COPY path's: the writer waits only for the first one to be read (~0.5 s at 1,000,000)
PAUSE_ENV = "OPENLEAVE_YEAR_END_PAUSE_AFTER_CHUNK"  # tests only: hold the run open after this chunk (SIGKILL test)


class YearNotEnded(ValueError):
    """Forfeiture falls at the end of the vacation year (Sec. 9.1, 9.8): not before."""


class YearEndOutOfOrder(ValueError):
    """The run of the previous year is missing while the ledger has entries dated in it."""


class CarryOverInvalid(ValueError):
    pass


@dataclass
class YearEndResult:
    run: AccrualRun | None
    year: int
    dry_run: bool = False
    employees: int = 0
    forfeited: dict[str, int] = field(default_factory=dict)  # leave label → µh (positive)
    conversions: int = 0  # employees whose vacation was converted to sick leave (Sec. 9.15)
    converted: int = 0  # µh converted
    by_core: int = 0  # employees computed by the rules core itself
    rows: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # PostgreSQL COPY path: seconds per step

    def summary(self) -> dict:
        return {"year": self.year, "employees": self.employees, "rows": self.rows,
                "forfeited_hours": {k: hours_str(v) for k, v in self.forfeited.items()},
                "conversions": {"employees": self.conversions, "hours": hours_str(self.converted),
                                "cite": "Sec. 9.15"},
                "computed_by_rules_core": self.by_core, "seconds": round(self.seconds, 3),
                "dry_run": self.dry_run}


def plan(year: int, anchor: dt.date) -> S.Plan:
    """The dates of year ``year``'s end on a pay calendar (Sec. 9.1, 9.8, 8.2.B, 9.15)."""
    t = tree()
    last = vacation_year(year, anchor, t)[1]
    if annual_forfeiture_date(year, anchor, t) != last:  # contiguous periods: the same day (rules.calendar)
        raise ValueError("the vacation year and the personal-leave forfeiture day differ")
    cut = year - int(t.get("vacation.carry_over_years", last).value)
    return S.Plan(year=year, last_day=last, last_period_start=period_containing(last, anchor, t).start,
                  conversion_day=last + dt.timedelta(days=1), vacation_cut=cut,
                  window_after=vacation_year(cut, anchor, t)[1])


def _rate_plan(p: S.Plan) -> dict:
    return {
        "year": p.year, "last_day": p.last_day.isoformat(), "conversion_day": p.conversion_day.isoformat(),
        "vacation_vintage_up_to": p.vacation_cut,
        "reasons": {
            str(int(Leave.VACATION)): (
                f"vacation earned in vacation year {p.vacation_cut} or before and not used by the last pay period "
                f"including December 31 of {p.year} ({p.last_day}): forfeited (oldest credit used first)"),
            str(int(Leave.PERSONAL)): (
                f"personal leave not taken by {p.last_day}, the last Saturday prior to the first full pay period in "
                f"January {p.year + 1}: forfeited"),
            str(int(Leave.EMERGENCY)): (
                f"emergency day not taken by {p.last_day}, the last Saturday prior to the first full pay period in "
                f"January {p.year + 1}: forfeited"),
            "conversion": (
                f"on industrial accident leave: the vacation credits that would be forfeited at the end of vacation "
                f"year {p.year} (Sec. 9.8) converted to sick leave credits in the first full pay period of January "
                f"{p.year + 1} ({p.conversion_day})"),
        },
        "cites": {**{str(k): v for k, v in S.CITES.items()}, "conversion": "Sec. 9.15, Sec. 9.8"},
    }


def _by_label(by) -> str:
    return by.username if by is not None else f"manage.py year_end on {socket.gethostname()} pid {os.getpid()}"


def _check(calendar: PayCalendar, p: S.Plan, today: dt.date) -> None:
    if today <= p.last_day:
        raise YearNotEnded(
            f"The year {p.year} has not ended: its last pay period ends {p.last_day} (Sec. 9.1); forfeitures are "
            f"posted after it (Sec. 9.8, 8.2.B), from {p.conversion_day}.")
    prev = plan(p.year - 1, calendar.anchor)
    if AccrualRun.objects.filter(pay_calendar=calendar, leave_set=AccrualRun.LeaveSet.YEAR_END,
                                 period_end=prev.last_day).exists():
        return
    if LedgerEntry.objects.filter(employee__pay_calendar=calendar, leave__in=S.FORFEITED,
                                  effective_date__lte=prev.last_day).exists():
        raise YearEndOutOfOrder(
            f"Run the year end of {p.year - 1} first: the ledger has entries dated on or before {prev.last_day}, "
            f"the end of {p.year - 1}, and its forfeitures are not posted.")


def year_end_run(*, calendar: PayCalendar, year: int, by=None, today: dt.date | None = None, dry_run: bool = False,
                 progress: Callable[[int, int], None] | None = None, method: str = "copy") -> YearEndResult:
    """The year end of ``year`` over ``calendar`` (see the module). Raises ``YearNotEnded``,
    ``YearEndOutOfOrder`` or ``AlreadyRun`` (also for a dry run of a year already run). On PostgreSQL
    ``method`` "copy" (the default: ``year_end_copy``, binary COPY out and in, pipelined) or "insert" (one
    INSERT…SELECT per chunk, ``year_end_sql.write_sql``) — the same SQL arithmetic, the same rows."""
    today = today or timezone.localdate()
    p = plan(year, calendar.anchor)
    _check(calendar, p, today)
    d = dialect()
    t0 = time.perf_counter()
    result = YearEndResult(run=None, year=year, dry_run=dry_run)
    pause = os.environ.get(PAUSE_ENV)
    try:
        with transaction.atomic():
            _fast_commit()
            if d.vendor == "postgresql":  # JIT compiling the pivot's expressions cost 3 of 4 s per chunk, measured
                with connection.cursor() as c:  # (docs/benchmarks.md); the per-employee aggregate fits in memory
                    c.execute("SET LOCAL jit = off")
                    c.execute("SET LOCAL work_mem = '128MB'")
            existing = AccrualRun.objects.filter(pay_calendar=calendar, period_start=p.last_period_start,
                                                 leave_set=AccrualRun.LeaveSet.YEAR_END).first()
            if existing is not None:
                raise AlreadyRun(existing)
            run = None
            if not dry_run:
                run = AccrualRun.objects.create(
                    pay_calendar=calendar, period_start=p.last_period_start, period_end=p.last_day,
                    leave_set=AccrualRun.LeaveSet.YEAR_END, started_at=timezone.now(), by=by,
                    by_label=_by_label(by), rate_plan={**_rate_plan(p), "provenance": provenance.stamp(tree())})
                result.run = run
            totals: dict[tuple[int, int], list[int]] = {}
            core_ids: set[int] = set()
            with connection.cursor() as c:
                c.execute("SELECT MIN(id), MAX(id) FROM people_employee WHERE pay_calendar_id = %s", [calendar.pk])
                lo, hi = c.fetchone()
                if lo is not None and d.vendor == "postgresql" and method == "copy":
                    from . import year_end_copy as YC

                    step = max(1, (hi - lo + COPY_CHUNKS) // COPY_CHUNKS)
                    ranges = [(s, s + step) for s in range(lo, hi + 1, step)]

                    def after_chunk(i: int) -> None:
                        if pause is not None and int(pause) == i:
                            print(f"year_end: paused after chunk {i}", file=sys.stderr, flush=True)
                            time.sleep(3600)

                    only = not PayCalendar.objects.exclude(pk=calendar.pk).exists()
                    totals, result.employees, core_ids = YC.run(connection, calendar.pk, p, run.pk if run else 0,
                                                                ranges, dry_run, after_chunk, progress, only,
                                                                result.timings)
                elif lo is not None:
                    step = max(1, (hi - lo + CHUNKS) // CHUNKS)
                    for i, start in enumerate(range(lo, hi + 1, step)):
                        params = {"run": run.pk if run else 0, "lo": start, "hi": start + step}
                        out: list[tuple] = []
                        if dry_run:
                            c.execute(S.preview_sql(calendar.pk, p, d, True), params)
                            out = c.fetchall()
                        elif d.vendor == "postgresql":
                            c.execute(S.write_sql(calendar.pk, p, d, True), params)
                            out = c.fetchall()
                        else:  # SQLite: no INSERT in a CTE; the chunk's rows by id, the exceptions apart
                            c.execute("SELECT COALESCE(MAX(id), 0) FROM ledger_ledgerentry")
                            params["after"] = c.fetchone()[0]
                            c.execute(S.write_sql(calendar.pk, p, d, True), params)
                            c.execute(S.totals_sql(), params)
                            out = c.fetchall()
                            c.execute(S.exceptions_sql(calendar.pk, p, d, True), params)
                            out += [("x", r[0], 0, 0, 0) for r in c.fetchall()]
                        for tag, a, b, n, m in out:
                            if tag == "t":
                                tot = totals.setdefault((int(a), int(b)), [0, 0])
                                tot[0] += int(n)
                                tot[1] += int(m or 0)
                            elif tag == "n":
                                result.employees += int(a)
                            else:
                                core_ids.add(int(a))
                        if progress:
                            progress(min(start + step, hi + 1) - lo, hi + 1 - lo)
                        if pause is not None and int(pause) == i:
                            print(f"year_end: paused after chunk {i}", file=sys.stderr, flush=True)
                            time.sleep(3600)
            extra = _exceptions(sorted(core_ids), p, run)
            if extra and not dry_run:
                LedgerEntry.objects.bulk_create(extra, batch_size=2000)
            for e in extra:
                tot = totals.setdefault((e.leave, e.kind), [0, 0])
                tot[0] += 1
                tot[1] += e.micro
            result.employees += len({e.employee_id for e in extra})
            result.by_core = len(core_ids)
            for (leave, kind), (n, m) in sorted(totals.items()):
                result.rows += n
                if kind == Kind.FORFEITURE:
                    result.forfeited[Leave(leave).label] = result.forfeited.get(Leave(leave).label, 0) - m
                elif leave == Leave.VACATION:
                    result.conversions += n
                    result.converted -= m
            result.seconds = time.perf_counter() - t0
            if dry_run:
                _log(None, result, by, dry_run=True)
            else:
                _drop_checkpoints_from(p.last_day, (Leave.SICK, *S.FORFEITED))
                run.summary = result.summary()
                run.finished_at = timezone.now()
                run.save(update_fields=["summary", "finished_at"])
                _log(run, result, by)
    except IntegrityError as exc:  # a concurrent run of the same year committed first
        existing = AccrualRun.objects.filter(pay_calendar=calendar, period_start=p.last_period_start,
                                             leave_set=AccrualRun.LeaveSet.YEAR_END).first()
        if existing is not None:
            raise AlreadyRun(existing) from exc
        raise
    return result


def _exceptions(ids: list[int], p: S.Plan, run: AccrualRun | None) -> list[LedgerEntry]:
    """The few employees the SQL leaves to the rules core: its own forfeitures of year ``p.year``
    (``selectors.forfeitures``, with the employee's carry-over records), posted as the bulk rows are."""
    if not ids:
        return []
    on_ia = set(IndustrialAccidentLeave.objects.filter(employee_id__in=ids, started__lte=p.last_day)
                .exclude(ended__lt=p.last_day).values_list("employee_id", flat=True))
    out = []
    for emp in Employee.objects.filter(pk__in=ids).select_related("title").prefetch_related("service_events"):
        for f in selectors.forfeitures(emp, p.last_day, tree()):
            if f.key.startswith("db:") or f.vintage != p.year or f.effective != p.last_day:
                continue  # already posted, or another year's
            leave = int(selectors.LEAVE_BY_SLUG[f.leave])
            common = {"employee_id": emp.pk, "run": run, "vintage": p.year, "reason": f.cause[:500]}
            if leave == Leave.VACATION and emp.pk in on_ia:
                for lv, micro in ((Leave.VACATION, f.amount), (Leave.SICK, -f.amount)):
                    out.append(LedgerEntry(leave=lv, kind=Kind.CONVERSION, micro=micro,
                                           effective_date=p.conversion_day, period_start=p.conversion_day,
                                           cite=S.CONVERSION_CITES[int(lv)], **common))
            else:
                out.append(LedgerEntry(leave=leave, kind=Kind.FORFEITURE, micro=f.amount, effective_date=p.last_day,
                                       period_start=p.last_period_start, cite=", ".join(f.citations)[:120], **common))
    return out


def _log(run: AccrualRun | None, result: YearEndResult, by, dry_run: bool = False) -> None:
    """One access-log row per run, naming the run (its lines carry its id) and who ran it — as the accrual
    runs do; a dry run reads every employee's ledger, so it records that read."""
    from openleave.audit.access import COMMAND, UI, System, record_access
    from openleave.audit.models import AccessLog

    record_access(actor=by if by is not None else System("manage.py year_end"), subject=None,
                  object_type="year_end_run", object_id=run.pk if run else "", category="leave",
                  channel=UI if by is not None else COMMAND,
                  action=AccessLog.Action.READ if dry_run else AccessLog.Action.CHANGE,
                  fields=f"{'dry run' if dry_run else 'run'} of the year end {result.year}: {result.rows} entries, "
                         f"{result.employees} employees")


# --- the Sec. 8.2.B carry-over record ------------------------------------------------------------------


def carry_over_deadline(year: int, anchor: dt.date) -> dt.date:
    """The last day a carry-over of year ``year`` can be recorded: the day the personal leave is forfeited."""
    return annual_forfeiture_date(year, anchor, tree())


def personal_carry_over_record(*, employee: Employee, year: int, reasons: str, by, today: dt.date | None = None,
                               channel: str = "ui") -> PersonalCarryOver:
    """Record that the operational needs of the Department/Agency prevented ``employee``'s use of personal leave in
    November and December of ``year`` (Sec. 8.2.B): one day carries over. HR of the employee's agency only;
    from November 1 of ``year`` to the forfeiture day; once per employee and year. One transaction with its
    access-log row naming the employee."""
    from openleave import policy
    from openleave.audit.access import record_access
    from openleave.audit.models import AccessLog

    if by is None or not policy.can_manage_ledger(by, employee):
        raise PermissionError("Only HR of the employee's agency may record a carry-over.")
    reasons = (reasons or "").strip()
    if not reasons:
        raise CarryOverInvalid("reasons: state the operational needs that prevented the use of personal leave.")
    if len(reasons) > 500:
        raise CarryOverInvalid("reasons: at most 500 characters.")
    today = today or timezone.localdate()
    deadline = carry_over_deadline(year, employee.pay_calendar.anchor)
    if today > deadline:
        raise CarryOverInvalid(
            f"year: a carry-over recorded after the deadline — personal leave of {year} was forfeited on {deadline}, "
            f"the last Saturday prior to the first full pay period in January {year + 1} (Sec. 8.2.B).")
    if today < dt.date(year, 11, 1):
        raise CarryOverInvalid(f"year: a carry-over of {year} is recorded from November 1, {year}: it is about the "
                               "use of personal leave in November and December (Sec. 8.2.B).")
    with transaction.atomic():
        Employee.objects.select_for_update(of=("self",)).filter(pk=employee.pk).first()
        found = PersonalCarryOver.objects.filter(employee=employee, year=year).first()
        if found is not None:
            raise CarryOverInvalid(f"year: a carry-over of {year} is already recorded for this employee "
                                   f"(on {timezone.localtime(found.recorded_at):%Y-%m-%d}).")
        rec = PersonalCarryOver.objects.create(employee=employee, year=year, reasons=reasons, recorded_by=by,
                                               recorded_at=timezone.now())
        record_access(actor=by, subject=employee, object_type="personal_carry_over", object_id=rec.pk,
                      category=policy.LEAVE, channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"personal leave carry-over {year} (Sec. 8.2.B)")
    return rec
