"""Shared arithmetic for the leave checks: hours asked, charging units, caps, other credits, outcome."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from openleave.rules.facts import EmployeeFacts
from openleave.rules.params import Param, ParameterTree
from openleave.rules.requests.model import Finding, Ground, LeaveAsk, RequestContext, RequestError
from openleave.rules.schedule import day_micro, micro_by_day
from openleave.rules.service import add_months  # noqa: F401 — used by the request rules
from openleave.rules.units import MICRO, div_half_up, hours_str, to_micro


def unit_micro(minutes) -> int:
    """A charging unit in minutes (15, 30) → micro-hours (250,000; 500,000)."""
    m = to_micro(minutes)
    if m % 60:
        raise RequestError(f"a charging unit of {minutes} minutes is not a whole number of micro-hours")
    return m // 60


def ceil_unit(micro: int, unit: int) -> int:
    """Round up to the next whole unit (Sec. 8.1.F: never less than the actual time off)."""
    return -(-micro // unit) * unit


def floor_unit(micro: int, unit: int) -> int:
    return (micro // unit) * unit if micro > 0 else 0


def h(micro: int) -> str:
    """'3.25 h' for messages."""
    return f"{hours_str(micro)} h"


def first_day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def last_day(value: dt.date | dt.datetime) -> dt.date:
    """The last day the leave touches: a date end is inclusive, a time end exclusive (leave that ends at
    00:00 ends on the day before)."""
    if isinstance(value, dt.datetime):
        return (value - dt.timedelta(microseconds=1)).date()
    return value


# Charging unit parameter and whether a charge to it needs a human's approval, per credit type.
CREDIT_UNITS = {
    "sick": "use.sick.charge_unit_minutes",
    "vacation": "use.vacation.charge_unit_minutes",
    "personal": "use.personal.charge_unit_minutes",
    "comp_time": "use.comp_time.charge_unit_minutes",
}
CREDIT_APPROVAL = {
    "sick": "Sec. 8.1.C",  # only for a purpose of 8.1.C — the human confirms
    "vacation": "Sec. 9.8",
    "personal": "Sec. 8.2.A",
    "comp_time": "Sec. 7.2.G",
}


class Draft:
    """Collects what a check finds, then ``finish`` turns it into a Finding."""

    def __init__(self, kind: str, facts: EmployeeFacts, ask: LeaveAsk, ctx: RequestContext, tree: ParameterTree):
        self.kind, self.facts, self.ask, self.ctx, self.tree = kind, facts, ask, ctx, tree
        self.on = first_day(ask.start)
        self.citations: list[str] = []
        self.reasons: list[str] = []
        self.charges: list[tuple[str, int]] = []
        self.grounds: list[str] = []
        self.alternatives: list[str] = []
        self.needs_human = False
        self.discretionary_charge = False
        self.extra: dict = {}
        self.visible = kind.replace("_", " ") + " leave"
        self.protected = False
        self.asked: dict[dt.date, int] = {}  # the scheduled hours asked, per date (by_day)

    # -- parameters and messages -------------------------------------------------------------
    def param(self, name: str) -> Param:
        return self.tree.get("use." + name, self.on)

    def value(self, name: str):
        return self.param(name).value

    def cite(self, *cites: str) -> None:
        for c in cites:
            if c not in self.citations:
                self.citations.append(c)

    def say(self, text: str, *cites: str) -> None:
        self.reasons.append(text)
        self.cite(*cites)

    def ground(self, *codes: str) -> None:
        for c in codes:
            if c not in self.grounds:
                self.grounds.append(c)

    def human(self, text: str, *cites: str) -> None:
        """A finding a human must look at (does not by itself refuse anything)."""
        self.needs_human = True
        self.say(text, *cites)

    # -- hours -------------------------------------------------------------------------------
    def by_day(self) -> dict[dt.date, int]:
        """Scheduled hours of the asked range, per date; refuses a range with no scheduled hours."""
        try:
            days = micro_by_day(self.facts, self.ask.start, self.ask.end, self.ctx.holidays, self.ctx.shift_starts)
        except ValueError as exc:
            raise RequestError(str(exc)) from None
        if not days:
            raise RequestError(
                f"no scheduled hours between {self.ask.start} and {self.ask.end}: the employee is not "
                "scheduled to work then (days off and holidays need no leave)"
            )
        if self.ask.hours is not None:
            asked = to_micro(self.ask.hours)
            total = sum(days.values())
            if asked <= 0:
                raise RequestError("the hours asked must be more than zero")
            if asked > total:
                raise RequestError(
                    f"{h(asked)} asked but only {h(total)} are scheduled between {self.ask.start} and {self.ask.end}"
                )
            days = _take_first(days, asked)
        self.asked = dict(days)
        return days

    def day(self, prorate: bool = True) -> int:
        """The contract's "day" (Sec. 8.9: ``calendar.day_hours`` by the title's week), in micro-hours;
        prorated by weekly / full-time hours for a regular part-time employee when ``prorate``."""
        facts = self.facts
        table = self.tree.get("calendar.day_hours", self.on).value
        full = [v for k, v in table.items() if Decimal(str(k)) == facts.title_full_time_hours_per_week]
        if not full:
            return day_micro(facts, prorate=prorate)
        micro = to_micro(full[0])
        if prorate and facts.is_part_time:
            return div_half_up(micro * to_micro(facts.weekly_hours), to_micro(facts.title_full_time_hours_per_week))
        return micro

    def days_to_micro(self, days, prorate: bool = True) -> int:
        return to_micro(days) * self.day(prorate) // MICRO

    def unit(self, credit: str) -> int:
        return unit_micro(self.tree.get(CREDIT_UNITS[credit], self.on).value)

    # -- balances ----------------------------------------------------------------------------
    def charge_balance(self, credit: str, asked: int, cite: str) -> int:
        """Charge ``asked`` time off to ``credit`` in its units, within the balance; returns time off covered."""
        unit = self.unit(credit)
        available = self.ctx.balances.get(credit, 0) - sum(m for t, m in self.charges if t == credit)
        usable = floor_unit(available, unit)
        covered = min(asked, usable)
        if covered > 0:
            self.charges.append((credit, ceil_unit(covered, unit)))
        self.cite(cite)
        if ceil_unit(asked, unit) != asked and covered == asked:
            self.say(
                f"{h(asked)} off is charged as {h(ceil_unit(asked, unit))}: {credit.replace('_', ' ')} is charged in "
                f"units of {hours_str(unit * 60)} minutes, never less than the time off", cite)
        return covered

    def charge_others(self, rest: int, *, exclude: Iterable[str] = (), no_approval: Iterable[str] = ()) -> int:
        """Charge ``rest`` to the other credits the employee chose (ask.charge_excess_to), in order."""
        covered = 0
        for credit in self.ask.charge_excess_to:
            if rest - covered <= 0:
                break
            if credit in exclude or credit not in CREDIT_UNITS:
                raise RequestError(f"the rest cannot be charged to {credit!r}")
            got = self.charge_balance(credit, rest - covered, CREDIT_APPROVAL[credit])
            if got:
                self.say(f"{h(got)} charged to {credit.replace('_', ' ')} at the employee's request.")
                if credit not in no_approval:
                    self.discretionary_charge = True
                    self.say(
                        f"The {credit.replace('_', ' ')} part needs the Appointing Authority's approval "
                        f"({CREDIT_APPROVAL[credit]}).", CREDIT_APPROVAL[credit])
            covered += got
        return covered

    def offer(self, *credits: str) -> None:
        for c in credits:
            if c not in self.alternatives:
                self.alternatives.append(c)

    # -- result ------------------------------------------------------------------------------
    def finish(self, requested: int, allowed: int, *, discretionary: bool = False,
               days: dict[dt.date, int] | None = None) -> Finding:
        """The Finding. ``days``: the hours per date the leave itself allows (within a window, a cap, whole
        days); the allowed hours fall on them first, then on the other days asked (credits for the rest),
        first days first. Without ``days``: on the first days asked."""
        allowed = max(0, min(allowed, requested))
        discretionary = discretionary or self.discretionary_charge
        if allowed == 0:
            outcome = "not_allowed"
        elif discretionary and self.kind in self.ctx.auto_approve:
            outcome = "allowed" if allowed == requested else "partly_allowed"
            self.say(
                f"Approved automatically: the organisation switched on auto-approval for {self.kind} "
                f"(setting auto_approve[{self.kind}]); the contract's limits above still apply."
            )
        elif discretionary:
            outcome = "needs_decision"
        elif allowed < requested:
            outcome = "partly_allowed"
        else:
            outcome = "allowed"
        if outcome == "needs_decision":
            self.needs_human = True
        grounds_table = self.tree.get("use.grounds_for_denial", self.on).value
        grounds = tuple(
            Ground(code, self.tree.fill(grounds_table[code]["text"], self.on), grounds_table[code]["cite"])
            for code in self.grounds
        )
        return Finding(
            kind=self.kind,
            outcome=outcome,
            requested_micro=requested,
            allowed_micro=allowed,
            charges=tuple(self.charges),
            citations=tuple(self.citations),
            reasons=tuple(self.reasons),
            visible_to_supervisor=self.visible,
            protected=self.protected,
            grounds_for_denial=grounds,
            needs_human=self.needs_human,
            alternatives=tuple(self.alternatives),
            extra=dict(self.extra),
            requested_days=tuple(sorted(self.asked.items())),
            days=tuple(sorted(_allot(self.asked, allowed, days).items())),
        )


def _take_first(days: dict[dt.date, int], amount: int) -> dict[dt.date, int]:
    """The first ``amount`` micro-hours of the range, day by day (for an ask given in hours)."""
    out: dict[dt.date, int] = {}
    for d, m in sorted(days.items()):
        if amount <= 0:
            break
        out[d] = min(m, amount)
        amount -= out[d]
    return out


def _allot(asked: dict[dt.date, int], allowed: int, own: dict[dt.date, int] | None) -> dict[dt.date, int]:
    """``allowed`` micro-hours over the days asked: on ``own`` first (the days the leave itself covers), the rest
    on the hours asked that are left, first days first."""
    if own is None:
        return _take_first(asked, allowed)
    first = _take_first({d: min(m, asked.get(d, 0)) for d, m in own.items()}, allowed)
    left = {d: m - first.get(d, 0) for d, m in asked.items() if m > first.get(d, 0)}
    out = dict(first)
    for d, m in _take_first(left, allowed - sum(first.values())).items():
        out[d] = out.get(d, 0) + m
    return out


def cap_per_year(days: dict[dt.date, int], cap: int, used_in_first_year: int, whole_days: bool = False) -> dict[dt.date, int]:
    """Hours of each day that fit under a calendar-year cap (usage restarts on 1 January): ``cap_total``
    for each year, the first year's room reduced by the usage so far."""
    years = sorted({d.year for d in days})
    out: dict[dt.date, int] = {}
    for y in years:
        room = cap - used_in_first_year if y == years[0] else cap
        out.update(cap_total({d: m for d, m in days.items() if d.year == y}, room, whole_days))
    return out


def cap_total(days: dict[dt.date, int], room: int, whole_days: bool = False) -> dict[dt.date, int]:
    """Hours of each day that fit under a total of ``room`` micro-hours, in date order."""
    out: dict[dt.date, int] = {}
    for d, m in sorted(days.items()):
        take = min(m, max(room, 0))
        if whole_days and take < m:
            take = 0
        if take:
            out[d] = take
            room -= take
    return out

