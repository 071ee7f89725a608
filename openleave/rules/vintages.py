"""What remains of each year's credit, and what the year ends will forfeit — from ledger sums by year.

The statements (Sec. 9.8's preliminary statement) and the forfeiture warnings read the ledger of a whole
workforce at once: one query sums the entries of every employee by (leave, year, vintage) instead of loading
each employee's rows. This module does the rest, with the rules core's own arithmetic (``rules.ledger``): credits
kept by vintage, debits used oldest first (``_Lots``), and at each year end the forfeiture ``_forfeiture`` gives
(Sec. 9.8 vacation; Sec. 8.2.B personal leave; the MOU Regarding State of Emergency day).

Readings (also in docs/scenarios.md):

* **The year of an entry** is the year its pay period starts in (``year_of``). The vacation year (Sec. 9.1) is
  the periods that start in that year, and the day personal leave and the emergency day are forfeited (the last
  Saturday prior to the first full pay period in January) is the last day of the last period that starts in it
  too — so one year's sums close at every leave type's year end alike (``year_end``).
* **Within a year, sums stand for the entries.** Credits of the year are added, then its debits taken oldest
  first. That is the core's entry-by-entry result whenever a year's credits are no older than the credits
  before them (accruals and January credits always are); a credit of an older vintage dated after a debit of
  the same year (a back-dated opening balance) would be used before the debit here, after it in the core.
* **A forfeiture already posted** for a year is counted (taken oldest first), not recomputed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from .calendar import annual_forfeiture_date, vacation_year
from .facts import EmployeeFacts
from .ledger import LEAVE_TYPES, PersonalCarryOver, _forfeiture, _Lots
from .params import ParameterError, ParameterTree


@dataclass
class YearSums:
    """One leave type's entries of one year (``year_of``) summed: credits by vintage, other debits (positive
    micro-hours), and a forfeiture already posted for the year (positive micro-hours) if there is one."""

    year: int
    credits: dict[int, int] = field(default_factory=dict)
    debits: int = 0
    posted_forfeiture: int | None = None


@dataclass(frozen=True)
class Forfeiture:
    leave: str
    year: int  # the year end that forfeits it
    on: dt.date
    micro: int  # positive: what is forfeited
    vintages: tuple[int, ...]  # the years it was earned (credited) in
    cite: str
    cause: str
    posted: bool


@dataclass(frozen=True)
class Remaining:
    """The state after the years given: what remains of each vintage (oldest first), an overdraft not yet
    repaid (positive micro-hours), and the forfeitures of the year ends on or before ``until``."""

    leave: str
    by_vintage: dict[int, int]
    deficit: int
    forfeitures: tuple[Forfeiture, ...]

    @property
    def balance(self) -> int:
        return sum(self.by_vintage.values()) - self.deficit


def year_of(period_start: dt.date) -> int:
    """Sec. 9.1: the year an entry counts in — the year its pay period starts in."""
    return period_start.year


def year_end(leave: str, year: int, tree: ParameterTree | None = None) -> dt.date:
    """The day ``year``'s unused credits are forfeited: the last day of vacation year ``year`` for vacation
    (Sec. 9.1, 9.8); the last Saturday prior to the first full pay period in January of ``year + 1`` for
    personal leave and the emergency day (Sec. 8.2.B, MOU Regarding State of Emergency)."""
    if leave == "vacation":
        return vacation_year(year, tree=tree)[1]
    return annual_forfeiture_date(year, tree=tree)


def forfeit_date_of_vintage(leave: str, vintage: int, tree: ParameterTree) -> dt.date:
    """The year end at which what is left of ``vintage``'s credit is forfeited: vacation at the end of the
    ``vacation.carry_over_years``-th vacation year after it was earned (Sec. 9.8); personal leave and the emergency
    day at the end of the year credited (Sec. 8.2.B, MOU)."""
    if leave == "vacation":
        on = vacation_year(vintage, tree=tree)[1]
        return year_end(leave, vintage + int(tree.get("vacation.carry_over_years", on).value), tree)
    return year_end(leave, vintage, tree)


def remaining(leave: str, years: Iterable[YearSums], until: dt.date, tree: ParameterTree, *,
              facts: EmployeeFacts | None = None, carry_over_years: Iterable[int] = ()) -> Remaining:
    """Apply ``years`` (any order; a year missing is a year with no entries) up to the year ends on or before
    ``until``: the credit left by vintage, and each year end's forfeiture (computed by ``rules.ledger``'s own
    ``_forfeiture``, or the one posted). ``carry_over_years``: the years whose Sec. 8.2.B personal carry-over
    was recorded (operational needs prevented use in November and December) — ``facts`` (the employee's, for
    the contract's "day", Sec. 8.9) are then needed; that year end keeps the day carried over."""
    events = tuple(PersonalCarryOver(int(y)) for y in carry_over_years) if leave == "personal" else ()
    if events and facts is None:
        raise ValueError("a personal carry-over needs the employee's facts (the day it keeps, Sec. 8.9)")
    if leave not in LEAVE_TYPES:
        raise ValueError(f"{leave!r} is not kept by vintage (one of {LEAVE_TYPES})")
    by_year = {y.year: y for y in years}
    lots = _Lots()
    out: list[Forfeiture] = []
    if not by_year:
        return Remaining(leave, {}, 0, ())
    for year in range(min(by_year), max(max(by_year), until.year) + 1):
        sums = by_year.get(year)
        if sums is not None:
            for vintage in sorted(sums.credits):
                if sums.credits[vintage]:
                    lots.credit(vintage, sums.credits[vintage])
            if sums.debits:
                lots.deficit += lots.debit(sums.debits)
        try:
            on = year_end(leave, year, tree)
        except ParameterError:
            continue
        if on > until:
            continue
        if sums is not None and sums.posted_forfeiture is not None:
            before = dict(lots.lots)
            lots.deficit += lots.debit(sums.posted_forfeiture)
            taken = tuple(y for y in sorted(before) if lots.lots.get(y, 0) < before[y])
            out.append(Forfeiture(leave, year, on, sums.posted_forfeiture, taken, _cite(leave), "posted", True))
            continue
        before = dict(lots.lots)
        try:
            entry = _forfeiture(facts, events, lots, leave, year, on, tree)
        except ParameterError:
            continue
        if entry is not None:
            taken = tuple(y for y in sorted(before) if lots.lots.get(y, 0) < before[y])
            out.append(Forfeiture(leave, year, on, -entry.amount, taken, entry.citations[0], entry.cause, False))
    return Remaining(leave, dict(sorted(lots.lots.items())), lots.deficit, tuple(out))


def _cite(leave: str) -> str:
    return {"vacation": "Sec. 9.8", "personal": "Sec. 8.2.B"}.get(leave, "MOU Regarding State of Emergency")
