"""Opening balances by the year earned (issue 12, item 1): HR's import of an employee's balances from the old
system, one row per leave type and vintage — a CSV file (``manage.py import_opening_balances``, the HR page)
or the API's rows — checked row by row, then written all together or not at all.

The column schema (docs/opening-balances.md, sample ``docs/examples/opening_balances.csv``):

=================  =========================================================================================
``employee_number``  the payroll employee ID (required)
``leave``            ``sick``, ``vacation``, ``personal``, ``emergency_day``, ``comp_time`` (required)
``vintage``          the year the credit was earned: the vacation year for vacation (Sec. 9.1), the calendar
                     year otherwise; empty = the year of ``as_of``
``hours``            exact decimal hours, not negative, more than zero (the input layer: at most 6 decimals)
``as_of``            the date the balance stands at the start of (YYYY-MM-DD), not in the future
``note``             optional text kept in the entry's reason (at most 200 characters)
=================  =========================================================================================

What is refused, each naming the row and the column (nothing is written unless every row is valid): an unknown
employee (or one the importing HR user may not manage — the same words), an unknown leave type, hours that are
not a number, negative, zero or finer than the input layer allows, a date that is not a date or is in the
future or before the employee's service start, a vintage after the year of ``as_of`` (in the future), a
vintage already forfeited on ``as_of`` (vacation earned more than ``vacation.carry_over_years`` vacation years
before: Sec. 9.8; a personal or emergency day credited for a year whose forfeiture day has passed: Sec. 8.2.B,
MOU — except one carried-over personal day), a row repeated in the file (same employee, leave and vintage),
and an employee who already has an opening balance for that leave and vintage. A row already imported (the
same key and hours) is *unchanged*: re-importing a file writes nothing and says so.

Each written row is an ``OPENING`` ledger entry with its ``vintage``, its citation (vacation "Sec. 9.1,
Sec. 9.8") and the idempotency key ``opening:<employee id>:<leave>:<vintage>:<as_of>``, posted set-based by
``services.ledger_post_openings`` with one access-log row per employee. A dry run checks the same and writes
no entry (its access-log rows record the reads).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from openleave import csv_rows, inputs
from openleave.csv_rows import ImportRefused, Problem
from openleave.people.models import Employee
from openleave.people.selectors import employees_by_number
from openleave.rules.calendar import annual_forfeiture_date, vacation_year
from openleave.rules.ledger import vintage_of
from openleave.rules.units import hours_str, to_micro

from .models import LEAVE_BY_SLUG, LEAVE_SLUGS, Kind, Leave, LedgerEntry

COLUMNS = ("employee_number", "leave", "vintage", "hours", "as_of", "note")
REQUIRED = ("employee_number", "leave", "hours", "as_of")
OPENABLE = ("sick", "vacation", "personal", "emergency_day", "comp_time")
CITES = {"sick": "Sec. 8.1.A", "vacation": "Sec. 9.1, Sec. 9.8", "personal": "Sec. 8.2.A, Sec. 8.2.B",
         "emergency_day": "MOU Regarding State of Emergency", "comp_time": "Sec. 7.2.G"}
NOTE_MAX = 200
MAX_ROWS = 2_000_000
CHUNK = 5000  # employees looked up per query






@dataclass
class Row:
    row: int
    employee_number: str
    leave: str
    vintage: int | None
    micro: int
    as_of: dt.date | None
    note: str = ""
    employee: Employee | None = None
    status: str = "new"  # new | unchanged | invalid

    @property
    def key(self) -> str:
        return f"opening:{self.employee.pk}:{self.leave}:{self.vintage}:{self.as_of}"

    def as_json(self) -> dict:
        return {"row": self.row, "employee_number": self.employee_number, "leave": self.leave,
                "vintage": self.vintage, "hours": hours_str(self.micro),
                "as_of": self.as_of.isoformat() if self.as_of else None, "status": self.status,
                "cite": CITES.get(self.leave, "")}


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = True
    written: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def new(self) -> list[Row]:
        return [r for r in self.rows if r.status == "new"]

    @property
    def unchanged(self) -> list[Row]:
        return [r for r in self.rows if r.status == "unchanged"]

    def totals(self) -> dict[str, str]:
        out: dict[str, int] = {}
        for r in self.new:
            out[r.leave] = out.get(r.leave, 0) + r.micro
        return {k: hours_str(v) for k, v in out.items()}

    def summary(self) -> str:
        if self.problems:
            return (f"{len(self.problems)} problem(s) in {len({p.row for p in self.problems})} row(s): nothing "
                    "written. Fix them and import the file again.")
        new, same = len(self.new), len(self.unchanged)
        if not new:
            return f"Nothing to do: all {same} row(s) were already imported with the same hours; nothing changed."
        verb = "would post" if self.dry_run else "posted"
        employees = len({r.employee_number for r in self.new})
        tail = f"; {same} row(s) already imported, unchanged" if same else ""
        return f"{verb.capitalize()} {new} opening balance(s) for {employees} employee(s){tail}."

    def as_json(self) -> dict:
        return {"dry_run": self.dry_run, "ok": self.ok, "summary": self.summary(), "written": self.written,
                "new": len(self.new), "unchanged": len(self.unchanged), "totals_hours": self.totals(),
                "rows": [r.as_json() for r in self.rows], "errors": [p.as_json() for p in self.problems]}


# --- reading --------------------------------------------------------------------------------------

def read_csv(text: str) -> list[tuple[int, dict[str, str]]]:
    """The data rows of a CSV text as (line number, {column: value}); the header is line 1."""
    return csv_rows.read_csv(text, columns=COLUMNS, required=REQUIRED, one_row_per="leave type and vintage", max_rows=MAX_ROWS)


# --- checking -------------------------------------------------------------------------------------



def _existing(employee_ids: list[int]) -> dict[tuple[int, int, int], LedgerEntry]:
    """(employee, leave, vintage) → the opening entry already posted."""
    out: dict[tuple[int, int, int], LedgerEntry] = {}
    for i in range(0, len(employee_ids), CHUNK):
        for e in LedgerEntry.objects.filter(employee_id__in=employee_ids[i:i + CHUNK], kind=Kind.OPENING).order_by("id"):
            out.setdefault((e.employee_id, e.leave, e.effective_vintage()), e)
    return out


def _vintage_problem(leave: str, vintage: int, row: Row, employee: Employee | None, tree) -> str | None:
    as_of = row.as_of
    latest = vintage_of(leave, as_of, None, tree)
    what = "vacation year" if leave == "vacation" else "year"
    if vintage > latest:
        return (f"{vintage} is in the future: {as_of} is in {what} {latest}, and a credit cannot be earned after "
                "the date it stands at; give the year it was earned.")
    if leave == "vacation":
        keep = int(tree.get("vacation.carry_over_years", as_of).value)
        if vintage < latest - keep:
            end = vacation_year(vintage + keep, tree=tree)[1]
            return (f"vacation earned in {vintage} was forfeited at the end of vacation year {vintage + keep} "
                    f"({end}), before {as_of} (Sec. 9.8: usable only through the second vacation year after it "
                    "was earned); leave the row out.")
    if leave in ("personal", "emergency_day"):
        gone = annual_forfeiture_date(vintage, tree=tree)
        if as_of > gone:
            carried = leave == "personal" and as_of <= annual_forfeiture_date(vintage + 1, tree=tree)
            if carried and employee is not None:
                from openleave.rules.accrual import day_micro

                days = tree.get("personal.carry_over_days", as_of).value
                most = to_micro(days) * day_micro(employee.facts(), tree, as_of).value // 1_000_000
                if row.micro <= most:
                    return None  # the day carried over for operational needs (Sec. 8.2.B)
                return (f"personal leave credited for {vintage} was forfeited on {gone} except the day carried over "
                        f"(Sec. 8.2.B): at most {hours_str(most)} h.")
            cite = "Sec. 8.2.B" if leave == "personal" else "MOU Regarding State of Emergency"
            return f"{leave} credited for {vintage} was forfeited on {gone}, before {as_of} ({cite}); leave the row out."
    return None


def check_rows(raw: list[tuple[int, dict]], *, allowed: Callable[[Employee], bool], today: dt.date | None = None,
               tree=None, progress: Callable[[int, int], None] | None = None) -> Report:
    """Every row checked; ``Report.problems`` names each bad row and column. Writes nothing."""
    from .services import tree as loaded

    tree = tree or loaded()
    today = today or timezone.localdate()
    report = Report()
    employees = employees_by_number((str(v.get("employee_number") or "").strip() for _, v in raw), allowed)
    existing = _existing(sorted(e.pk for e in employees.values()))
    seen: dict[tuple[str, str, int], int] = {}
    total = len(raw)
    for n, (line, values) in enumerate(raw, 1):
        problems = _check_one(line, values, employees, existing, seen, report, today, tree)
        report.problems.extend(problems)
        if progress and (n % 1000 == 0 or n == total):
            progress(n, total)
    return report


def _check_one(line, values, employees, existing, seen, report, today, tree) -> list[Problem]:
    bad: list[Problem] = []
    values = {k: ("" if v is None else v) for k, v in values.items()}

    def fail(column: str, message: str) -> None:
        bad.append(Problem(line, column, message))

    extra = csv_rows.too_many_values(line, values, COLUMNS)
    if extra:
        return extra
    number = str(values.get("employee_number", "")).strip()
    employee = csv_rows.row_employee(values, employees, fail)
    leave = str(values.get("leave", "")).strip().lower()
    slug = LEAVE_SLUGS.get(LEAVE_BY_SLUG[leave]) if leave in LEAVE_BY_SLUG else None
    if slug not in OPENABLE:
        fail("leave", f"unknown leave {leave[:30]!r}; one of {', '.join(OPENABLE)}.")
        slug = None
    micro = 0
    try:
        hours = inputs.hours(values.get("hours", ""), "hours")
        if hours is None:
            fail("hours", "required.")
        elif hours == 0:
            fail("hours", "0 h opens nothing; leave the row out.")
        else:
            micro = to_micro(hours)
    except inputs.BadInput as exc:
        fail("hours", exc.message)
    as_of = None
    try:
        as_of = inputs.day(values.get("as_of", ""), "as_of")
        if as_of is None:
            fail("as_of", "required (YYYY-MM-DD).")
        elif as_of > today:
            fail("as_of", f"{as_of} is in the future (today is {today}); an opening balance stands at a day passed.")
            as_of = None
        elif employee is not None and as_of < employee.service_start:
            fail("as_of", f"{as_of} is before the employee's service start {employee.service_start}.")
            as_of = None
        elif employee is not None and employee.separation_date and as_of > employee.separation_date:
            fail("as_of", f"{as_of} is after the employee's separation {employee.separation_date}.")
            as_of = None
    except inputs.BadInput as exc:
        fail("as_of", exc.message)
    note = ""
    try:
        note = inputs.text(values.get("note", ""), "note", max_length=NOTE_MAX)
    except inputs.BadInput as exc:
        fail("note", exc.message)
    vintage = None
    raw_vintage = str(values.get("vintage", "")).strip()
    if raw_vintage:
        try:
            vintage = inputs.year(raw_vintage, "vintage")
        except inputs.BadInput as exc:
            fail("vintage", exc.message)
    row = Row(line, number, slug or leave, vintage, micro, as_of, note, employee)
    if slug and as_of is not None:
        if vintage is None and not raw_vintage:
            row.vintage = vintage = vintage_of(slug, as_of, None, tree)
        if vintage is not None and micro > 0:
            problem = _vintage_problem(slug, vintage, row, employee, tree)
            if problem:
                fail("vintage", problem)
    if not bad and employee is not None:
        twin = (number, slug, vintage)
        if twin in seen:
            fail("vintage", f"a second {slug} opening balance earned in {vintage} for employee {number} (the first is "
                            f"row {seen[twin]}); one row per leave type and vintage.")
        else:
            seen[twin] = line
            held = existing.get((employee.pk, int(LEAVE_BY_SLUG[slug]), vintage))
            if held is not None and held.key == row.key and held.micro == micro:
                row.status = "unchanged"
            elif held is not None:
                fail("vintage", f"employee {number} already has a {slug} opening balance earned in {vintage} "
                                f"({held.hours_display()} h on {held.effective_date}, entry {held.pk}); correct it "
                                "with a cited adjustment on the ledger page, not a second opening balance.")
    if bad:
        row.status = "invalid"
    report.rows.append(row)
    return bad


# --- the one entry point ----------------------------------------------------------------------------

def import_opening_balances(*, rows: list[tuple[int, dict]], by=None, system: str = "", channel: str = "command",
                            dry_run: bool = True, source: str = "",
                            progress: Callable[[str, int, int], None] | None = None) -> Report:
    """Check every row and, unless ``dry_run`` or a row is bad, post the new ones in ONE transaction
    (``services.ledger_post_openings``). ``by``: the HR user (only employees they may manage are known) or
    None for the command (``system`` names it). Rows already imported are reported unchanged."""
    from openleave import policy
    from openleave.audit.access import Access, System, record_many
    from openleave.audit.models import AccessLog

    from .services import ledger_post_openings

    if by is None and not system:
        raise ValueError("an import is made by an HR user or names the system command")

    def allowed(e: Employee) -> bool:
        return by is None or policy.can_open_balance(by, e, channel)

    def step(name):
        return (lambda n, total: progress(name, n, total)) if progress else None

    report = check_rows(rows, allowed=allowed, progress=step("check"))
    report.dry_run = dry_run or not report.ok
    actor = by if by is not None else System(system)
    if report.dry_run or not report.new:
        seen = {r.employee.pk: r.employee for r in report.rows if r.employee is not None}
        record_many(actor=actor, channel=channel, accesses=[
            Access(subject=e, object_type="opening_balances", object_id=e.pk, category=policy.LEAVE,
                   action=AccessLog.Action.READ,
                   fields=f"opening balance import {'dry run' if report.dry_run else 'check'}{': ' + source if source else ''}")
            for e in seen.values()])
        return report
    report.written = ledger_post_openings(rows=report.new, cites=CITES, by=by, system=system, channel=channel,
                                          source=source, progress=step("write"))
    return report


def leave_code(slug: str) -> int:
    return int(LEAVE_BY_SLUG[slug])


__all__ = ["COLUMNS", "CITES", "ImportRefused", "Leave", "Problem", "Report", "Row", "import_opening_balances",
           "read_csv", "check_rows"]
