"""Reads for the statements, the warnings and the "members at risk" view — set-based.

``ledger_sums`` reads the ledger of many employees in ONE aggregate query (per chunk): the sums of their
entries by (employee, leave, year, vintage), never one employee's rows at a time. The rules core
(``rules.vintages``) turns each employee's sums into what remains of each vintage and what the year ends forfeit
— the core's FIFO and forfeiture arithmetic, not a copy of it. ``statement_figures`` writes the statement's
figures (every figure with its citation) as plain JSON, to be frozen by ``services.statements_generate``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404

from openleave import clock, policy
from openleave.audit.access import record_access, record_reads
from openleave.ledger.models import LEAVE_SLUGS, Kind, Leave, LedgerEntry, PersonalCarryOver
from openleave.ledger.selectors import LEAVE_CITES, _tree
from openleave.people.models import Employee
from openleave.people.selectors import employee_or_404
from openleave.rules import vintages as core
from openleave.rules.calendar import vacation_year_of
from openleave.rules.ledger import LEAVE_TYPES
from openleave.rules.params import month_day
from openleave.rules.units import hours_str

from .models import VacationStatement

STATEMENT_CITE = "Sec. 9.8"
FIFO_READING = "oldest credit used first (openleave's reading of Sec. 9.8)"
FORFEITED = ("vacation", "personal", "emergency_day")  # what a year end forfeits, in statement order
SHOWN_TOO = ("comp_time", "holiday")  # balances shown with their citation, kept by other rules
WARN_CITES = {"vacation": "Sec. 9.8", "personal": "Sec. 8.2.B", "emergency_day": "MOU Regarding State of Emergency"}
NOUNS = {"vacation": "vacation", "personal": "personal leave", "emergency_day": "the emergency day"}


# --- the contract's dates --------------------------------------------------------------------------------


def statement_dates(year: int, tree=None) -> tuple[dt.date, dt.date]:
    """Sec. 9.8: (the day the statement's figures are as of, the day it is due by) for ``year`` —
    ``vacation.preliminary_statement``."""
    tree = _tree(tree)
    p = tree.get("vacation.preliminary_statement", dt.date(year, 12, 31)).value
    (am, ad), (dm, dd) = month_day(p["as_of"]), month_day(p["due"])
    return dt.date(year, am, ad), dt.date(year, dm, dd)


def warning_year(on: dt.date, tree=None) -> int | None:
    """The year end warned of on ``on``, or None before the warnings start: from the statement's due day
    (Sec. 9.8: on or before October 1) to the year end of the vacation year ``on`` falls in."""
    tree = _tree(tree)
    year = vacation_year_of(on, tree=tree)
    return year if on >= statement_dates(year, tree)[1] else None


# --- the set-based read ----------------------------------------------------------------------------------


@dataclass
class EmployeeSums:
    """One employee's ledger summed: ``through_as_of[slug]`` — the year sums of the entries dated on or before
    ``as_of``; ``through_until[slug]`` — of those dated on or before ``until`` (leave already booked counts);
    ``balance[slug]`` — the sum of the entries dated on or before ``as_of`` (the ledger balance)."""

    through_as_of: dict[str, dict[int, core.YearSums]] = field(default_factory=dict)
    through_until: dict[str, dict[int, core.YearSums]] = field(default_factory=dict)
    balance: dict[str, int] = field(default_factory=dict)
    #: the years whose Sec. 8.2.B personal carry-over is recorded, and then the employee's facts (the "day")
    carry_overs: tuple[int, ...] = ()
    facts: object = None


def _add(into: dict[str, dict[int, core.YearSums]], slug: str, year: int, cls: int, vintage, micro: int) -> None:
    ys = into.setdefault(slug, {}).setdefault(year, core.YearSums(year))
    if cls == 2:
        ys.posted_forfeiture = (ys.posted_forfeiture or 0) - micro
    elif cls == 1:
        ys.credits[int(vintage)] = ys.credits.get(int(vintage), 0) + micro
    else:
        ys.debits -= micro


def ledger_sums(employee_ids: Iterable[int], *, as_of: dt.date, until: dt.date) -> dict[int, EmployeeSums]:
    """ONE aggregate query: every listed employee's entries dated on or before ``until``, summed by (employee,
    leave, year of the pay period — ``rules.vintages.year_of`` —, vintage of a credit, credit/debit/posted
    forfeiture, dated on or before ``as_of`` or not). A credit without a recorded vintage counts in the year of
    its pay period (the core's reading for accruals and vacation, ``LedgerEntry.effective_vintage``)."""
    ids = list(employee_ids)
    out: dict[int, EmployeeSums] = {i: EmployeeSums() for i in ids}
    if not ids:
        return out
    rows = (LedgerEntry.objects.filter(employee_id__in=ids, effective_date__lte=until)
            .annotate(yr=ExtractYear("period_start"),
                      cls=Case(When(kind=Kind.FORFEITURE, then=Value(2)), When(micro__gt=0, then=Value(1)),
                               default=Value(0), output_field=IntegerField()),
                      vin=Case(When(Q(micro__gt=0) & ~Q(kind=Kind.FORFEITURE),
                                    then=Coalesce("vintage", ExtractYear("period_start"))),
                               default=Value(0), output_field=IntegerField()),
                      early=Case(When(effective_date__lte=as_of, then=Value(1)), default=Value(0),
                                 output_field=IntegerField()))
            .order_by().values("employee_id", "leave", "yr", "cls", "vin", "early").annotate(s=Sum("micro")))
    _add_carry_overs(out, ids)
    for r in rows.iterator(chunk_size=20000):
        slug = LEAVE_SLUGS[Leave(r["leave"])]
        sums, micro = out[r["employee_id"]], int(r["s"] or 0)
        if r["early"]:
            sums.balance[slug] = sums.balance.get(slug, 0) + micro
        if slug not in LEAVE_TYPES:
            continue
        _add(sums.through_until, slug, int(r["yr"]), r["cls"], r["vin"], micro)
        if r["early"]:
            _add(sums.through_as_of, slug, int(r["yr"]), r["cls"], r["vin"], micro)
    return out


def _add_carry_overs(out: dict[int, EmployeeSums], ids: list[int]) -> None:
    """The recorded Sec. 8.2.B carry-overs of the listed employees (one query), and the facts of the few who
    have one (one more): the year end keeps their carried-over day, as the ledger's ``forfeitures`` does."""
    years: dict[int, list[int]] = {}
    for emp_id, year in PersonalCarryOver.objects.filter(employee_id__in=ids).values_list("employee_id", "year"):
        years.setdefault(emp_id, []).append(int(year))
    if not years:
        return
    for e in (Employee.objects.filter(pk__in=list(years)).select_related("title")
              .prefetch_related("service_events")):
        out[e.pk].carry_overs = tuple(sorted(years[e.pk]))
        out[e.pk].facts = e.facts()


def remaining(sums: EmployeeSums, slug: str, on: dt.date, *, booked: bool = False, tree=None) -> core.Remaining:
    """The core's vintages and forfeitures for one leave type from the sums (``booked``: with leave already
    booked for later days, up to the sums' ``until``), keeping a recorded Sec. 8.2.B carry-over."""
    by_year = (sums.through_until if booked else sums.through_as_of).get(slug, {})
    return core.remaining(slug, by_year.values(), on, _tree(tree), facts=sums.facts,
                          carry_over_years=sums.carry_overs)


# --- the statement ---------------------------------------------------------------------------------------


def _h(micro: int) -> str:
    return hours_str(micro)


def statement_figures(employee: Employee, sums: EmployeeSums, *, year: int, as_of: dt.date, tree=None) -> dict:
    """The Sec. 9.8 preliminary statement's figures for ``year`` as of ``as_of``, each with its citation, as
    plain JSON (hours as exact decimal strings, micro-hours as integers)."""
    tree = _tree(tree)
    due = statement_dates(year, tree)[1]
    figures: dict = {
        "year": year, "as_of": as_of.isoformat(), "due": due.isoformat(), "cite": STATEMENT_CITE,
        "employee": {"number": employee.employee_number, "name": employee.name,
                     "agency": employee.agency.name, "title": employee.title.name},
        "reading": FIFO_READING, "leaves": [],
    }
    for slug in FORFEITED:
        balance = sums.balance.get(slug, 0)
        if slug != "vacation" and slug not in sums.balance:
            continue
        now = remaining(sums, slug, as_of, tree=tree)
        end = core.year_end(slug, year, tree)
        ahead = remaining(sums, slug, end, booked=True, tree=tree)
        leave = Leave(next(k for k, v in LEAVE_SLUGS.items() if v == slug))
        item = {
            "slug": slug, "label": leave.label, "balance": _h(balance), "balance_micro": balance,
            "cite": LEAVE_CITES[leave], "forfeit_cite": WARN_CITES[slug],
            "vintages": [{"vintage": v, "hours": _h(m), "micro": m,
                          "forfeits_on": core.forfeit_date_of_vintage(slug, v, tree).isoformat(),
                          "cite": "Sec. 9.1, Sec. 9.8" if slug == "vacation" else WARN_CITES[slug]}
                         for v, m in now.by_vintage.items()],
            "deficit": _h(now.deficit), "deficit_micro": now.deficit,
            "available": _h(now.balance), "available_micro": now.balance,
            # forfeitures of year ends already passed that the ledger has not posted yet
            "forfeited_unposted": [{"year": f.year, "on": f.on.isoformat(), "hours": _h(f.micro), "micro": f.micro,
                                    "vintages": list(f.vintages), "cite": f.cite}
                                   for f in now.forfeitures if not f.posted and f.on <= as_of
                                   and f.year >= year - 1],
            "forfeits": [{"year": f.year, "on": f.on.isoformat(), "hours": _h(f.micro), "micro": f.micro,
                          "vintages": list(f.vintages), "cite": f.cite}
                         for f in ahead.forfeitures if f.year == year],
            "forfeits_on": end.isoformat(),
        }
        figures["leaves"].append(item)
    for slug in SHOWN_TOO:
        if slug in sums.balance:
            leave = Leave(next(k for k, v in LEAVE_SLUGS.items() if v == slug))
            figures["leaves"].append({"slug": slug, "label": leave.label, "balance": _h(sums.balance[slug]),
                                      "balance_micro": sums.balance[slug], "cite": LEAVE_CITES[leave]})
    return figures


# --- the warnings ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Warning:
    employee_id: int
    leave: str
    year: int
    on: dt.date
    micro: int
    vintages: tuple[int, ...]
    cite: str

    @property
    def hours(self) -> str:
        return hours_str(self.micro)

    @property
    def text(self) -> str:
        earned = ", ".join(str(v) for v in self.vintages) or str(self.year)
        verb = "earned" if self.leave == "vacation" else "credited"
        return (f"{self.hours} h of {NOUNS[self.leave]} {verb} in {earned} will be forfeited on {self.on:%B} "
                f"{self.on.day}, {self.on.year} unless used ({self.cite})")


def warnings_for(employee_ids: Iterable[int], on: dt.date, tree=None) -> dict[int, list[Warning]]:
    """The forfeiture warnings due on ``on`` (``warning_year``), by employee: what the year end would forfeit
    of vacation (Sec. 9.8), personal leave (Sec. 8.2.B) and the emergency day (MOU), counting leave already
    booked. One aggregate query for all of them."""
    tree = _tree(tree)
    ids = list(employee_ids)
    year = warning_year(on, tree)
    if year is None or not ids:
        return {i: [] for i in ids}
    until = max(core.year_end(slug, year, tree) for slug in FORFEITED)
    sums = ledger_sums(ids, as_of=on, until=until)
    return {i: risk_of(i, sums[i], year, tree) for i in ids}


def risk_of(employee_id: int, sums: EmployeeSums, year: int, tree=None) -> list[Warning]:
    tree = _tree(tree)
    out = []
    for slug in FORFEITED:
        if slug not in sums.through_until:
            continue
        end = core.year_end(slug, year, tree)
        for f in remaining(sums, slug, end, booked=True, tree=tree).forfeitures:
            if f.year == year and f.micro > 0 and not f.posted:
                out.append(Warning(employee_id, slug, year, f.on, f.micro, f.vintages, f.cite))
    return out


# --- members at risk -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AtRisk:
    employee: Employee
    warnings: tuple[Warning, ...]
    seniority: int  # 1 = the longest employed with the Commonwealth among the listed of the same title

    @property
    def micro(self) -> int:
        return sum(w.micro for w in self.warnings)

    @property
    def hours(self) -> str:
        return hours_str(self.micro)

    def of(self, slug: str) -> str:
        return hours_str(sum(w.micro for w in self.warnings if w.leave == slug))

    @property
    def vacation(self) -> str:
        return self.of("vacation")

    @property
    def personal(self) -> str:
        return self.of("personal")

    @property
    def emergency(self) -> str:
        return self.of("emergency_day")


SENIORITY_CITE = "Sec. 9.8"
SENIORITY_RULE = ("where vacation requests by employees in the same title conflict, preference, subject to the "
                  "operational needs of the Department/Agency, goes by years of employment with the Commonwealth")


def members_at_risk(employees, on: dt.date, tree=None) -> tuple[int, list[AtRisk]]:
    """(the year end, the employees who would lose leave at it), most hours at risk first; each with their
    seniority rank in their title (Sec. 9.8: years of employment with the Commonwealth — the continuous-service
    date, earliest first) for settling conflicting requests. One aggregate query."""
    tree = _tree(tree)
    people = list(employees.select_related("title", "agency"))
    year = vacation_year_of(on, tree=tree)
    until = max(core.year_end(slug, year, tree) for slug in FORFEITED)
    sums = ledger_sums([e.pk for e in people], as_of=on, until=until)
    by_title: dict[int, list[Employee]] = {}
    for e in people:
        by_title.setdefault(e.title_id, []).append(e)
    rank = {}
    for group in by_title.values():
        for i, e in enumerate(sorted(group, key=lambda e: (e.vacation_service_date, e.employee_number)), 1):
            rank[e.pk] = i
    rows = [AtRisk(e, tuple(risk_of(e.pk, sums[e.pk], year, tree)), rank[e.pk]) for e in people]
    rows = [r for r in rows if r.micro > 0]
    rows.sort(key=lambda r: (-r.micro, r.employee.title.name, r.seniority))
    return year, rows


def in_service(on: dt.date):
    """The covered workforce on ``on``: in service (started, not separated), not a contractor."""
    return (Employee.objects.filter(service_start__lte=on).filter(Q(separation_date__isnull=True) |
                                                                  Q(separation_date__gt=on))
            .exclude(status=Employee.Status.CONTRACTOR))


# --- the reads of a page or an API call (policy + the access log) ------------------------------------


def statement_of(user, employee_number: str, year: int, channel: str = "ui", fields: str = "page"):
    """The statement the employee was given for ``year``, if ``user`` may see the employee's leave data —
    else 404, the same whether the employee or the statement exists or not. The read is logged."""
    employee = employee_or_404(user, employee_number, policy.LEAVE)
    st = VacationStatement.objects.filter(employee=employee, year=year).first()
    if st is None:
        raise Http404("No such statement.")
    record_access(actor=user, subject=employee, object_type="vacation_statement", object_id=st.pk,
                  category=policy.LEAVE, channel=channel, fields=f"Sec. 9.8 statement {year} ({fields})")
    return employee, st


def at_risk_rows(user, channel: str = "ui"):
    """(year end, rows) of the members ``user`` answers for (``policy.vacation_responsibility``) who would lose
    leave at the year end; 404 for a user who answers for nobody. Each person shown is a logged read."""
    people = policy.vacation_responsibility(user)
    if not policy.is_responsible_for_vacation(user):
        raise Http404("Nothing to show.")
    year, rows = members_at_risk(people, clock.today())
    record_reads(actor=user, channel=channel, subjects=[r.employee for r in rows], object_type="leave_at_risk",
                 category=policy.LEAVE, fields=f"hours at risk at the {year} year end (Sec. 9.8)")
    return year, rows
