"""Hours from payroll (issue 15, item 3): per employee and pay period, the hours paid and the hours without pay —
the biweekly accrual's input (Sec. 8.1.D/I, 9.3, 9.6: sick and vacation credits "based on the hours paid within
the bi-weekly pay period") — from a CSV file (``manage.py import_payroll_hours``) or the API's rows, checked row
by row, then written all together or not at all (or, with ``partial``, only the valid rows).

The column schema (docs/payroll-hours.md, sample ``docs/examples/payroll_hours.csv``):

==================  ==========================================================================================
``employee_number``   the payroll employee ID (required)
``period_start``      the first day of the pay period (YYYY-MM-DD) in the employee's pay calendar (required)
``hours_paid``        exact decimal hours paid in the period, not negative (required)
``hours_unpaid``      exact decimal hours without pay (leave or absence without pay), not negative (required)
``note``              optional text (at most 200 characters)
==================  ==========================================================================================

What is refused, each naming the row and the column: an unknown employee (or one the importing HR user may not
manage — the same words), a date that is not the first day of a pay period of the employee's calendar, a period
not begun yet or ending before the employee's service start, hours that are not a number or negative, hours
paid and without pay together more than the period holds (its days × 24 h), hours without pay more than the
employee's scheduled hours of the period, and the same employee and period twice in the file.

Append-only with versions: a row whose hours equal the newest version already loaded is *unchanged* (the same
file twice writes nothing); otherwise it is version n + 1 (``PayrollHours``) of one new ``PayrollHoursBatch``
— never an edit. A new version for a period the biweekly accrual has already credited (a *closed* period) is a
*correction*: ``manage.py reaccrue --period-including D`` posts the cited difference (``reaccrue``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from openleave import csv_rows, inputs
from openleave.csv_rows import ImportRefused, Problem  # noqa: F401 — ImportRefused: callers catch it here
from openleave.people.models import Employee
from openleave.people.selectors import employees_by_number
from openleave.rules.accrual import period_scheduled_micro
from openleave.rules.calendar import PayPeriod, period_containing
from openleave.rules.units import hours_str, to_micro

from .models import AccrualRun, PayrollHours, PayrollHoursBatch

COLUMNS = ("employee_number", "period_start", "hours_paid", "hours_unpaid", "note")
REQUIRED = ("employee_number", "period_start", "hours_paid", "hours_unpaid")
CITE = "Sec. 8.1.D, Sec. 8.1.I, Sec. 9.3, Sec. 9.6"
NOTE_MAX = 200
MAX_ROWS = 2_000_000
CHUNK = 5000
DAY_MICRO = 24 * 1_000_000  # the hours of a calendar day (not a contract figure)




class ImportConflict(ValueError):
    """Another import wrote a version of the same period meanwhile: nothing of this one was written."""


@dataclass
class Row:
    row: int
    employee_number: str
    period_start: dt.date | None
    paid: int
    unpaid: int
    note: str = ""
    employee: Employee | None = None
    period: PayPeriod | None = None
    status: str = "new"  # new | correction | unchanged | invalid
    version: int = 1
    before: tuple[int, int] | None = None  # (paid, unpaid) of the newest version already loaded
    closed: bool = False  # the period's biweekly accrual has run

    def as_json(self) -> dict:
        return {"row": self.row, "employee_number": self.employee_number,
                "period_start": self.period_start.isoformat() if self.period_start else None,
                "hours_paid": hours_str(self.paid), "hours_unpaid": hours_str(self.unpaid), "status": self.status,
                "version": self.version, "closed": self.closed,
                "before": None if self.before is None else {"hours_paid": hours_str(self.before[0]),
                                                            "hours_unpaid": hours_str(self.before[1])},
                "cite": CITE}


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = True
    partial: bool = False
    written: int = 0
    batch: PayrollHoursBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def to_write(self) -> list[Row]:
        return [r for r in self.rows if r.status in ("new", "correction")]

    @property
    def unchanged(self) -> list[Row]:
        return [r for r in self.rows if r.status == "unchanged"]

    @property
    def left_out(self) -> list[int]:
        return sorted({p.row for p in self.problems})

    @property
    def corrections(self) -> list[Row]:
        return [r for r in self.rows if r.status == "correction" and r.closed]

    def summary(self) -> str:
        if self.problems and not self.partial:
            return (f"{len(self.problems)} problem(s) in {len(self.left_out)} row(s): nothing written. Fix them and "
                    "import the file again (or --partial to write only the valid rows).")
        tail = ""
        if self.problems:
            tail = f"; left out {len(self.left_out)} invalid row(s): {', '.join(map(str, self.left_out[:20]))}"
            tail += "…" if len(self.left_out) > 20 else ""
        new, same = len(self.to_write), len(self.unchanged)
        if not new:
            return f"Nothing to do: {same} row(s) equal the hours already loaded; nothing changed{tail}."
        verb = "would load" if self.dry_run else "loaded"
        closed = len(self.corrections)
        more = (f"; {closed} correct(s) a period already accrued — run manage.py reaccrue --period-including "
                "the period to post the difference" if closed else "")
        same_s = f"; {same} unchanged" if same else ""
        batch = f" as batch {self.batch.pk}" if self.batch is not None else ""
        return f"{verb.capitalize()} {new} row(s) of payroll hours{batch}{same_s}{more}{tail}."

    def as_json(self) -> dict:
        return {"dry_run": self.dry_run, "ok": self.ok, "partial": self.partial, "summary": self.summary(),
                "written": self.written, "batch": self.batch.pk if self.batch is not None else None,
                "new": len(self.to_write), "unchanged": len(self.unchanged), "corrections": len(self.corrections),
                "left_out": self.left_out, "rows": [r.as_json() for r in self.rows],
                "errors": [p.as_json() for p in self.problems]}


# --- reading --------------------------------------------------------------------------------------

def read_csv(text: str) -> list[tuple[int, dict[str, str]]]:
    """The data rows of a CSV text as (line number, {column: value}); the header is line 1."""
    return csv_rows.read_csv(text, columns=COLUMNS, required=REQUIRED, one_row_per="employee and pay period", max_rows=MAX_ROWS)


# --- checking -------------------------------------------------------------------------------------



def newest_versions(employee_ids: list[int], starts: set[dt.date]) -> dict[tuple[int, dt.date], PayrollHours]:
    """(employee, period start) → the newest version loaded."""
    out: dict[tuple[int, dt.date], PayrollHours] = {}
    for i in range(0, len(employee_ids), CHUNK):
        for h in (PayrollHours.objects.filter(employee_id__in=employee_ids[i:i + CHUNK], period_start__in=starts)
                  .order_by("employee_id", "period_start", "version")):
            out[(h.employee_id, h.period_start)] = h
    return out


def check_rows(raw: list[tuple[int, dict]], *, allowed: Callable[[Employee], bool],
               today: dt.date | None = None) -> Report:
    """Every row checked; ``Report.problems`` names each bad row and column. Writes nothing."""
    today = today or timezone.localdate()
    report = Report()
    employees = employees_by_number((str(v.get("employee_number") or "").strip() for _, v in raw), allowed, prefetch=("service_events",))
    starts = set()
    for _, v in raw:
        try:
            d = inputs.day(v.get("period_start", ""), "period_start")
            if d is not None:
                starts.add(d)
        except inputs.BadInput:
            pass
    existing = newest_versions(sorted(e.pk for e in employees.values()), starts)
    closed = set(AccrualRun.objects.filter(leave_set=AccrualRun.LeaveSet.BIWEEKLY, period_start__in=starts)
                 .values_list("pay_calendar_id", "period_start"))
    seen: dict[tuple[str, dt.date], int] = {}
    for line, values in raw:
        report.problems.extend(_check_one(line, values, employees, existing, closed, seen, report, today))
    return report


def _hours(values: dict, column: str, fail) -> int | None:
    try:
        h = inputs.hours(values.get(column, ""), column)
    except inputs.BadInput as exc:
        fail(column, exc.message)
        return None
    if h is None:
        fail(column, "required (0 when none).")
        return None
    return to_micro(h)


def _check_one(line, values, employees, existing, closed, seen, report, today) -> list[Problem]:
    bad: list[Problem] = []
    values = {k: ("" if v is None else v) for k, v in values.items()}

    def fail(column: str, message: str) -> None:
        bad.append(Problem(line, column, message))

    extra = csv_rows.too_many_values(line, values, COLUMNS)
    if extra:
        return extra
    number = str(values.get("employee_number", "")).strip()
    employee = csv_rows.row_employee(values, employees, fail)
    start, period = None, None
    try:
        start = inputs.day(values.get("period_start", ""), "period_start")
        if start is None:
            fail("period_start", "required (YYYY-MM-DD, the first day of the pay period).")
        elif employee is not None:
            period = period_containing(start, employee.pay_calendar.anchor)
            if period.start != start:
                fail("period_start", f"{start} is not the first day of a pay period of the calendar "
                                     f"{employee.pay_calendar.name!r}: the period including it is "
                                     f"{period.start}..{period.end}.")
                period = None
            elif period.start > today:
                fail("period_start", f"the pay period {period.start}..{period.end} has not begun (today is {today}).")
                period = None
            elif period.end < employee.service_start:
                fail("period_start", f"the pay period {period.start}..{period.end} ends before the employee's service "
                                     f"start {employee.service_start}.")
                period = None
    except inputs.BadInput as exc:
        fail("period_start", exc.message)
    paid = _hours(values, "hours_paid", fail)
    unpaid = _hours(values, "hours_unpaid", fail)
    note = ""
    try:
        note = inputs.text(values.get("note", ""), "note", max_length=NOTE_MAX)
    except inputs.BadInput as exc:
        fail("note", exc.message)
    row = Row(line, number, start, paid or 0, unpaid or 0, note, employee, period)
    if period is not None and paid is not None and unpaid is not None:
        holds = ((period.end - period.start).days + 1) * DAY_MICRO
        if paid + unpaid > holds:
            fail("hours_paid", f"{hours_str(paid)} h paid and {hours_str(unpaid)} h without pay are "
                               f"{hours_str(paid + unpaid)} h, more than the period {period.start}..{period.end} holds "
                               f"({hours_str(holds)} h).")
        else:
            scheduled = period_scheduled_micro(employee.facts(), period, only_in_service=False)
            if unpaid > scheduled:
                fail("hours_unpaid", f"{hours_str(unpaid)} h without pay is more than the employee's "
                                     f"{hours_str(scheduled)} scheduled hours of the period {period.start}..{period.end}.")
    if not bad and employee is not None and period is not None:
        twin = (number, start)
        if twin in seen:
            fail("period_start", f"employee {number} and the period from {start} again (the first is row "
                                 f"{seen[twin]}); one row per employee and pay period.")
        else:
            seen[twin] = line
            held = existing.get((employee.pk, start))
            row.closed = (employee.pay_calendar_id, start) in closed
            if held is not None:
                row.before = (held.paid_micro, held.unpaid_micro)
                row.version = held.version + 1
                row.status = "unchanged" if row.before == (paid, unpaid) else "correction"
                if row.status == "unchanged":
                    row.version = held.version
    if bad:
        row.status = "invalid"
    report.rows.append(row)
    return bad


def _checksum(rows: list[Row]) -> str:
    h = hashlib.sha256()
    for r in rows:
        h.update(f"{r.employee_number},{r.period_start},{r.paid},{r.unpaid},{r.note}\n".encode())
    return h.hexdigest()


# --- the one entry point ----------------------------------------------------------------------------

def import_payroll_hours(*, rows: list[tuple[int, dict]], by=None, system: str = "", channel: str = "command",
                         dry_run: bool = True, partial: bool = False, source: str = "") -> Report:
    """Check every row and, unless ``dry_run`` or a row is bad (``partial``: leave the bad rows out), write the new
    versions in ONE transaction: one ``PayrollHoursBatch``, one bulk insert of ``PayrollHours`` and one access-log
    row per employee. ``by``: the HR user (only employees they may manage are known) or None for the command."""
    from openleave import policy
    from openleave.audit.access import Access, System, record_many
    from openleave.audit.models import AccessLog

    if by is None and not system:
        raise ValueError("an import is made by an HR user or names the system command")

    def allowed(e: Employee) -> bool:
        return by is None or policy.can_manage_ledger(by, e)

    report = check_rows(rows, allowed=allowed)
    report.partial = partial
    report.dry_run = dry_run or (not report.ok and not partial)
    actor = by if by is not None else System(system)
    what = f"payroll hours import{': ' + source if source else ''}"
    if report.dry_run or not report.to_write:
        seen = {r.employee.pk: r.employee for r in report.rows if r.employee is not None}
        record_many(actor=actor, channel=channel, accesses=[
            Access(subject=e, object_type="payroll_hours", object_id=e.pk, category=policy.LEAVE,
                   action=AccessLog.Action.READ, fields=f"{what} ({'dry run' if report.dry_run else 'check'})")
            for e in seen.values()])
        return report
    todo = report.to_write
    try:
        with transaction.atomic():
            batch = PayrollHoursBatch.objects.create(
                source=source[:200], sha256=_checksum(todo), rows=len(todo), loaded_by=by,
                loaded_label=by.username if by is not None else system, loaded_at=timezone.now())
            PayrollHours.objects.bulk_create([
                PayrollHours(employee_id=r.employee.pk, period_start=r.period_start, version=r.version,
                             paid_micro=r.paid, unpaid_micro=r.unpaid, batch=batch, note=r.note, cite=CITE[:80])
                for r in todo], batch_size=5000)
            per: dict[int, list[Row]] = {}
            for r in todo:
                per.setdefault(r.employee.pk, []).append(r)
            record_many(actor=actor, channel=channel, accesses=[
                Access(subject=rs[0].employee, object_type="payroll_hours", object_id=batch.pk, category=policy.LEAVE,
                       action=AccessLog.Action.CHANGE,
                       fields=(f"{what}, batch {batch.pk}: " + ", ".join(
                           f"{r.period_start} v{r.version} paid {hours_str(r.paid)} h unpaid {hours_str(r.unpaid)} h"
                           + (f" (was {hours_str(r.before[0])}/{hours_str(r.before[1])} h)" if r.before else "")
                           for r in rs))[:300])
                for rs in per.values()])
    except IntegrityError as exc:
        raise ImportConflict("Another import loaded hours for some of the same periods at the same time; nothing of "
                             "this one was written. Import the file again.") from exc
    report.batch, report.written = batch, len(todo)
    return report
