"""Import from the HR system of record (issue 15, item 1): agencies, titles, employees with their schedule,
supervisors and service history, matched on the employee number — a CSV file (``manage.py import_people``, the
HR page ``/people/import/``) or the API (``POST /api/people/import``), checked row by row, then written all
together in one transaction (set-based: ``bulk_create`` / ``bulk_update``, the access-log rows in bulk) or not
at all — or, with ``partial``, only the valid rows and those not depending on an invalid one.

The column schema, the mapping file and every refusal: docs/people-import.md (sample docs/examples/people.csv).

Least data: a file with a column that looks like a Social Security number or a date of birth (by its header or
by its values) is refused as a whole before any row is read; the message names the column, never a value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from openleave import inputs
from openleave.csv_rows import ImportRefused, Problem  # noqa: F401 — ImportRefused: callers catch it here
from openleave.rules.facts import WEEKDAYS

from .models import FULL_TIME_WEEKS, Agency, Employee, JobTitle, PayCalendar, ServiceEvent

COLUMNS = ("employee_number", "given_name", "family_name", "work_email", "agency_code", "agency_name",
           "title_code", "title_name", "title_weekly_hours", "status", "weekly_hours", "workdays", "daily_hours",
           "hire_date", "service_start", "probation_end", "separation_date", "supervisor_number", "pay_calendar",
           "emergency_personnel", "service_history")
REQUIRED = ("employee_number", "given_name", "family_name", "agency_code", "title_code", "weekly_hours",
            "workdays", "hire_date")
IGNORE = "-"  # a mapping's target for a source column to leave out
MAX_ROWS = 2_000_000
CHUNK = 5000
STATUSES = tuple(s.value for s in Employee.Status)
TRUE, FALSE = {"yes", "y", "true", "1", "x"}, {"no", "n", "false", "0", ""}
# The fields an import sets on an employee (compared for "unchanged", listed before/after in the access log).
FIELDS = ("given_name", "family_name", "work_email", "agency_id", "title_id", "status", "scheduled_weekly_hours",
          "work_schedule", "probation_end", "separation_date", "supervisor_id", "pay_calendar_id",
          "emergency_personnel")
SHOWN = {"agency_id": "agency", "title_id": "title", "supervisor_id": "supervisor", "pay_calendar_id": "pay_calendar",
         "scheduled_weekly_hours": "weekly_hours", "work_schedule": "schedule"}

# Least data: headers and values that look like a Social Security number or a date of birth.
SENSITIVE_HEADER = re.compile(r"(ssn|social|soc_?sec|birth|born|\bdob\b|d_o_b|\bsin\b|\btin\b|taxpayer|\bnss\b)")
SSN_VALUE = re.compile(r"^\d{3}[- ]\d{2}[- ]\d{4}$")
NINE_DIGITS = re.compile(r"^\d{9}$")


@dataclass
class Row:
    row: int
    employee_number: str
    values: dict = field(default_factory=dict)  # the model fields, checked
    agency_code: str = ""
    title_code: str = ""
    supervisor_number: str = ""
    events: list[tuple] = field(default_factory=list)  # (kind, left, returned, days, approved)
    employee: Employee | None = None
    status: str = "new"  # new | update | unchanged | invalid | left_out
    changes: dict = field(default_factory=dict)  # field → (before, after)
    new_events: list[tuple] = field(default_factory=list)
    why_left_out: str = ""

    def as_json(self) -> dict:
        return {"row": self.row, "employee_number": self.employee_number, "status": self.status,
                "changes": {SHOWN.get(k, k): [_show(a), _show(b)] for k, (a, b) in self.changes.items()},
                "service_events_added": len(self.new_events), "left_out": self.why_left_out}


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = True
    partial: bool = False
    written: int = 0
    agencies_new: list[str] = field(default_factory=list)
    titles_new: list[str] = field(default_factory=list)
    events_written: int = 0
    timings: dict = field(default_factory=dict)  # phase → seconds (the benchmark prints them)

    @property
    def ok(self) -> bool:
        return not self.problems

    def of(self, status: str) -> list[Row]:
        return [r for r in self.rows if r.status == status]

    @property
    def writable(self) -> bool:
        return self.ok or (self.partial and bool(self.of("new") or self.of("update") or self._events()))

    def _events(self) -> list[Row]:
        return [r for r in self.rows if r.status in ("new", "update", "unchanged") and r.new_events]

    def counts(self) -> dict[str, int]:
        return {s: len(self.of(s)) for s in ("new", "update", "unchanged", "invalid", "left_out")}

    def summary(self) -> str:
        c = self.counts()
        events = sum(len(r.new_events) for r in self.rows if r.status in ("new", "update", "unchanged"))
        if self.problems and not self.partial:
            return (f"{len(self.problems)} problem(s) in {len({p.row for p in self.problems})} row(s): nothing "
                    "written. Fix them and import the file again (or import the valid rows with --partial).")
        if not (c["new"] or c["update"] or events or self.agencies_new or self.titles_new):
            tail = (f"; {c['invalid']} row(s) not valid and {c['left_out']} left out" if self.problems else "")
            return f"Nothing to do: all {c['unchanged']} valid row(s) match what is recorded; nothing changed{tail}."
        verb = "would" if self.dry_run else ""
        parts = [f"{c['new']} employee(s) {verb + ' be ' if verb else ''}created",
                 f"{c['update']} {verb + ' be ' if verb else ''}updated", f"{c['unchanged']} unchanged"]
        if events:
            parts.append(f"{events} service event(s) {verb + ' be ' if verb else ''}appended")
        if self.agencies_new:
            parts.append(f"agencies {'to create' if self.dry_run else 'created'}: {', '.join(self.agencies_new)}")
        if self.titles_new:
            parts.append(f"titles {'to create' if self.dry_run else 'created'}: {', '.join(self.titles_new)}")
        text = ("Dry run, nothing written: " if self.dry_run else "Imported: ") + "; ".join(parts) + "."
        if self.problems:
            text += (f" Partial: {c['invalid']} row(s) not valid and {c['left_out']} row(s) depending on them "
                     "left out (listed below).")
        return text

    def left_out(self) -> list[Row]:
        return [r for r in self.rows if r.status in ("invalid", "left_out")]

    def as_json(self) -> dict:
        return {"dry_run": self.dry_run, "partial": self.partial, "ok": self.ok, "summary": self.summary(),
                "written": self.written, **self.counts(), "agencies_created": self.agencies_new,
                "titles_created": self.titles_new, "rows": [r.as_json() for r in self.rows],
                "left_out_rows": [r.row for r in self.left_out()], "errors": [p.as_json() for p in self.problems]}


def _show(v) -> str:
    if isinstance(v, dict):
        return " ".join(f"{d}={v[d]}" for d in WEEKDAYS if d in v)
    return "" if v is None else str(v)


def _dec(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s


# --- reading --------------------------------------------------------------------------------------

def decode(data: bytes, name: str = "the file") -> str:
    """The bytes as UTF-8 text, or ONE clear line saying it is not (no value echoed)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ImportRefused(f"{name} is not UTF-8 text (the first bad byte is on line {line}); save it as "
                            "\"CSV UTF-8\" and import it again. Nothing was stored.") from None
    return text


def load_mapping(text: str, name: str = "the mapping") -> dict[str, str]:
    """A mapping file: YAML ``{source column: our column}`` or CSV ``source,column`` → {source: ours}.
    ``-`` as our column leaves the source column out."""
    text = text.lstrip("\ufeff")
    if name.lower().endswith((".yaml", ".yml")):
        import yaml

        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise ImportRefused(f"{name}: not valid YAML ({str(exc).splitlines()[0]}).") from None
        if not isinstance(data, dict):
            raise ImportRefused(f"{name}: give one line per source column: 'source column: our column'.")
        items = [(str(k), "" if v is None else str(v)) for k, v in data.items()]
    else:
        reader = csv.reader(io.StringIO(text))
        items = []
        for n, values in enumerate(reader, 1):
            if not values or not any(v.strip() for v in values):
                continue
            if len(values) != 2:
                raise ImportRefused(f"{name}:{n}: give two values: source column, our column.")
            if n == 1 and [v.strip().lower() for v in values] == ["source", "column"]:
                continue
            items.append((values[0], values[1]))
    return mapping_pairs(items, name)


def mapping_pairs(items, name: str = "the mapping") -> dict[str, str]:
    """Checked (source column, our column) pairs → {source: ours}."""
    pairs: dict[str, str] = {}
    for source, ours in items:
        source, ours = _norm(source), ours.strip().lower() or IGNORE
        if ours != IGNORE and ours not in COLUMNS:
            raise ImportRefused(f"{name}: {source}: unknown target column {ours[:40]!r}; the columns are "
                                f"{', '.join(COLUMNS)} (or - to leave the source column out).")
        pairs[source] = ours
    return pairs


def _norm(header: str) -> str:
    return header.strip().lower()


def _sensitive_header(name: str) -> str | None:
    key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    m = SENSITIVE_HEADER.search(key)
    if not m:
        return None
    word = m.group(1)
    return "a date of birth" if word in ("birth", "born", "dob", "d_o_b") else "a Social Security number"


def refuse_sensitive(header: list[str], data: list[list[str]], name: str = "the file") -> None:
    """Least data: refuse the whole file when a column looks like an SSN or a date of birth — by its header,
    or by its values (NNN-NN-NNNN, or mostly 9-digit numbers). The message names the column, never a value."""
    for i, h in enumerate(header, 1):
        what = _sensitive_header(h)
        if what:
            raise ImportRefused(
                f"{name} refused: column {i} ({h.strip()[:40]!r}) looks like {what} by its name. openleave "
                "never stores one (least data: no rule of the agreement needs it). Remove the column from the "
                "export and import again; nothing was stored.")
    for i, h in enumerate(header):
        shaped = nine = filled = 0
        for values in data:
            v = values[i].strip() if i < len(values) else ""
            if not v:
                continue
            filled += 1
            if SSN_VALUE.match(v):
                shaped += 1
                break
            if NINE_DIGITS.match(v):
                nine += 1
        if shaped or (filled and nine * 2 >= filled):
            shape = "NNN-NN-NNNN" if shaped else "nine-digit numbers"
            raise ImportRefused(
                f"{name} refused: column {i + 1} ({h.strip()[:40]!r}) holds values shaped like a Social Security "
                f"number ({shape}). openleave never stores one (least data). Remove the column (an employee "
                "number is the payroll ID, never an SSN) and import again; nothing was stored.")


def read_csv(text: str, *, mapping: dict[str, str] | None = None,
             name: str = "the file") -> list[tuple[int, dict[str, str]]]:
    """The data rows as (line number, {our column: value}); the header is line 1. Refuses the file (ImportRefused)
    for a bad header, an unknown or missing column, or a column that looks like an SSN or a date of birth."""
    if text.startswith("\ufeff"):
        text = text[1:]
    problem = inputs.text_problem(text)
    if problem:
        raise ImportRefused(f"{name} {problem}; save it as plain UTF-8 CSV.")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRefused(f"{name} is empty: give a header line ({','.join(REQUIRED)}, …) and one row per "
                            "employee.") from None
    except csv.Error as exc:
        raise ImportRefused(f"row 1: not a CSV header ({exc}).") from None
    data: list[tuple[int, list[str]]] = []
    try:
        for values in reader:
            if any(v.strip() for v in values):
                data.append((reader.line_num, values))
            if len(data) > MAX_ROWS:
                raise ImportRefused(f"More than {MAX_ROWS:,} rows: split the file.")
    except csv.Error as exc:
        raise ImportRefused(f"row {reader.line_num}: not valid CSV ({exc}).") from None
    refuse_sensitive(header, [v for _, v in data], name)
    mapping = mapping or {}
    names = []
    for h in header:
        key = _norm(h)
        names.append(mapping.get(key, key))
    unknown = [(h, n) for h, n in zip(header, names, strict=True) if n != IGNORE and n not in COLUMNS]
    if unknown:
        raise ImportRefused(f"row 1, {unknown[0][0].strip()[:40] or '(empty)'}: unknown column; the columns are "
                            f"{', '.join(COLUMNS)} (a feed with other names: give a mapping file).")
    kept = [n for n in names if n != IGNORE]
    if len(set(kept)) != len(kept):
        dup = next(n for n in kept if kept.count(n) > 1)
        raise ImportRefused(f"row 1, {dup}: the column appears twice.")
    missing = [c for c in REQUIRED if c not in kept]
    if missing:
        raise ImportRefused(f"row 1: the column {missing[0]} is missing; the required columns are "
                            f"{', '.join(REQUIRED)}.")
    out = []
    for line, values in data:
        if len(values) > len(names):
            out.append((line, {"__extra__": str(len(values))}))
            continue
        out.append((line, {n: (values[i] if i < len(values) else "") for i, n in enumerate(names) if n != IGNORE}))
    return out


# --- checking -------------------------------------------------------------------------------------

def _hours(value: str, column: str) -> Decimal | None:
    s = str(value or "").strip()
    if not s:
        return None
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise inputs.BadInput(column, f"{s[:20]!r} is not a number of hours (e.g. 37.5).") from None
    if not d.is_finite() or d <= 0 or d > 168:
        raise inputs.BadInput(column, f"{s[:20]} h: give more than 0 and at most 168 hours.")
    if d != d.quantize(Decimal("0.01")):
        raise inputs.BadInput(column, f"{s[:20]} h: at most two decimals (e.g. 7.75).")
    return d


EARLIEST = dt.date(1900, 1, 1)


def _date(value, column: str) -> dt.date | None:
    """A date YYYY-MM-DD (a hire or a break may precede the agreement's dates: from 1900 on)."""
    s = str(value or "").strip()
    if not s:
        return None
    try:
        d = dt.date.fromisoformat(s) if len(s) == 10 else None
    except ValueError:
        d = None
    if d is None:
        raise inputs.BadInput(column, f"{s[:40]!r} is not a date (YYYY-MM-DD).")
    if not EARLIEST <= d <= inputs.LATEST_DATE:
        raise inputs.BadInput(column, f"{s} is outside {EARLIEST} to {inputs.LATEST_DATE}.")
    return d


def _workdays(value: str) -> list[str]:
    days = [d for d in re.split(r"[\s,;|/]+", str(value or "").strip().lower()) if d]
    bad = [d for d in days if d[:3] not in WEEKDAYS]
    if bad:
        raise inputs.BadInput("workdays", f"{bad[0][:12]!r} is not a weekday; give e.g. \"mon tue wed thu fri\" "
                                          f"({', '.join(WEEKDAYS)}).")
    days = [d[:3] for d in days]
    if not days:
        raise inputs.BadInput("workdays", "required: the days worked, e.g. \"mon tue wed thu fri\".")
    if len(set(days)) != len(days):
        raise inputs.BadInput("workdays", "a day is given twice.")
    return sorted(days, key=WEEKDAYS.index)


def schedule(weekly: Decimal, days: list[str], daily: str) -> dict[str, str]:
    """The work schedule {day: hours}: daily hours (one figure for every day, or one per day) must add up to the
    weekly hours; without them the week is split equally (which must come out in hundredths of an hour)."""
    daily = str(daily or "").strip()
    if not daily:
        per = weekly / len(days)
        if per != per.quantize(Decimal("0.01")):
            raise inputs.BadInput("daily_hours", f"{_dec(weekly)} h over {len(days)} day(s) is not a whole number "
                                                 "of hundredths a day: give the daily hours (one per workday).")
        return {d: _dec(per) for d in days}
    figures = [f for f in re.split(r"[\s,;|/]+", daily) if f]
    hours = [_hours(f, "daily_hours") for f in figures]
    if len(hours) == 1:
        hours = hours * len(days)
    if len(hours) != len(days):
        raise inputs.BadInput("daily_hours", f"{len(figures)} figures for {len(days)} workday(s): give one figure "
                                             "for every day, or one per workday.")
    total = sum(hours, Decimal(0))
    if total != weekly:
        shown = f"{_dec(hours[0])} h × {len(days)} day(s)" if len(set(hours)) == 1 else " + ".join(map(_dec, hours))
        raise inputs.BadInput("daily_hours", f"the schedule does not add up: {shown} = {_dec(total)} h, but "
                                             f"weekly_hours is {_dec(weekly)} h; correct one of them.")
    return {d: _dec(h) for d, h in zip(days, hours, strict=True)}


def _events(value: str) -> list[tuple]:
    """``break 2010-01-04..2012-03-01 [approved]; adjustment +30`` → [(kind, left, returned, days, approved)]."""
    out = []
    for part in [p.strip() for p in str(value or "").split(";") if p.strip()]:
        words = part.split()
        kind = words[0].lower()
        if kind == "break" and len(words) in (2, 3) and ".." in words[1]:
            a, _, b = words[1].partition("..")
            left, returned = _date(a, "service_history"), _date(b, "service_history")
            if not left or not returned or returned <= left:
                raise inputs.BadInput("service_history", f"{part[:40]!r}: a break needs the day left and a later "
                                                         "day of return (break YYYY-MM-DD..YYYY-MM-DD).")
            approved = len(words) == 3 and words[2].lower() == "approved"
            if len(words) == 3 and not approved:
                raise inputs.BadInput("service_history", f"{part[:40]!r}: after the dates only 'approved' (prior "
                                                         "service approved, Sec. 9.2.B).")
            out.append((ServiceEvent.Kind.BREAK.value, left, returned, 0, approved))
        elif kind == "adjustment" and len(words) == 2 and re.fullmatch(r"[+-]?\d{1,5}", words[1]):
            days = int(words[1])
            if days == 0:
                raise inputs.BadInput("service_history", "an adjustment of 0 days changes nothing; leave it out.")
            out.append((ServiceEvent.Kind.ADJUSTMENT.value, None, None, days, False))
        else:
            raise inputs.BadInput("service_history", f"{part[:40]!r} is not a service record: give "
                                                     "'break YYYY-MM-DD..YYYY-MM-DD [approved]' or "
                                                     "'adjustment +N' (days), separated by ';'.")
    return out


def _event_key(e: ServiceEvent) -> tuple:
    return (e.kind, e.left, e.returned, e.days, e.prior_service_approved)


class _Context:
    def __init__(self, raw, by):
        numbers = {str(v.get("employee_number") or "").strip() for _, v in raw}
        numbers |= {str(v.get("supervisor_number") or "").strip() for _, v in raw}
        numbers.discard("")
        numbers = sorted(numbers)
        self.employees: dict[str, Employee] = {}
        for i in range(0, len(numbers), CHUNK):
            for e in Employee.objects.filter(employee_number__in=numbers[i:i + CHUNK]):
                self.employees[e.employee_number] = e
        self.agencies = {a.code: a for a in Agency.objects.all()}
        self.titles = {t.code: t for t in JobTitle.objects.all()}
        self.calendars = {c.name: c for c in PayCalendar.objects.all()}
        self.default_calendar = (self.calendars.get("Commonwealth biweekly")
                                 or (next(iter(self.calendars.values())) if len(self.calendars) == 1 else None))
        ids = [e.pk for e in self.employees.values()]
        self.events: dict[int, set[tuple]] = {}
        for i in range(0, len(ids), CHUNK):
            for ev in ServiceEvent.objects.filter(employee_id__in=ids[i:i + CHUNK]):
                self.events.setdefault(ev.employee_id, set()).add(_event_key(ev))
        self.by = by
        self.new_agencies: dict[str, tuple[str, int]] = {}  # code → (name, row)
        self.new_titles: dict[str, tuple[str, Decimal, int]] = {}
        self.agency_names: dict[str, str] = {}  # existing agency → new name from the file


def _may_manage(by, agency_code: str, agency, employee: Employee | None) -> bool:
    if by is None:
        return True
    from openleave import policy

    if policy.is_read_only(by) or not by.has_role("hr"):
        return False
    if by.agency_id is None:
        return True
    if employee is not None and employee.agency_id != by.agency_id:
        return False
    return agency is not None and agency.pk == by.agency_id


def _check_one(line: int, values: dict, ctx: _Context, seen: dict[str, int]) -> tuple[Row, list[Problem]]:
    bad: list[Problem] = []

    def fail(column: str, message: str) -> None:
        bad.append(Problem(line, column, message))

    number = str(values.get("employee_number", "")).strip()
    row = Row(line, number)
    if "__extra__" in values:
        return row, [Problem(line, "", f"{values['__extra__']} values in a row with fewer columns; quote a value "
                                       "that contains a comma.")]
    v: dict = {}

    def take(column, fn):
        try:
            return fn()
        except inputs.BadInput as exc:
            fail(exc.field or column, exc.message)
            return None

    if not number:
        fail("employee_number", "required: the payroll employee ID.")
    elif len(number) > 12 or not re.fullmatch(r"[A-Za-z0-9-]+", number):
        fail("employee_number", "at most 12 letters, digits or hyphens (the payroll ID, never an SSN).")
    elif number in seen:
        fail("employee_number", f"employee {number} appears twice (first on row {seen[number]}); one row per "
                                "employee.")
    else:
        seen[number] = line
    employee = ctx.employees.get(number) if number else None
    for col, length in (("given_name", 100), ("family_name", 100)):
        v[col] = take(col, lambda c=col, n=length: inputs.text(values.get(c, ""), c, max_length=n, required=True))
    email = take("work_email", lambda: inputs.text(values.get("work_email", ""), "work_email", max_length=254))
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        fail("work_email", "not an e-mail address (name@example.org).")
    v["work_email"] = email or ""
    # the agency: existing, or created when the file names it
    code = str(values.get("agency_code", "")).strip().upper()
    row.agency_code = code
    agency_name = take("agency_name", lambda: inputs.text(values.get("agency_name", ""), "agency_name",
                                                          max_length=200))
    agency = ctx.agencies.get(code)
    if not code:
        fail("agency_code", "required.")
    elif len(code) > 16:
        fail("agency_code", "at most 16 characters.")
    elif agency is None and not agency_name and code in ctx.new_agencies:
        pass  # created by an earlier row
    elif agency is None and not agency_name:
        fail("agency_code", f"unknown agency {code!r}: give its agency_name to create it, or use an agency code "
                            "already recorded.")
    elif agency is None:
        held = ctx.new_agencies.get(code)
        if held and held[0] != agency_name:
            fail("agency_name", f"{code} is named differently on row {held[1]}; one name per agency.")
        else:
            ctx.new_agencies.setdefault(code, (agency_name, line))
    elif agency_name and agency_name != agency.name:
        ctx.agency_names[code] = agency_name
    # the title
    tcode = str(values.get("title_code", "")).strip().upper()
    row.title_code = tcode
    tname = take("title_name", lambda: inputs.text(values.get("title_name", ""), "title_name", max_length=200))
    tweek = take("title_weekly_hours", lambda: _hours(values.get("title_weekly_hours", ""), "title_weekly_hours"))
    title = ctx.titles.get(tcode)
    full_week = None
    if not tcode:
        fail("title_code", "required.")
    elif len(tcode) > 16:
        fail("title_code", "at most 16 characters.")
    elif title is not None:
        full_week = Decimal(title.full_time_weekly_hours)
        if tweek is not None and tweek != full_week:
            fail("title_weekly_hours", f"title {tcode} has a {_dec(full_week)} h full-time week here; an import "
                                       "does not change a title's week (Sec. 9.16) — leave the column empty.")
    elif not tname and tweek is None and tcode in ctx.new_titles:
        full_week = ctx.new_titles[tcode][1]  # created by an earlier row
    elif not tname or tweek is None:
        fail("title_code", f"unknown title {tcode!r}: give title_name and title_weekly_hours to create it, or use "
                           "a title code already recorded.")
    elif tweek not in FULL_TIME_WEEKS:
        fail("title_weekly_hours", f"{_dec(tweek)} h: a title's full-time week is one of "
                                   f"{', '.join(_dec(Decimal(w)) for w in FULL_TIME_WEEKS)} hours (Sec. 9.16).")
    else:
        held = ctx.new_titles.get(tcode)
        if held and (held[0], held[1]) != (tname, tweek):
            fail("title_name", f"{tcode} is described differently on row {held[2]}; one name and week per title.")
        else:
            ctx.new_titles.setdefault(tcode, (tname, tweek, line))
            full_week = tweek
    # status and schedule
    status = str(values.get("status", "")).strip().lower() or Employee.Status.FULL_TIME.value
    if status not in STATUSES:
        fail("status", f"unknown status {status[:20]!r}; one of {', '.join(STATUSES)}.")
    v["status"] = status
    weekly = take("weekly_hours", lambda: _hours(values.get("weekly_hours", ""), "weekly_hours"))
    if weekly is None and not any(p.column == "weekly_hours" for p in bad):
        fail("weekly_hours", "required: the scheduled hours a week.")
    if weekly is not None and full_week is not None and weekly > full_week:
        fail("weekly_hours", f"{_dec(weekly)} h is more than the title's full-time week of {_dec(full_week)} h.")
    days = take("workdays", lambda: _workdays(values.get("workdays", "")))
    if weekly is not None and days:
        v["work_schedule"] = take("daily_hours", lambda: schedule(weekly, days, values.get("daily_hours", "")))
    v["scheduled_weekly_hours"] = weekly
    # dates
    hire = take("hire_date", lambda: _date(values.get("hire_date", ""), "hire_date"))
    if hire is None and not any(p.column == "hire_date" for p in bad):
        fail("hire_date", "required (YYYY-MM-DD).")
    start = take("service_start", lambda: _date(values.get("service_start", ""), "service_start")) or hire
    if hire and start and start < hire - dt.timedelta(days=365 * 60):
        fail("service_start", "implausibly early (more than 60 years before the hire).")
    for col in ("probation_end", "separation_date"):
        v[col] = take(col, lambda c=col: _date(values.get(c, ""), c))
    if hire and v.get("separation_date") and v["separation_date"] < hire:
        fail("separation_date", f"{v['separation_date']} is before the hire date {hire}.")
    if employee is not None:
        if hire and hire != employee.original_hire_date:
            fail("hire_date", f"differs from the recorded hire date {employee.original_hire_date}: the hire date is "
                              "never overwritten — record a break or an adjustment in service_history instead.")
        if start and str(values.get("service_start", "")).strip() and start != employee.service_start:
            fail("service_start", f"differs from the recorded service start {employee.service_start}: it is never "
                                  "overwritten (Sec. 9.2.B) — record a break or an adjustment in service_history.")
    v["original_hire_date"], v["service_start"] = hire, start
    cal_name = str(values.get("pay_calendar", "")).strip()
    cal = ctx.calendars.get(cal_name) if cal_name else ctx.default_calendar
    if cal is None:
        fail("pay_calendar", (f"unknown pay calendar {cal_name[:40]!r}; one of " + ", ".join(ctx.calendars))
             if cal_name else "give the pay calendar (more than one, or none, is recorded).")
    v["pay_calendar_id"] = cal.pk if cal else None
    flag = str(values.get("emergency_personnel", "")).strip().lower()
    if flag not in TRUE | FALSE:
        fail("emergency_personnel", "yes or no (MOU State of Emergency designation).")
    v["emergency_personnel"] = flag in TRUE
    row.supervisor_number = str(values.get("supervisor_number", "")).strip()
    if row.supervisor_number and row.supervisor_number == number:
        fail("supervisor_number", f"employee {number} cannot supervise themselves (a cycle of one).")
    row.events = take("service_history", lambda: _events(values.get("service_history", ""))) or []
    if len(set(row.events)) != len(row.events):
        fail("service_history", "the same service record is given twice in the row.")
    if not bad and not _may_manage(ctx.by, code, agency, employee):
        fail("agency_code" if employee is None else "employee_number",
             f"not one you may manage (HR imports the employees of their own agency): employee {number}.")
    row.employee = employee
    row.values = v
    if bad:
        row.status = "invalid"
    return row, bad


def check_rows(raw: list[tuple[int, dict]], *, by=None, progress: Callable[[int, int], None] | None = None) -> Report:
    """Every row checked (writes nothing): each problem names the row and the column. Supervisors are resolved in
    the file and in the records; a cycle of supervisors names its rows."""
    report = Report()
    ctx = _Context(raw, by)
    seen: dict[str, int] = {}
    total = len(raw)
    for n, (line, values) in enumerate(raw, 1):
        row, bad = _check_one(line, values, ctx, seen)
        report.rows.append(row)
        report.problems.extend(bad)
        if progress and (n % 2000 == 0 or n == total):
            progress(n, total)
    report._ctx = ctx  # noqa: SLF001 — kept for the write
    by_number = {r.employee_number: r for r in report.rows if r.employee_number and seen.get(r.employee_number) == r.row}
    # supervisors: in the file or recorded
    for r in report.rows:
        s = r.supervisor_number
        if s and s != r.employee_number and s not in by_number and s not in ctx.employees:
            report.problems.append(Problem(r.row, "supervisor_number",
                                           f"supervisor {s[:12]} is not in the file nor recorded; import the "
                                           "supervisor too, or correct the number."))
            r.status = "invalid"
    # cycles: the supervisor of each number, the file's rows over the records
    boss: dict[str, str] = {}
    id_of = {e.pk: n for n, e in ctx.employees.items()}
    pending = {e.supervisor_id for e in ctx.employees.values() if e.supervisor_id}
    sup_of = {e.pk: e.supervisor_id for e in ctx.employees.values()}
    while pending - set(sup_of):  # the recorded chain above, to its top (a cycle through the records too)
        ask = sorted(pending - set(sup_of))
        pending = set()
        for i in range(0, len(ask), CHUNK):
            for pk, num, sup in Employee.objects.filter(pk__in=ask[i:i + CHUNK]).values_list(
                    "pk", "employee_number", "supervisor_id"):
                id_of[pk], sup_of[pk] = num, sup
                if sup:
                    pending.add(sup)
        for pk in set(ask) - set(sup_of):
            sup_of[pk] = None
    for pk, sup in sup_of.items():
        if pk in id_of and sup:
            boss[id_of[pk]] = id_of.get(sup, "")
    for number, r in by_number.items():
        boss[number] = r.supervisor_number
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    for start in by_number:
        path, node = [], start
        while node and node in boss and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = boss[node]
        if node and state.get(node) == 1 and node in path:
            cycle = path[path.index(node):]
            if len(cycle) > 1:
                cycles.append(cycle)
        for p in path:
            state[p] = 2
    for cycle in cycles:
        rows = sorted(by_number[n].row for n in cycle if n in by_number)
        ring = " → ".join([*cycle, cycle[0]])
        tail = "" if len(rows) == len(cycle) else ", with the records"
        for n in cycle:
            r = by_number.get(n)
            if r is not None:
                report.problems.append(Problem(r.row, "supervisor_number", f"a cycle of supervisors: {ring} (rows "
                                               f"{', '.join(map(str, rows))}{tail}) supervise each other "
                                               "in a circle; correct one supervisor_number."))
                r.status = "invalid"
    report.problems.sort(key=lambda p: (p.row, COLUMNS.index(p.column) if p.column in COLUMNS else 99))
    # rows depending on an invalid row (their supervisor's row failed), transitively
    bad_numbers = {r.employee_number for r in report.rows if r.status == "invalid"}
    changed = True
    while changed:
        changed = False
        for r in report.rows:
            if r.status not in ("invalid", "left_out") and r.supervisor_number in bad_numbers \
                    and r.supervisor_number in by_number:
                r.status, r.why_left_out = "left_out", (f"its supervisor {r.supervisor_number} (row "
                                                        f"{by_number[r.supervisor_number].row}) is not valid")
                bad_numbers.add(r.employee_number)
                changed = True
    # new / update / unchanged
    for r in report.rows:
        if r.status in ("invalid", "left_out"):
            continue
        e = r.employee
        held = ctx.events.get(e.pk, set()) if e is not None else set()
        r.new_events = [ev for ev in r.events if ev not in held]
        if e is None:
            r.status = "new"
            continue
        after = _resolved(r, ctx, by_number)
        for f in FIELDS:
            before = getattr(e, f)
            new = after[f]
            if f == "work_schedule":
                same = {k: Decimal(str(x)) for k, x in (before or {}).items()} == \
                       {k: Decimal(x) for k, x in new.items()}
            elif f == "scheduled_weekly_hours":
                same = Decimal(before) == new
            else:
                same = before == new
            if not same:
                r.changes[f] = (_label(f, before, ctx), _label(f, new, ctx))
        r.status = "update" if r.changes else "unchanged"
    report.agencies_new = sorted(c for c, (_, line) in ctx.new_agencies.items()
                                 if any(r.agency_code == c and r.status in ("new", "update") for r in report.rows))
    report.titles_new = sorted(c for c, (_, _, line) in ctx.new_titles.items()
                               if any(r.title_code == c and r.status in ("new", "update") for r in report.rows))
    return report


def _resolved(r: Row, ctx: _Context, by_number) -> dict:
    """The field values of the row with its foreign keys as ids (None for an agency/title/supervisor not yet
    created: a new one always differs)."""
    v = dict(r.values)
    agency = ctx.agencies.get(r.agency_code)
    title = ctx.titles.get(r.title_code)
    sup = ctx.employees.get(r.supervisor_number) if r.supervisor_number else None
    v["agency_id"] = agency.pk if agency else ("new", r.agency_code)
    v["title_id"] = title.pk if title else ("new", r.title_code)
    v["supervisor_id"] = sup.pk if sup else (("new", r.supervisor_number) if r.supervisor_number else None)
    return v


def _label(f: str, value, ctx: _Context):
    if isinstance(value, tuple):
        return value[1]
    if f == "agency_id":
        return next((a.code for a in ctx.agencies.values() if a.pk == value), value)
    if f == "title_id":
        return next((t.code for t in ctx.titles.values() if t.pk == value), value)
    if f == "supervisor_id":
        return next((n for n, e in ctx.employees.items() if e.pk == value), value) if value else None
    if f == "pay_calendar_id":
        return next((c.name for c in ctx.calendars.values() if c.pk == value), value)
    if isinstance(value, Decimal):
        return _dec(value)
    return value


# --- writing --------------------------------------------------------------------------------------

def _write(report: Report, *, by, actor, channel: str, source: str,
           progress: Callable[[int, int], None] | None) -> None:
    """All in ONE transaction, set-based: agencies and titles, then employees (bulk_create / bulk_update), then
    supervisors (one bulk_update), the service events (bulk_create), the derived service dates, the access log."""
    from openleave import policy
    from openleave.audit.access import Access, record_many
    from openleave.audit.models import AccessLog
    from openleave.rules.params import default_tree
    from openleave.rules.service import adjusted_service_start

    ctx: _Context = report._ctx  # noqa: SLF001
    rows = [r for r in report.rows if r.status in ("new", "update", "unchanged")]
    by_number = {r.employee_number: r for r in rows}
    todo = [r for r in rows if r.status in ("new", "update") or r.new_events]
    total = len(todo)
    t0 = time.perf_counter()
    with transaction.atomic():
        for code in report.agencies_new:
            ctx.agencies[code] = Agency.objects.create(code=code, name=ctx.new_agencies[code][0])
        if ctx.agency_names:
            changed = []
            for code, name in ctx.agency_names.items():
                ctx.agencies[code].name = name
                changed.append(ctx.agencies[code])
            Agency.objects.bulk_update(changed, ["name"])
        for code in report.titles_new:
            name, week, _ = ctx.new_titles[code]
            ctx.titles[code] = JobTitle.objects.create(code=code, name=name, full_time_weekly_hours=week)
        new_rows = [r for r in rows if r.status == "new"]
        for r in new_rows:
            v = r.values
            r.employee = Employee(
                employee_number=r.employee_number, given_name=v["given_name"], family_name=v["family_name"],
                work_email=v["work_email"], agency=ctx.agencies[r.agency_code], title=ctx.titles[r.title_code],
                status=v["status"], scheduled_weekly_hours=v["scheduled_weekly_hours"],
                work_schedule=v["work_schedule"], original_hire_date=v["original_hire_date"],
                service_start=v["service_start"], vacation_service_date=v["service_start"],
                probation_end=v["probation_end"], separation_date=v["separation_date"],
                pay_calendar_id=v["pay_calendar_id"], emergency_personnel=v["emergency_personnel"])
        # new employees level by level down the supervisor tree, so each insert already names its supervisor
        done = 0
        pending = new_rows
        while pending:
            level = [r for r in pending if not r.supervisor_number or r.supervisor_number in ctx.employees]
            if not level:  # cannot happen: cycles and missing supervisors were refused
                raise RuntimeError("supervisors could not be resolved")
            for r in level:
                sup = ctx.employees.get(r.supervisor_number) if r.supervisor_number else None
                r.employee.supervisor_id = sup.pk if sup else None
            emps = [r.employee for r in level]
            for i in range(0, len(emps), CHUNK):
                chunk = emps[i:i + CHUNK]
                _insert_many(Employee, chunk)
                ids = dict(Employee.objects.filter(employee_number__in=[e.employee_number for e in chunk])
                           .values_list("employee_number", "pk"))
                for e in chunk:
                    e.pk = e.id = ids[e.employee_number]
                done += len(chunk)
                if progress:
                    progress(done, total)
            for e in emps:
                ctx.employees[e.employee_number] = e
            placed = {id(r) for r in level}
            pending = [r for r in pending if id(r) not in placed]
        # the updates: one UPDATE statement for the changed fields, executed for every changed row
        updated = [r for r in rows if r.status == "update"]
        for r in updated:
            e = r.employee
            for f in FIELDS:
                if f not in ("agency_id", "title_id", "supervisor_id"):
                    setattr(e, f, r.values[f])
            e.agency_id = ctx.agencies[r.agency_code].pk
            e.title_id = ctx.titles[r.title_code].pk
            sup = ctx.employees.get(r.supervisor_number) if r.supervisor_number else None
            e.supervisor_id = sup.pk if sup else None
        changed_fields = [f for f in FIELDS if any(f in r.changes for r in updated)]
        _update_many([r.employee for r in updated], changed_fields)
        report.timings["employees"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        # service history: appended, never overwritten
        reason = f"Imported from the HR system of record{': ' + source if source else ''}."
        events = [ServiceEvent(employee_id=r.employee.pk, kind=k, left=left, returned=ret, days=days,
                               prior_service_approved=ok, reason=reason, cite="Sec. 9.2.B" if k == "break" else "",
                               recorded_by=by)
                  for r in rows for (k, left, ret, days, ok) in r.new_events]
        for i in range(0, len(events), CHUNK):
            _insert_many(ServiceEvent, events[i:i + CHUNK])
        report.events_written = len(events)
        if events:
            touched = sorted({ev.employee_id for ev in events})
            tree, today = default_tree(), timezone.localdate()
            moved = []
            for i in range(0, len(touched), CHUNK):
                for e in (Employee.objects.filter(pk__in=touched[i:i + CHUNK]).select_related("title")
                          .prefetch_related("service_events")):
                    e.vacation_service_date = adjusted_service_start(e.facts(), tree, today).value
                    moved.append(e)
            _update_many(moved, ["vacation_service_date"])
        report.timings["service history"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        accesses = []
        for r in todo:
            if r.status == "new":
                what = "created from the HR import"
            elif r.status == "update":
                what = "updated from the HR import: " + "; ".join(
                    f"{SHOWN.get(f, f)} {_show(a)!r} → {_show(b)!r}" for f, (a, b) in r.changes.items())
            else:
                what = "HR import"
            if r.new_events:
                what += f"; {len(r.new_events)} service event(s) appended"
            accesses.append(Access(subject=r.employee, object_type="employee", object_id=r.employee.pk,
                                   category=policy.LEAVE, action=AccessLog.Action.CHANGE,
                                   fields=what + (f" ({source})" if source else "")))
        record_many(actor=actor, channel=channel, accesses=accesses)
        report.timings["access log"] = time.perf_counter() - t0
        report.written = len(todo)
        if progress:
            progress(total, total)
    _ = by_number


def _insert_many(model, objs: list) -> None:
    """Insert many rows with ONE parameterised INSERT executed for all of them (``executemany``): the same
    set-based write as ``bulk_create`` without its per-batch SQL compilation (SQLite's 999-variable batches)."""
    from django.db import connection, models

    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    prep = [(f.attname, (lambda v, f=f: f.get_db_prep_save(v, connection))
             if isinstance(f, models.JSONField | models.DateTimeField) else None) for f in fields]
    q = connection.ops.quote_name
    sql = (f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    rows = [[(fn(getattr(o, a)) if fn else getattr(o, a)) for a, fn in prep] for o in objs]
    with connection.cursor() as cur:
        cur.executemany(sql, rows)


def _update_many(employees: list[Employee], fields: list[str]) -> None:
    """Set ``fields`` of many employees: ONE parameterised UPDATE executed for all of them (``executemany``, no
    per-row save, none of ``bulk_update``'s CASE expressions, which grow with the batch)."""
    from django.db import connection

    if not employees or not fields:
        return
    columns = [Employee._meta.get_field(f.removesuffix("_id") if f.endswith("_id") else f) for f in fields]
    sets = ", ".join(f"{connection.ops.quote_name(c.column)} = %s" for c in columns)
    sql = f"UPDATE {connection.ops.quote_name(Employee._meta.db_table)} SET {sets} WHERE id = %s"  # noqa: S608 — names from the model
    params = [[c.get_db_prep_save(getattr(e, c.attname), connection) for c in columns] + [e.pk] for e in employees]
    with connection.cursor() as cur:
        for i in range(0, len(params), CHUNK):
            cur.executemany(sql, params[i:i + CHUNK])


def import_people(*, rows: list[tuple[int, dict]], by=None, system: str = "", channel: str = "command",
                  dry_run: bool = True, partial: bool = False, source: str = "",
                  progress: Callable[[str, int, int], None] | None = None) -> Report:
    """Check every row; unless ``dry_run``, write in ONE transaction — every row when all are valid; with
    ``partial`` only the valid rows not depending on an invalid one. ``by``: the HR user (only employees of their
    agency), or None for the command (``system`` names it). Rows matching the records are reported unchanged."""
    from openleave import policy
    from openleave.audit.access import Access, System, record_many
    from openleave.audit.models import AccessLog

    if by is None and not system:
        raise ValueError("an import is made by an HR user or names the system command")

    def step(name):
        return (lambda n, total: progress(name, n, total)) if progress else None

    t0 = time.perf_counter()
    report = check_rows(rows, by=by, progress=step("check"))
    report.timings["check"] = time.perf_counter() - t0
    report.partial = partial
    actor = by if by is not None else System(system)
    if dry_run or not report.writable:
        report.dry_run = True
        seen = {r.employee.pk: r.employee for r in report.rows if r.employee is not None and r.employee.pk}
        record_many(actor=actor, channel=channel, accesses=[
            Access(subject=e, object_type="employee", object_id=e.pk, category=policy.LEAVE,
                   action=AccessLog.Action.READ,
                   fields=f"HR import {'dry run' if dry_run else 'check'}{': ' + source if source else ''}")
            for e in seen.values()])
        return report
    report.dry_run = False
    _write(report, by=by, actor=actor, channel=channel, source=source, progress=step("write"))
    return report


__all__ = ["COLUMNS", "REQUIRED", "ImportRefused", "Problem", "Report", "Row", "check_rows", "decode",
           "import_people", "load_mapping", "read_csv", "refuse_sensitive"]
