"""What a successor agreement changes, figure by figure — pure (no Django, no clock: the date is an argument).

``contract_impact`` (openleave.contract) compares two parameter trees on the day of the switch: ``old`` (the
agreements shipped) and ``new`` (the same plus the successor folder, ``params.load_tree(extra=[folder])``).
Everything here depends only on the trees and a *group* — the title's full-time week and the employee's
scheduled hours, the Sec. 9.2.A band — never on one employee, so a report over 1,000,000 employees computes a
few dozen groups here and joins them to the employees in SQL.

* ``parameter_changes``: every parameter whose value differs on the day (caps such as the Sec. 9.8 carry-over
  years or the Sec. 7.2.G comp-time maximum are among them), each side with its citation and agreement.
* ``accrual_groups``: per (title week, scheduled hours per period, band under each), the sick (Sec. 8.1.A) and
  vacation (Sec. 9.2.A, 9.5) credit of a full pay period under each tree — the accrual run's own arithmetic
  (``prorate`` of the full-time rate by the hours scheduled) and its own plan (``period_rate_plan``).
* ``holiday_changes``: the Art. 10 holidays added and removed (Sec. 10.1).
* ``forfeiture_parameters_change``: whether any figure the year end reads (Sec. 9.8, 8.2.B, the MOU day,
  the pay calendar) differs — if not, the next year end forfeits exactly the same under both and the report
  need not read anyone's ledger.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .accrual import PeriodRatePlan, period_rate_plan, prorate
from .calendar import PayPeriod, full_time_weeks, period_containing
from .holidays import holiday_names
from .params import Param, ParameterError, ParameterTree

# The parameters the year-end forfeitures read (``rules.ledger._forfeiture``, ``rules.vintages.year_end``).
FORFEITURE_PREFIXES = ("vacation.carry_over", "personal.carry_over", "personal.annual", "emergency.", "calendar.")


@dataclass(frozen=True)
class Change:
    name: str
    description: str
    old: Param | None
    new: Param | None

    @property
    def is_cap(self) -> bool:
        return any(w in self.name for w in ("max", "carry_over", "cap"))


def _value(tree: ParameterTree, name: str, on: dt.date) -> Param | None:
    try:
        return tree.get(name, on)
    except ParameterError:
        return None


def parameter_changes(old: ParameterTree, new: ParameterTree, on: dt.date) -> list[Change]:
    """Every parameter whose value in force on ``on`` differs between the trees (added or gone included)."""
    out = []
    for name in sorted(set(old.names()) | set(new.names())):
        a, b = _value(old, name, on), _value(new, name, on)
        if (a is None) != (b is None) or (a is not None and b is not None and a.value != b.value):
            desc = (b or a).description
            out.append(Change(name, desc, a, b))
    return out


def forfeiture_parameters_change(old: ParameterTree, new: ParameterTree, on: dt.date, until: dt.date) -> bool:
    """Whether a figure the year ends read differs on ``on`` or ``until`` (the next year end)."""
    return any(c.name.startswith(FORFEITURE_PREFIXES)
               for day in (on, until) for c in parameter_changes(old, new, day))


@dataclass(frozen=True)
class HolidayChanges:
    old: tuple[str, ...]
    new: tuple[str, ...]
    cite_old: str
    cite_new: str

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(n for n in self.new if n not in self.old)

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(n for n in self.old if n not in self.new)


def holiday_changes(old: ParameterTree, new: ParameterTree, on: dt.date) -> HolidayChanges:
    return HolidayChanges(tuple(holiday_names(on, old)), tuple(holiday_names(on, new)),
                          old.get("holidays.days", on).cite, new.get("holidays.days", on).cite)


def plans(old: ParameterTree, new: ParameterTree, on: dt.date) -> tuple[PayPeriod, PeriodRatePlan, PeriodRatePlan]:
    """The pay period including ``on`` (the calendar of the new tree) and each tree's accrual plan for it."""
    period = period_containing(on, tree=new)
    return (period, period_rate_plan(old, period.start, period.end), period_rate_plan(new, period.start, period.end))


@dataclass(frozen=True)
class GroupFigures:
    """One group's credits for a full pay period (micro-hours) under each agreement, with the citations."""

    week: str  # the title's full-time week, e.g. "40"
    sched_micro: int  # hours scheduled in the period
    band_old: int
    band_new: int
    sick_old: int
    sick_new: int
    vacation_old: int
    vacation_new: int
    sick_cite: str
    vacation_cite_old: str
    vacation_cite_new: str

    @property
    def sick_diff(self) -> int:
        return self.sick_new - self.sick_old

    @property
    def vacation_diff(self) -> int:
        return self.vacation_new - self.vacation_old


def group_figures(old_plan: PeriodRatePlan, new_plan: PeriodRatePlan, week, sched_micro: int,
                  band_old: int, band_new: int) -> GroupFigures:
    """The accrual run's arithmetic for one group: ``prorate(rate[t], hours scheduled, full-time hours)``
    (Sec. 8.1.A/B, 9.2.A, 9.5), for a period wholly in service with every scheduled hour paid."""
    t = next(w for w in old_plan.full_time_period_micro if str(w.normalize()) == str(week))

    def credit(plan: PeriodRatePlan, rate: int) -> int:
        full = plan.full_time_period_micro[t]
        return prorate(rate, min(sched_micro, full), full)

    vo = next(b for b in old_plan.vacation_bands if b.index == band_old)
    vn = next(b for b in new_plan.vacation_bands if b.index == band_new)
    return GroupFigures(
        week=str(week), sched_micro=sched_micro, band_old=band_old, band_new=band_new,
        sick_old=credit(old_plan, old_plan.sick_rate_micro[t]), sick_new=credit(new_plan, new_plan.sick_rate_micro[t]),
        vacation_old=credit(old_plan, vo.rate_micro[t]), vacation_new=credit(new_plan, vn.rate_micro[t]),
        sick_cite=new_plan.sick_cite if new_plan.sick_rate_micro != old_plan.sick_rate_micro else old_plan.sick_cite,
        vacation_cite_old=vo.cite, vacation_cite_new=vn.cite,
    )


def band_table(old_plan: PeriodRatePlan, new_plan: PeriodRatePlan) -> list[dict]:
    """The Sec. 9.2.A band table side by side (per full-time period, each title week), for the page."""
    rows = []
    for b in new_plan.vacation_bands:
        o = next((x for x in old_plan.vacation_bands if x.index == b.index), None)
        for t in full_time_weeks():
            rows.append({"band": b.index, "from_years": b.from_years, "week": t.normalize(),
                         "old": o.rate_micro.get(t) if o else None, "new": b.rate_micro.get(t),
                         "cite_old": o.cite if o else "", "cite_new": b.cite,
                         "diff": (b.rate_micro.get(t) or 0) - ((o.rate_micro.get(t) or 0) if o else 0)})
    return rows
