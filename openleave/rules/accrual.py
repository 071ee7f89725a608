"""Accrual rules: sick and vacation per bi-weekly pay period, personal leave and the emergency day
per year. Pure functions; each returns a ``Decision`` whose value is integer micro-hours.

THE ROUNDING RULE (the only place hours are ever rounded — see ``prorate``): the contract's own
figures are exact (``sick.accrual_full_time``, ``vacation.bands``, … to the micro-hour) and are
credited exactly. A figure the contract
prorates — part-time service (Sec. 8.1.B, 9.5, 8.2.B, 8.9), hours paid in a period with leave or
absence without pay (Sec. 8.1.D, 8.1.I, 9.3, 9.6), a mid-period start (Sec. 9.2.B) — is computed
exactly as ``rate × hours / full-time hours`` in integers and, only when that is not already a
whole number of micro-hours, rounded half-up to the micro-hour (0.000001 h). Every per-hour rate
of the contract is itself exact (the 80-hour rate / 80 = the 75-hour rate / 75, a whole number of
micro-hours per hour paid), so whole hours paid never round.

Readings of the contract (also in docs/scenarios.md):

* Hours are the base of every proration: an employee scheduled ``s`` hours in a period of a
  title whose full-time period is ``F`` hours (75 or 80), paid for ``p ≤ s`` of them, earns
  ``rate × p / F``. For a full-time employee with no unpaid time that is exactly the rate; for a
  regular part-time employee it is "the same proportion that his/her part-time service bears to
  full-time service" (Sec. 8.1.B, 9.5); with leave or absence without pay it is "based on the
  hours paid within the bi-weekly pay period" (Sec. 8.1.D, 8.1.I, 9.3, 9.6). Hours paid above
  the schedule (overtime) earn nothing more.
* Mid-period start: vacation is prorated by the scheduled hours of the period's days in service
  (Sec. 9.2.B, "prorated accordingly"). Sick leave is credited "for each bi-weekly pay period of
  employment" (Sec. 8.1.A) and reduced only for leave or absence without pay (Sec. 8.1.D/I);
  Art. 8 has no proration for a start in mid-period, so the first period earns the full sick
  credit of the schedule.
* Only full-time and regular part-time employees accrue (Sec. 8.1.A/B, 9.2.A, 9.5).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .calendar import (
    PayPeriod,
    first_full_period_in_january,
    fiscal_year_start_day,
    full_time_weeks,
    weeks_text,
)
from .decision import Decision
from .facts import EmployeeFacts
from .params import ParameterTree, figure, long_date
from .schedule import weekday_key, weekly_schedule
from .service import add_months, band_cutoff, bands, optional_param, vacation_band, years_to_months
from .units import MICRO, div_half_up, hours_str, to_micro

ACCRUING_STATUSES = ("full_time", "part_time")
ROUNDING_RULE = (
    "exact integer arithmetic in micro-hours; a prorated figure that is not a whole number of "
    "micro-hours is rounded half-up to the micro-hour (0.000001 h); contract figures are never rounded"
)


def prorate(amount_micro: int, part: int, whole: int) -> int:
    """``amount × part / whole`` in micro-hours — THE rounding rule of openleave.

    Exact when the result is a whole number of micro-hours (the contract's figures and whole
    hours always are); otherwise rounded half-up to the micro-hour. For non-negative integers this
    equals ``(amount * part + whole // 2) // whole``, which SQL can compute on BIGINT."""
    if whole <= 0:
        raise ValueError("prorate: the whole must be positive")
    return div_half_up(amount_micro * part, whole)


def by_hours(table: dict, hours: Decimal):
    """Look up a contract table keyed by hours (the title's bi-weekly or weekly full-time hours)."""
    for key, value in table.items():
        if not isinstance(key, str) and Decimal(str(key)) == Decimal(hours):
            return value
    raise KeyError(f"no entry for {hours} hours in {sorted(str(k) for k in table)}")


def check_title_hours(facts: EmployeeFacts, tree: ParameterTree | None = None) -> None:
    weeks = full_time_weeks(tree)
    if facts.title_full_time_hours_per_week not in weeks:
        raise ValueError(f"title_full_time_hours_per_week must be {weeks_text(weeks)} (Sec. 8.9, 9.16)")


def full_time_period_micro(facts: EmployeeFacts, tree: ParameterTree | None = None) -> int:
    """Sec. 8.1.A, 9.2.A: the full-time hours of a bi-weekly period (twice the title's week), in micro-hours."""
    check_title_hours(facts, tree)
    return to_micro(facts.title_full_time_hours_per_week * 2)


def scheduled_micro(facts: EmployeeFacts, day: dt.date) -> int:
    """Scheduled hours on ``day`` by the weekly schedule (``schedule.weekly_schedule``), whether or not the
    employee was in service that day — the period's whole schedule is the base of the proration."""
    return to_micro(weekly_schedule(facts)[weekday_key(day)])


def in_service(facts: EmployeeFacts, day: dt.date) -> bool:
    """Employed on ``day``: on or after the service start, not in a break, not after separation."""
    if day < facts.service_start or (facts.separation_date and day > facts.separation_date):
        return False
    return not any(b.left <= day < b.returned for b in facts.service_breaks)


def period_scheduled_micro(facts: EmployeeFacts, period: PayPeriod, only_in_service: bool) -> int:
    days = [d for d in period.days() if in_service(facts, d)] if only_in_service else period.days()
    return sum(scheduled_micro(facts, d) for d in days)


def employed_in(facts: EmployeeFacts, period: PayPeriod) -> bool:
    return any(in_service(facts, d) for d in period.days())


def _not_accruing(facts: EmployeeFacts, leave: str, cites: tuple[str, ...]) -> Decision | None:
    if facts.status not in ACCRUING_STATUSES:
        return Decision(0, cites, (f"status {facts.status}: only full-time and regular part-time employees accrue {leave} leave",))
    return None


def _base_reason(facts: EmployeeFacts, paid: int, scheduled: int, full: int, rate: int, amount: int) -> tuple[str, list[str]]:
    """The reason line and extra citations for ``rate × paid / full``."""
    rate_s, full_s = hours_str(rate), hours_str(full)
    if paid == full:
        return f"full-time, {full_s} hours bi-weekly → {rate_s} h", []
    part_time = scheduled < full or facts.is_part_time
    line = f"{hours_str(paid)} of {full_s} full-time hours bi-weekly → {hours_str(paid)}/{full_s} × {rate_s} = {hours_str(amount)} h"
    return line, (["part_time"] if part_time else []) + (["unpaid"] if paid < scheduled else [])


def sick_accrual(facts: EmployeeFacts, period: PayPeriod, tree: ParameterTree, hours_paid: int | None = None) -> Decision:
    """Sec. 8.1.A/B/D/I: sick leave credit for ``period`` (micro-hours).

    ``hours_paid`` (micro-hours) is the hours paid in the period — or treated as paid for accrual,
    e.g. the first weeks of unpaid family/medical leave (Sec. 8.7.2.A.6); default: the schedule.
    """
    param = tree.get("sick.accrual_full_time", period.end)
    stop = _not_accruing(facts, "sick", (param.cite,))
    if stop:
        return stop
    if not employed_in(facts, period):
        return Decision(0, (param.cite,), (f"not employed in the pay period {period.start}..{period.end}",))
    full = full_time_period_micro(facts, tree)
    rate = to_micro(by_hours(param.value, facts.title_full_time_hours_per_week * 2))
    scheduled = period_scheduled_micro(facts, period, only_in_service=False)
    paid = scheduled if hours_paid is None else min(hours_paid, scheduled)
    amount = prorate(rate, paid, full)
    line, kinds = _base_reason(facts, paid, scheduled, full, rate, amount)
    cites = [param.cite]
    if "part_time" in kinds:
        cites.append("Sec. 8.1.B")
    if "unpaid" in kinds:
        cites.append("Sec. 8.1.I" if "part_time" in kinds else "Sec. 8.1.D")
    reasons = [f"sick leave for the pay period {period.start}..{period.end}: {line}"]
    if "unpaid" in kinds:
        reasons.append(f"leave or absence without pay: credit on the {hours_str(paid)} hours paid of {hours_str(scheduled)} scheduled")
    return Decision(amount, tuple(cites), tuple(reasons), extra={"hours_paid": paid, "scheduled": scheduled})


def vacation_accrual(facts: EmployeeFacts, period: PayPeriod, tree: ParameterTree, hours_paid: int | None = None) -> Decision:
    """Sec. 9.2.A/B/C, 9.3–9.6, Vacation MOU: vacation credit for ``period`` (micro-hours).

    ``hours_paid`` as in ``sick_accrual``; it is capped at the scheduled hours of the period's days
    in service, which prorates a mid-period start (Sec. 9.2.B)."""
    stop = _not_accruing(facts, "vacation", ("Sec. 9.2.A",))
    if stop:
        return stop
    if not employed_in(facts, period):
        return Decision(0, ("Sec. 9.2.A",), (f"not employed in the pay period {period.start}..{period.end}",))
    band = vacation_band(facts, period, tree)
    table = bands(tree, period.end)
    row = table[band.value]
    full = full_time_period_micro(facts, tree)
    rate = to_micro(by_hours(row.rates, facts.title_full_time_hours_per_week * 2))
    whole = period_scheduled_micro(facts, period, only_in_service=False)
    scheduled = period_scheduled_micro(facts, period, only_in_service=True)
    paid = scheduled if hours_paid is None else min(hours_paid, scheduled)
    amount = prorate(rate, paid, full)
    line, kinds = _base_reason(facts, paid, scheduled, full, rate, amount)
    cites = list(band.citations)
    reasons = [*band.reasons, f"vacation for the pay period {period.start}..{period.end}: band {row.label(table)}, {line}"]
    if scheduled < whole:
        cites.append("Sec. 9.2.B")
        reasons.append(f"service began or ended mid-period: {hours_str(scheduled)} of {hours_str(whole)} scheduled hours in service (prorated)")
    if "part_time" in kinds:
        cites.append("Sec. 9.5")
    if "unpaid" in kinds:
        cites.append("Sec. 9.6" if "part_time" in kinds else "Sec. 9.3")
        reasons.append(f"leave or absence without pay: credit on the {hours_str(paid)} hours paid of {hours_str(scheduled)} scheduled")
    return Decision(amount, tuple(dict.fromkeys(cites)), tuple(reasons),
                    extra={"band": band.value, "hours_paid": paid, "scheduled": scheduled})


def _part_time_share(facts: EmployeeFacts, amount: int, cites: list[str], reasons: list[str], cite: str) -> int:
    if facts.weekly_hours == facts.title_full_time_hours_per_week:
        return amount
    part = prorate(amount, to_micro(facts.weekly_hours), to_micro(facts.title_full_time_hours_per_week))
    cites.append(cite)
    reasons.append(f"regular part-time, {facts.weekly_hours} of {facts.title_full_time_hours_per_week} hours a week: "
                   f"{facts.weekly_hours}/{facts.title_full_time_hours_per_week} × {hours_str(amount)} = {hours_str(part)} h (pro rata)")
    return part


def on_payroll_2011(facts: EmployeeFacts, tree: ParameterTree, on: dt.date) -> bool:
    """Sec. 8.2.A/B: on the payroll as of ``personal.payroll_cohort_date`` (given, or from the original hire date)."""
    if facts.on_payroll_2011_09_01 is not None:
        return facts.on_payroll_2011_09_01
    return facts.original_hire <= tree.get("personal.payroll_cohort_date", on).value


def personal_credit(facts: EmployeeFacts, year: int, tree: ParameterTree) -> Decision:
    """Sec. 8.2.A/B/C: personal leave credited for calendar ``year`` (micro-hours).

    ``extra['effective']`` is the day it is credited: the first day of the first full pay period
    in January, or — for an employee hired or promoted into the unit after that period began —
    the day of hire or promotion, by the quarter table of Sec. 8.2.A. Reading: an employee hired
    on or before the first day of that period receives the annual credit. Sec. 8.2.C caps the
    credit of a year at ``personal.max_days_per_year`` days of the cohort."""
    first = first_full_period_in_january(year, tree=tree)
    entry = facts.unit_entry_date or facts.service_start
    stop = _not_accruing(facts, "personal", ("Sec. 8.2.A",))
    if stop:
        return Decision(0, stop.citations, stop.reasons, extra={"effective": first.start})
    hours = facts.title_full_time_hours_per_week
    cohort_date = long_date(tree.get("personal.payroll_cohort_date", first.start).value)
    cites: list[str]
    if entry <= first.start:
        cohort = on_payroll_2011(facts, tree, first.start)
        p = tree.get("personal.annual_credit_payroll_2011" if cohort else "personal.annual_credit", first.start)
        amount, effective, cites = to_micro(by_hours(p.value, hours)), first.start, [p.cite]
        who = f"on the payroll as of {cohort_date}" if cohort else f"hired after {cohort_date}"
        reasons = [f"credited in the first full pay period of January {year} ({first.start}..{first.end}) to a full-time employee "
                   f"{who}, {hours} hours a week: {hours_str(amount)} h"]
    elif entry.year == year:
        cohort = False
        p = tree.get("personal.new_hire_quarters", entry)
        md = entry.strftime("%m-%d")
        row = next(r for r in p.value if r["from"] <= md <= r["to"])
        amount, effective, cites = to_micro(by_hours(row, hours)), entry, [p.cite]
        reasons = [f"hired or promoted into the bargaining unit on {entry}, after the first full pay period in January: "
                   f"{row['from']}..{row['to']} at {hours} hours a week → {hours_str(amount)} h"]
    else:
        return Decision(0, ("Sec. 8.2.A",), (f"not in the bargaining unit in January {year}",), extra={"effective": first.start})
    cap = tree.get("personal.max_days_per_year", effective)
    most = cap.value["payroll_2011" if cohort else "hired_after"]
    most_micro = to_micro(most) * to_micro(by_hours(tree.get("calendar.day_hours", effective).value, hours)) // MICRO
    if amount > most_micro:
        amount = most_micro
        cites.append(cap.cite)
        reasons.append(f"no more than {figure(most)} personal days in a year: {hours_str(amount)} h ({cap.cite})")
    amount = _part_time_share(facts, amount, cites, reasons, "Sec. 8.2.B")
    return Decision(amount, tuple(cites), tuple(reasons), extra={"effective": effective})


def day_micro(facts: EmployeeFacts, tree: ParameterTree, on: dt.date) -> Decision:
    """Sec. 8.9, 9.16: a "day" by the title's week (``calendar.day_hours``), prorated for regular part-time."""
    p = tree.get("calendar.day_hours", on)
    full_day = to_micro(by_hours(p.value, facts.title_full_time_hours_per_week))
    cites, reasons = [p.cite], [f"one day = {hours_str(full_day)} hours for a {facts.title_full_time_hours_per_week}-hour title"]
    amount = _part_time_share(facts, full_day, cites, reasons, "Sec. 8.9")
    return Decision(amount, tuple(dict.fromkeys(cites)), tuple(reasons))


def emergency_credit(facts: EmployeeFacts, year: int, tree: ParameterTree) -> Decision:
    """MOU Regarding State of Emergency: one emergency day each January for designated emergency
    personnel, credited (reading) on the first day of the first full pay period in January — the
    day after the previous day is forfeited — to employees in service then; prorated for regular
    part-time employees (Sec. 8.9)."""
    first = first_full_period_in_january(year, tree=tree)
    p = optional_param(tree, "emergency.annual_days", first.start)
    effective = {"effective": first.start}
    if p is None:
        return Decision(0, (), (f"no emergency day in force in January {year}",), extra=effective)
    if not facts.emergency_personnel:
        return Decision(0, (p.cite,), ("not designated emergency personnel",), extra=effective)
    if facts.status not in ACCRUING_STATUSES or not in_service(facts, first.start):
        return Decision(0, (p.cite,), (f"not in service at the start of the first full pay period of January {year}",), extra=effective)
    day = day_micro(facts, tree, first.start)
    amount = to_micro(p.value) * day.value // MICRO
    reasons = (f"designated emergency personnel: {figure(p.value)} emergency day(s) each January, credited {first.start}",) + day.reasons
    return Decision(amount, (p.cite, *day.citations), reasons, extra=effective)


UNPAID_LEAVE_KINDS = ("family_medical", "non_fmla_family", "other")


def unpaid_leave_accrual_until(kind: str, start: dt.date, end: dt.date, tree: ParameterTree) -> Decision:
    """The last day of an unpaid leave on which sick and vacation still accrue (value: date or None).

    * ``family_medical`` — Sec. 8.7.2.A.6: "will accrue sick and vacation leave benefits only for
      the first eight (8) weeks of such unpaid leave". Reading: "this provision" is Sec. 8.7.2
      (Family and Medical Leave) and covers unpaid medical leave too; the scheduled hours of those
      first ``unpaid.family_medical_accrual_weeks`` weeks count as hours paid for accrual.
    * ``non_fmla_family`` — Sec. 8.8.A: "without pay or benefits": nothing accrues.
    * ``other`` — leave of absence without pay (Sec. 8.11): credit only on hours paid (8.1.D, 9.3).
    """
    if kind == "family_medical":
        p = tree.get("unpaid.family_medical_accrual_weeks", start)
        last = min(end, start + dt.timedelta(weeks=int(p.value)) - dt.timedelta(days=1))
        return Decision(last, (p.cite,), (f"unpaid family/medical leave from {start}: sick and vacation accrue only for the first "
                                          f"{p.value} weeks, through {last}",), unit="date")
    if kind == "non_fmla_family":
        p = tree.get("unpaid.non_fmla_family_accrues", start)
        if p.value is True:
            return Decision(end, (p.cite,), (f"non-FMLA family leave from {start}: sick and vacation accrue through {end}",),
                            unit="date")
        return Decision(None, (p.cite,), ("non-FMLA family leave is without pay or benefits: no sick or vacation accrual",), unit="date")
    if kind == "other":
        return Decision(None, ("Sec. 8.1.D", "Sec. 9.3"), ("leave without pay: credit only on the hours paid",), unit="date")
    raise ValueError(f"unknown unpaid leave kind {kind!r}; one of {UNPAID_LEAVE_KINDS}")


# --- the plan a bulk (SQL / numpy) accrual run consumes -------------------------------------


@dataclass(frozen=True)
class VacationBandPlan:
    """One Sec. 9.2.A band for one pay period.

    An employee whose adjusted service start (``service.adjusted_service_start``) is on or before
    ``service_start_cutoff`` has at least this band in the period (Sec. 9.4); the band that
    applies is the last one whose cutoff the employee meets."""

    index: int
    from_years: Decimal
    service_start_cutoff: dt.date  # date.max for band 0
    rate_micro: dict[Decimal, int]  # title full-time hours per week (``full_time_weeks``) → µh per full-time period
    cite: str


@dataclass(frozen=True)
class EnhancedBandRule:
    """Sec. 9.2.C (``kind='new_hire'``) or the Vacation MOU (``kind='current_employee'``).

    Applies to an employee with ``prior_experience_approved`` and ``prior_relevant_experience_years
    >= min_prior_experience_years`` who is either hired on or after ``hired_on_or_after``
    (new_hire) or hired before ``service_below_on`` with an adjusted service start after
    ``service_start_after`` — i.e. under ``service_below_years`` of service that day
    (current_employee). From the later of ``effective_from`` (new_hire: the hire date) and the
    employee's ``enhanced_accrual_from``, through the period's end, the band is
    ``max(band by service, band_index)``."""

    kind: str
    band_index: int
    min_prior_experience_years: Decimal
    hired_on_or_after: dt.date | None
    service_below_on: dt.date | None
    service_start_after: dt.date | None
    effective_from: dt.date | None
    cite: str


@dataclass(frozen=True)
class PeriodRatePlan:
    """Everything a set-based accrual run needs for one pay period, with no per-employee Python.

    For each employee with title hours ``t`` (one of ``full_time_weeks``), hours paid ``p`` in micro-hours (capped
    at the scheduled hours; for vacation, only days in service count — Sec. 9.2.B) and
    ``F = full_time_period_micro[t]``:

        sick     = prorate(sick_rate_micro[t], p, F)
        vacation = prorate(band.rate_micro[t], p, F)   # band: see VacationBandPlan / EnhancedBandRule

    ``prorate(a, p, F) = (a * p + F // 2) // F`` for non-negative integers (``rounding``)."""

    period_start: dt.date
    period_end: dt.date
    sick_rate_micro: dict[Decimal, int]
    sick_cite: str
    full_time_period_micro: dict[Decimal, int]
    vacation_bands: list[VacationBandPlan]
    enhanced_rules: list[EnhancedBandRule] = field(default_factory=list)
    rounding: str = ROUNDING_RULE
    # Sec. 8.7.2.A.6 in the bulk run (``ledger.accrual_fmla``): the unpaid FMLA hours that still count as hours
    # paid are the first ``fmla_accrual_weeks`` weeks (in the employee's own workweek) of unpaid FMLA leave
    # within the ``fmla_lookback_weeks`` looking back (Sec. 8.7.2.B.4.c); None before the parameters are in force.
    fmla_accrual_weeks: int | None = None
    fmla_accrual_cite: str = ""
    fmla_lookback_weeks: int | None = None

    def vacation_band_index(self, adjusted_service_start: dt.date) -> int:
        return max(b.index for b in self.vacation_bands if adjusted_service_start <= b.service_start_cutoff)


def _rates_by_week(table: dict, weeks: tuple[Decimal, ...]) -> dict[Decimal, int]:
    return {w: to_micro(by_hours(table, w * 2)) for w in weeks}


def period_rate_plan(tree: ParameterTree, period_start: dt.date, period_end: dt.date) -> PeriodRatePlan:
    """The rates, band cutoffs (Sec. 9.4) and enhanced-band rules in force for one pay period."""
    sick = tree.get("sick.accrual_full_time", period_end)
    fy_start = fiscal_year_start_day(tree, period_end)
    weeks = full_time_weeks(tree, period_end)
    plan_bands = [
        VacationBandPlan(b.index, b.from_years, band_cutoff(period_end, b.from_years, fy_start),
                         _rates_by_week(b.rates, weeks), b.cite)
        for b in bands(tree, period_end)
    ]
    rules = []
    new_hires = optional_param(tree, "vacation.enhanced_rate_new_hires", period_end)
    if new_hires:
        v = new_hires.value
        rules.append(EnhancedBandRule("new_hire", int(v["band"]), v["min_prior_experience_years"], v["hired_on_or_after"],
                                      None, None, None, new_hires.cite))
    mou = optional_param(tree, "vacation.enhanced_rate_current_employees", period_end)
    if mou:
        v = mou.value
        after = add_months(v["service_below_years_on"], -years_to_months(v["service_below_years"]))
        rules.append(EnhancedBandRule("current_employee", int(v["band"]), v["min_prior_experience_years"], None,
                                      v["service_below_years_on"], after, v["effective"], mou.cite))
    a6 = optional_param(tree, "unpaid.family_medical_accrual_weeks", period_start)
    lookback = optional_param(tree, "fmla.lookback_weeks", period_start)
    return PeriodRatePlan(
        period_start=period_start,
        period_end=period_end,
        sick_rate_micro=_rates_by_week(sick.value, weeks),
        sick_cite=sick.cite,
        full_time_period_micro={w: to_micro(w * 2) for w in weeks},
        vacation_bands=plan_bands,
        enhanced_rules=rules,
        fmla_accrual_weeks=int(a6.value) if a6 and lookback else None,
        fmla_accrual_cite=a6.cite if a6 and lookback else "",
        fmla_lookback_weeks=int(lookback.value) if a6 and lookback else None,
    )


__all__ = [
    "MICRO", "ROUNDING_RULE", "prorate", "sick_accrual", "vacation_accrual", "personal_credit", "emergency_credit",
    "day_micro", "unpaid_leave_accrual_until", "period_rate_plan", "PeriodRatePlan", "VacationBandPlan", "EnhancedBandRule",
]
