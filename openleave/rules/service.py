"""Total years of service and the vacation accrual band (Art. 9).

Readings of the contract (also in docs/scenarios.md):

* **Total years of service** (Sec. 9.2.B) count from the first working day in the state agency.
  A break of less than three years keeps the prior service (Sec. 9.7) — the break itself is not
  service, so the service start moves later by the length of the break. A break of three years
  or more ends the prior service (Sec. 9.2.B, 9.12) unless the Chief Human Resources Officer
  approved its credit (``ServiceBreak.prior_service_approved``). Other service HR credits or
  excludes is ``service_adjustment_days``. The result is one *adjusted service start*.
* **Reaching a band.** An employee reaches a band's years (``vacation.bands``: "4½ years") on the
  day that many calendar months (years × 12) after the adjusted service start (the same day of the month; when that month is shorter, its last day —
  the earlier date, the reading a steward would defend).
* **Sec. 9.4.** "Employees will be credited with the next higher level accrual status during the
  pay period that includes July 1 of the fiscal year that the employee reaches the higher accrual
  status." The fiscal year starts on ``vacation.higher_rate_fiscal_year_start`` (July 1), so an
  employee reaching a band on any day of a fiscal year gets the higher rate from the pay period
  that includes the day that fiscal year starts — up to a year *before* the anniversary. For a pay
  period P, let J be the latest fiscal-year start on or before P's last day; the employee has band
  k in P iff they reach band k on or before the last day of J's fiscal year, i.e. iff their
  adjusted service start is on or before the band's *cutoff* for P (``band_cutoff``).
* **Sec. 9.2.C / Vacation MOU.** Employees hired on or after the date of
  ``vacation.enhanced_rate_new_hires`` with its years of approved prior relevant experience accrue
  at its band from hire; current employees under the years of service of
  ``vacation.enhanced_rate_current_employees`` on its date whose request the Appointing Authority
  approved, from its effective date (MOU); a late request is prospective
  (``enhanced_accrual_from``). Both "remain at this rate until they reach" the band's end, so the
  band is the higher of the enhanced band and the band by service. The rate in force is the one
  at the end of the pay period, when vacation is credited (Sec. 9.2.A).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from .calendar import (
    PayPeriod,
    fiscal_year,
    fiscal_year_end,
    fiscal_year_start_day,
    last_fiscal_year_start_on_or_before,
)
from .decision import Decision
from .facts import EmployeeFacts
from .params import ParameterError, ParameterTree


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; a missing day becomes the month's last day
    (``dateutil.relativedelta``)."""
    return day + relativedelta(months=months)


def years_to_months(years: Decimal) -> int:
    months = Decimal(years) * 12
    if months != months.to_integral_value():
        raise ValueError(f"{years} years is not a whole number of months")
    return int(months)


def reaches(adjusted_start: dt.date, years: Decimal) -> dt.date:
    """The day an employee with this adjusted service start reaches ``years`` of service."""
    return add_months(adjusted_start, years_to_months(years))


def optional_param(tree: ParameterTree, name: str, on: dt.date):
    """A parameter in force on ``on``, or None when none is in force yet (e.g. Sec. 9.2.C before 2019)."""
    try:
        return tree.get(name, on)
    except ParameterError:
        return None


def adjusted_service_start(facts: EmployeeFacts, tree: ParameterTree, on: dt.date) -> Decision:
    """Sec. 9.2.B, 9.7, 9.12: the date total years of service count from (value: a date), by the
    rules in force on ``on``."""
    start = facts.service_start
    reasons = [f"service began {start} (Sec. 9.2.B)"]
    cites = ["Sec. 9.2.B"]
    limit = tree.get("vacation.service_break_years", on).value
    for brk in sorted(facts.service_breaks, key=lambda b: b.left):
        gap = brk.returned - brk.left
        long_break = reaches(brk.left, limit) <= brk.returned
        if long_break and not brk.prior_service_approved:
            start = brk.returned
            reasons.append(f"break {brk.left}..{brk.returned} of {limit} years or more: prior service not counted, service counts from {start}")
            cites.append("Sec. 9.12")
        else:
            start = start + gap
            why = "approved by the Chief Human Resources Officer" if long_break else f"less than {limit} years"
            reasons.append(f"break {brk.left}..{brk.returned} ({why}): prior service kept, the {gap.days} days of the break are not service")
            cites.append("Sec. 9.12" if long_break else "Sec. 9.7")
    if facts.service_adjustment_days:
        start = start - dt.timedelta(days=facts.service_adjustment_days)
        reasons.append(f"service adjustment of {facts.service_adjustment_days} days recorded by HR")
    reasons.append(f"adjusted service start {start}")
    return Decision(start, tuple(dict.fromkeys(cites)), tuple(reasons), unit="date")


def band_cutoff(period_end: dt.date, years: Decimal, fy_start: tuple[int, int] | None = None) -> dt.date:
    """Sec. 9.4: the latest adjusted service start that has reached ``years`` by the end of the
    fiscal year whose start (``fy_start``, July 1) is the latest one on or before ``period_end``.

    An employee whose adjusted service start is on or before the cutoff has the band whose lower
    bound is ``years`` in the pay period ending ``period_end``. Band 0 (``years == 0``) has no
    cutoff (``date.max``)."""
    if years == 0:
        return dt.date.max
    fy_start = fy_start or fiscal_year_start_day()
    deadline = fiscal_year_end(fiscal_year(last_fiscal_year_start_on_or_before(period_end, fy_start), fy_start), fy_start)
    months = years_to_months(years)
    cutoff = add_months(deadline, -months)
    while add_months(cutoff + dt.timedelta(days=1), months) <= deadline:
        cutoff += dt.timedelta(days=1)
    while add_months(cutoff, months) > deadline:
        cutoff -= dt.timedelta(days=1)
    return cutoff


@dataclass(frozen=True)
class Band:
    """One row of the Sec. 9.2.A table: lower bound in years and biweekly rate by 75/80 hours."""

    index: int
    from_years: Decimal
    rates: dict[int, Decimal]
    cite: str

    def label(self, bands: list[Band]) -> str:
        nxt = bands[self.index + 1].from_years if self.index + 1 < len(bands) else None
        if self.index == 0:
            return f"less than {nxt} years"
        return f"{self.from_years} years or more" if nxt is None else f"{self.from_years} but less than {nxt} years"


def bands(tree: ParameterTree, on: dt.date) -> list[Band]:
    p = tree.get("vacation.bands", on)
    return [
        Band(i, row["from_years"], {k: v for k, v in row.items() if isinstance(k, int)}, p.cite)
        for i, row in enumerate(p.value)
    ]


def band_by_service(adjusted_start: dt.date, period: PayPeriod, tree: ParameterTree) -> Decision:
    """Sec. 9.2.A with Sec. 9.4: the band (0-based index) by total years of service in ``period``."""
    table = bands(tree, period.end)
    fy_start = fiscal_year_start_day(tree, period.end)
    chosen = table[0]
    for band in table[1:]:
        if adjusted_start <= band_cutoff(period.end, band.from_years, fy_start):
            chosen = band
    opened = last_fiscal_year_start_on_or_before(period.end, fy_start)
    reasons = []
    if chosen.index == 0:
        reasons.append(f"total years of service {chosen.label(table)} in FY{fiscal_year(opened, fy_start)} → Sec. 9.2.A band {chosen.label(table)}")
    else:
        reached = reaches(adjusted_start, chosen.from_years)
        reasons.append(
            f"reaches {chosen.from_years} years of service on {reached} (FY{fiscal_year(reached, fy_start)}); "
            f"Sec. 9.4: the higher rate starts in the pay period that includes {opened:%B} {opened.day} of that fiscal year "
            f"→ band {chosen.label(table)} in the period {period.start}..{period.end}"
        )
    cites = ("Sec. 9.2.A", "Sec. 9.2.B") + (("Sec. 9.4",) if chosen.index else ())
    return Decision(chosen.index, cites, tuple(reasons), unit="band")


def enhanced_band(facts: EmployeeFacts, adjusted_start: dt.date, period: PayPeriod, tree: ParameterTree) -> Decision | None:
    """Sec. 9.2.C or the Vacation MOU: the enhanced band for ``period``, or None when it does not apply."""
    if not facts.prior_experience_approved or facts.prior_relevant_experience_years is None:
        return None
    new_hires = optional_param(tree, "vacation.enhanced_rate_new_hires", period.end)
    mou = optional_param(tree, "vacation.enhanced_rate_current_employees", period.end)
    hired = facts.original_hire
    if new_hires and hired >= new_hires.value["hired_on_or_after"]:
        rule, since = new_hires, hired
        if facts.prior_relevant_experience_years < rule.value["min_prior_experience_years"]:
            return None
        why = (f"hired {hired} (on or after {rule.value['hired_on_or_after']}) with "
               f"{facts.prior_relevant_experience_years} years of approved prior relevant experience")
    elif mou:
        v = mou.value
        if facts.prior_relevant_experience_years < v["min_prior_experience_years"]:
            return None
        if reaches(adjusted_start, v["service_below_years"]) <= v["service_below_years_on"] or hired > v["service_below_years_on"]:
            return None
        rule, since = mou, v["effective"]
        why = (f"current employee with less than {v['service_below_years']} years of service on "
               f"{v['service_below_years_on']} and {facts.prior_relevant_experience_years} years of prior relevant "
               f"work history, approved by the Appointing Authority")
    else:
        return None
    since = facts.enhanced_accrual_from or since
    if period.end < since:
        return None
    index = int(rule.value["band"])
    return Decision(
        index,
        (rule.cite,),
        (f"{why}: accrues at the band-{index + 1} rate from {since} until reaching "
         f"{rule.value['until_service_years']} years of creditable service ({rule.cite})",),
        unit="band",
    )


def vacation_band(facts: EmployeeFacts, period: PayPeriod, tree: ParameterTree) -> Decision:
    """The vacation band (0-based index into Sec. 9.2.A) that applies to ``period``."""
    start = adjusted_service_start(facts, tree, period.end)
    by_service = band_by_service(start.value, period, tree)
    enhanced = enhanced_band(facts, start.value, period, tree)
    chosen = by_service
    if enhanced is not None and enhanced.value > by_service.value:
        chosen = enhanced
    cites = tuple(dict.fromkeys(start.citations + by_service.citations + (enhanced.citations if enhanced else ())))
    reasons = start.reasons[-1:] + by_service.reasons + (enhanced.reasons if enhanced is not None and chosen is enhanced else ())
    return Decision(chosen.value, cites, reasons, unit="band", extra={"adjusted_service_start": start.value})
