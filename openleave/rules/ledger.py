"""Pure ledger arithmetic: append-only entries in integer micro-hours, balances as sums, and
``simulate`` — the cited entries the contract produces for one employee over time.

A balance is never stored: it is the sum of the entries of one leave type effective on or before
a day (``balance``). Corrections are reversals plus new entries; an entry is identified by its
idempotency ``key``, so posting the same run twice changes nothing (``append_idempotent``).

Readings of the contract (also in docs/scenarios.md):

* **Credits are used oldest first (FIFO).** Leave taken, and a negative adjustment, consume the
  oldest remaining credit of that leave type. This decides what is forfeited.
* **Vacation forfeiture, Sec. 9.8.** "Unused vacation leave earned during the previous two (2)
  vacation years can be carried over …; annual earned vacation leave credit not used by the last
  full pay period inclusive of December 31 of the second year it was earned will be forfeited."
  Credit earned in vacation year Y (Sec. 9.1) may be used through vacation years Y+1 and Y+2;
  what is left of it at the end of vacation year Y+2 (the last day of the last pay period
  including December 31 of Y+2) is forfeited. An opening balance or transfer counts as earned in
  the vacation year of its date unless the event says ``earned_year`` (its vintage): a migrated employee
  opens with one balance per leave type and vintage (two or three vacation years), each kept apart.
* **Personal leave and the emergency day** credited for year Y and not taken by the last Saturday
  prior to the first full pay period in January of Y+1 are forfeited that day (Sec. 8.2.B, MOU
  Regarding State of Emergency). Only when an event records that the operational needs of the
  Department/Agency prevented use in November and December do ``personal.carry_over_days`` days
  of personal leave (a day by the title, pro rata for part-time — Sec. 8.9) carry over; the
  carried days are used first and are forfeited at the end of the next year if still unused.
* **Where the ledger starts.** At the first opening balance if there is one (it is the balance at
  the start of that day), otherwise at the service start; pay periods that end before the
  agreement's parameters are in force (their first dated value) are not credited (give an opening balance).
* Credits are effective on the last day of their pay period ("at the end of each pay period",
  Sec. 9.2.A); annual credits on the first day of the first full pay period in January.
* Leave cannot be taken beyond the balance (Sec. 8.1.N); ``simulate`` refuses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .accrual import (
    day_micro,
    emergency_credit,
    employed_in,
    in_service,
    period_scheduled_micro,
    personal_credit,
    scheduled_micro,
    sick_accrual,
    unpaid_leave_accrual_until,
    vacation_accrual,
)
from .calendar import (
    PayPeriod,
    annual_forfeiture_date,
    period_containing,
    periods_between,
    vacation_year,
    vacation_year_of,
)
from .decision import Decision, merge_citations
from .facts import EmployeeFacts
from .params import ParameterError, ParameterTree, default_tree, figure
from .units import MICRO, hours_str, to_micro

# The ledger's leave types by the rules' names: the credits of rules/requests, comp time (Sec. 7.2.G) and the
# compensatory days for holidays (Sec. 10.3-10.5). Only vacation, personal leave and the emergency day forfeit at a
# year end; a compensatory day expires on its own date instead (``openleave.rules.comp``).
LEAVE_TYPES = ("sick", "vacation", "personal", "emergency_day", "comp_time", "holiday")
ACCRUED_LEAVE = ("sick", "vacation")
ANNUAL_LEAVE = ("personal", "emergency_day")
KINDS = ("opening", "transfer_in", "restored", "annual_credit", "accrual", "earned", "adjustment", "conversion",
         "usage", "payout", "reversal", "forfeiture", "expiry")  # the order of a day's entries
_RANK = {k: i for i, k in enumerate(KINDS)}
MADE_BY = "openleave.rules.ledger.simulate"


@dataclass(frozen=True)
class Entry:
    """One append-only ledger line. ``amount`` is signed micro-hours (credits +, debits −)."""

    kind: str
    leave: str
    amount: int
    effective: dt.date
    period_start: dt.date | None
    cause: str
    citations: tuple[str, ...]
    key: str
    vintage: int | None = None  # the year a credit was earned (or a forfeiture forfeits)
    made_by: str = MADE_BY

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown entry kind {self.kind!r}")
        if self.leave not in LEAVE_TYPES:
            raise ValueError(f"unknown leave type {self.leave!r}")
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError("amount must be int micro-hours")


def sort_key(e: Entry) -> tuple:
    return (e.effective, _RANK[e.kind], e.key)


def balance(entries: Iterable[Entry], leave: str, on: dt.date) -> int:
    """The balance of ``leave`` at the end of day ``on``: the sum of its entries effective by then."""
    return sum(e.amount for e in entries if e.leave == leave and e.effective <= on)


def balance_decision(entries: Sequence[Entry], leave: str, on: dt.date) -> Decision:
    lines = [e for e in entries if e.leave == leave and e.effective <= on]
    total = sum(e.amount for e in lines)
    by_kind: dict[str, int] = {}
    for e in lines:
        by_kind[e.kind] = by_kind.get(e.kind, 0) + e.amount
    parts = ", ".join(f"{k} {hours_str(v)} h" for k, v in sorted(by_kind.items(), key=lambda kv: _RANK[kv[0]]))
    reasons = (f"{leave} balance at the end of {on}: the sum of {len(lines)} ledger entries ({parts or 'none'}) = {hours_str(total)} h",)
    return Decision(total, merge_citations(*(e.citations for e in lines)), reasons)


def append_idempotent(existing: Sequence[Entry], new: Iterable[Entry]) -> list[Entry]:
    """Post ``new`` entries onto ``existing``, skipping keys already posted. A key posted with a
    different amount is an error: correct it with a reversal and a new entry, never an edit."""
    posted = {e.key: e for e in existing}
    out = list(existing)
    for e in new:
        if e.key in posted:
            if posted[e.key].amount != e.amount:
                raise ValueError(f"entry {e.key} already posted with another amount; post a reversal instead")
            continue
        posted[e.key] = e
        out.append(e)
    return out


def reversal(entry: Entry, on: dt.date, cause: str) -> Entry:
    """The entry that cancels ``entry`` (corrections are reversals plus new entries)."""
    return Entry("reversal", entry.leave, -entry.amount, on, entry.period_start, cause, entry.citations,
                 f"reversal:{entry.key}", entry.vintage)


# --- events: the dated facts a simulation consumes --------------------------------------------


@dataclass(frozen=True)
class OpeningBalance:
    on: dt.date
    leave: str
    hours: int  # micro-hours
    earned_year: int | None = None
    cite: str = "opening balance"


@dataclass(frozen=True)
class TransferIn:
    """Credits transferred from a prior governmental employer (Sec. 8.1.R, 9.17)."""

    on: dt.date
    leave: str
    hours: int
    cite: str = ""
    earned_year: int | None = None


@dataclass(frozen=True)
class HoursPaid:
    """The hours paid in the pay period that includes ``day`` (Sec. 8.1.D, 9.3)."""

    day: dt.date
    hours: int


@dataclass(frozen=True)
class UnpaidHours:
    """Hours of leave or absence without pay in the pay period that includes ``day``."""

    day: dt.date
    hours: int


@dataclass(frozen=True)
class LeaveTaken:
    on: dt.date
    leave: str
    hours: int
    purpose: str = ""


@dataclass(frozen=True)
class Adjustment:
    on: dt.date
    leave: str
    hours: int  # signed
    reason: str
    cite: str


@dataclass(frozen=True)
class UnpaidLeave:
    kind: str  # family_medical | non_fmla_family | other
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class PersonalCarryOver:
    """Operational needs prevented use of personal leave in November and December of ``year`` (Sec. 8.2.B)."""

    year: int
    reason: str = ""


class InsufficientBalance(ValueError):
    """Leave taken beyond the balance (Sec. 8.1.N). ``event`` is the offending event."""

    def __init__(self, message: str, event: object):
        super().__init__(message)
        self.event = event


# --- accrual inputs per period ----------------------------------------------------------------


def _in_period(events: Sequence[object], cls: type, period: PayPeriod) -> list:
    return [e for e in events if isinstance(e, cls) and e.day in period]


def period_hours(facts: EmployeeFacts, events: Sequence[object], period: PayPeriod, leave: str, tree: ParameterTree) -> tuple[int, list[str], list[str]]:
    """Hours paid (or credited for accrual) in ``period`` for ``leave``: (micro-hours, citations, reasons).

    Base: the scheduled hours (for vacation only of days in service — Sec. 9.2.B), or the payroll's
    ``hours_paid``; minus ``unpaid_hours`` and the scheduled hours of unpaid-leave days; plus back
    the days of an unpaid leave on which accrual continues (Sec. 8.7.2.A.6)."""
    base = period_scheduled_micro(facts, period, only_in_service=(leave == "vacation"))
    paid_events = _in_period(events, HoursPaid, period)
    paid = sum(e.hours for e in paid_events) if paid_events else base
    paid -= sum(e.hours for e in _in_period(events, UnpaidHours, period))
    cites: list[str] = []
    reasons: list[str] = []
    for ul in (e for e in events if isinstance(e, UnpaidLeave)):
        days = [d for d in period.days() if ul.start <= d <= ul.end and in_service(facts, d)]
        if not days:
            continue
        until = unpaid_leave_accrual_until(ul.kind, ul.start, ul.end, tree)
        unpaid = sum(scheduled_micro(facts, d) for d in days)
        credited = sum(scheduled_micro(facts, d) for d in days if until.value and d <= until.value)
        if not paid_events:
            paid -= unpaid
        paid += credited
        cites.extend(until.citations)
        reasons.append(f"{until.reasons[0]}: in this period {hours_str(unpaid)} scheduled hours unpaid, "
                       f"{hours_str(credited)} of them still count for accrual")
    return max(0, min(paid, base)), cites, reasons


def period_accrual(facts: EmployeeFacts, events: Sequence[object], period: PayPeriod, leave: str, tree: ParameterTree) -> Decision:
    """The sick or vacation credit for ``period`` given the events (value: micro-hours)."""
    if leave not in ACCRUED_LEAVE:
        raise ValueError(f"{leave} leave is not accrued per pay period (it is credited each January)")
    hours, cites, reasons = period_hours(facts, events, period, leave, tree)
    rule = sick_accrual if leave == "sick" else vacation_accrual
    d = rule(facts, period, tree, hours_paid=hours)
    return Decision(d.value, merge_citations(d.citations, cites), d.reasons + tuple(reasons), extra=d.extra)


# --- simulation -------------------------------------------------------------------------------


def ledger_start(facts: EmployeeFacts, events: Sequence[object]) -> dt.date:
    """Readings: the first opening balance if any, else the service start."""
    openings = [e.on for e in events if isinstance(e, OpeningBalance)]
    return min(openings) if openings else facts.service_start


def _accrual_entries(facts, events, begin, until, tree) -> list[Entry]:
    out = []
    for period in periods_between(begin, until, tree=tree):
        if period.end > until or period.end < begin or not employed_in(facts, period):
            continue
        for leave in ACCRUED_LEAVE:
            try:
                d = period_accrual(facts, events, period, leave, tree)
            except ParameterError:
                continue  # before the agreement's parameters are in force
            if d.value:
                out.append(Entry("accrual", leave, d.value, period.end, period.start, " ".join(d.reasons), d.citations,
                                 f"accrual:{leave}:{period.start}", period.vacation_year))
    return out


def _annual_entries(facts, begin, until, tree) -> list[Entry]:
    out = []
    for year in range(begin.year, until.year + 1):
        for leave, rule in (("personal", personal_credit), ("emergency_day", emergency_credit)):
            try:
                d = rule(facts, year, tree)
            except ParameterError:
                continue
            eff = d.extra["effective"]
            if d.value and begin <= eff <= until:
                out.append(Entry("annual_credit", leave, d.value, eff, period_containing(eff, tree=tree).start, " ".join(d.reasons),
                                 d.citations, f"annual_credit:{leave}:{year}", year))
    return out


def _event_entries(events: Sequence[object], tree: ParameterTree) -> list[tuple[Entry, object]]:
    out = []
    for i, ev in enumerate(events):
        if isinstance(ev, OpeningBalance):
            e = Entry("opening", ev.leave, ev.hours, ev.on, period_containing(ev.on, tree=tree).start, f"opening balance on {ev.on}",
                      (ev.cite,), f"opening:{ev.leave}:{ev.on}" + (f":{ev.earned_year}" if ev.earned_year is not None else ""),
                      _vintage(ev.leave, ev.on, ev.earned_year, tree))
        elif isinstance(ev, TransferIn):
            cite = ev.cite or ("Sec. 8.1.R" if ev.leave == "sick" else "Sec. 9.17")
            e = Entry("transfer_in", ev.leave, ev.hours, ev.on, period_containing(ev.on, tree=tree).start,
                      f"credits transferred from a prior governmental employer on {ev.on}", (cite,),
                      f"transfer_in:{ev.leave}:{ev.on}:{i}", _vintage(ev.leave, ev.on, ev.earned_year, tree))
        elif isinstance(ev, LeaveTaken):
            e = Entry("usage", ev.leave, -ev.hours, ev.on, period_containing(ev.on, tree=tree).start,
                      f"{ev.leave} leave taken on {ev.on}" + (f" ({ev.purpose})" if ev.purpose else ""),
                      (USAGE_CITES[ev.leave],), f"usage:{ev.leave}:{ev.on}:{i}")
        elif isinstance(ev, Adjustment):
            e = Entry("adjustment", ev.leave, ev.hours, ev.on, period_containing(ev.on, tree=tree).start, f"adjustment: {ev.reason}",
                      (ev.cite,), f"adjustment:{ev.leave}:{ev.on}:{i}", _vintage(ev.leave, ev.on, None, tree) if ev.hours > 0 else None)
        else:
            continue
        out.append((e, ev))
    return out


USAGE_CITES = {"sick": "Sec. 8.1.F", "vacation": "Sec. 9.10", "personal": "Sec. 8.2.B", "emergency_day": "MOU Regarding State of Emergency",
               "comp_time": "Sec. 7.2.G", "holiday": "Art. 10"}


def vintage_of(leave: str, on: dt.date, earned_year: int | None = None, tree: ParameterTree | None = None) -> int:
    """The year a credit dated ``on`` counts as earned in: ``earned_year`` if given, else for vacation the
    vacation year of the day (Sec. 9.1, 9.8), for the other leave types the calendar year."""
    return _vintage(leave, on, earned_year, tree or default_tree())


def _vintage(leave: str, on: dt.date, earned_year: int | None, tree: ParameterTree) -> int:
    if earned_year is not None:
        return earned_year
    return vacation_year_of(on, tree=tree) if leave == "vacation" else on.year


class _Lots:
    """Remaining credit of one leave type by the year it was earned; debits use the oldest first."""

    def __init__(self) -> None:
        self.lots: dict[int, int] = {}
        self.deficit = 0

    def total(self) -> int:
        return sum(self.lots.values()) - self.deficit

    def credit(self, year: int, amount: int) -> None:
        repay = min(self.deficit, amount)
        self.deficit -= repay
        if amount - repay:
            self.lots[year] = self.lots.get(year, 0) + amount - repay

    def debit(self, amount: int, only: Iterable[int] | None = None) -> int:
        """Take ``amount`` oldest first (from the years in ``only`` if given); return the shortfall."""
        for year in sorted(self.lots if only is None else [y for y in only if y in self.lots]):
            take = min(self.lots[year], amount)
            self.lots[year] -= take
            amount -= take
            if not self.lots[year]:
                del self.lots[year]
        return amount


def _checkpoints(begin: dt.date, until: dt.date, tree: ParameterTree) -> list[tuple[dt.date, str, int]]:
    out = []
    for year in range(begin.year - 1, until.year + 1):
        for leave in ANNUAL_LEAVE:
            out.append((annual_forfeiture_date(year, tree=tree), leave, year))
        out.append((vacation_year(year, tree=tree)[1], "vacation", year))
    return sorted((c for c in out if begin <= c[0] <= until), key=lambda c: (c[0], c[1]))


def _forfeiture(facts, events, lots: _Lots, leave: str, year: int, on: dt.date, tree) -> Entry | None:
    if leave == "vacation":
        last_doomed = year - int(tree.get("vacation.carry_over_years", on).value)
        doomed = [y for y in lots.lots if y <= last_doomed]
        amount = sum(lots.lots[y] for y in doomed)
        cite = "Sec. 9.8"
        cause = (f"vacation earned in vacation year {last_doomed} and not used by the last pay period including "
                 f"December 31 of {year} ({on}), {year - last_doomed} vacation years after it was earned: "
                 f"{hours_str(amount)} h forfeited")
        carry = 0
    else:
        doomed = [y for y in lots.lots if y <= year]
        carry = 0
        carry_days = tree.get("personal.carry_over_days", on).value
        if leave == "personal" and any(isinstance(e, PersonalCarryOver) and e.year == year for e in events):
            carry = min(lots.lots.get(year, 0), to_micro(carry_days) * day_micro(facts, tree, on).value // MICRO)
        amount = sum(lots.lots[y] for y in doomed) - carry
        cite = "Sec. 8.2.B" if leave == "personal" else "MOU Regarding State of Emergency"
        cause = (f"{leave} leave not taken by {on}, the last Saturday prior to the first full pay period in January "
                 f"{year + 1}: {hours_str(amount)} h forfeited")
        if carry:
            cause += (f"; operational needs prevented use in November and December {year}: "
                      f"{figure(carry_days)} day(s) ({hours_str(carry)} h) carried over to {year + 1}")
    if amount <= 0:
        return None
    for y in sorted(doomed):
        take = lots.lots[y] - (carry if y == year else 0)
        lots.debit(take, only=[y])
    return Entry("forfeiture", leave, -amount, on, period_containing(on, tree=tree).start, cause, (cite,),
                 f"forfeiture:{leave}:{year}", year)


def simulate(facts: EmployeeFacts, events: Sequence[object], until: dt.date, tree: ParameterTree, strict: bool = True) -> list[Entry]:
    """Every cited ledger entry for one employee from the ledger start (see module readings) to
    the end of ``until``, in order: opening balances, transfers, January credits, per-period
    accruals, adjustments, leave taken and the year-end forfeitures. Deterministic: running it
    again gives the same entries with the same keys."""
    begin = ledger_start(facts, events)
    base = _accrual_entries(facts, events, begin, until, tree) + _annual_entries(facts, begin, until, tree)
    source: dict[str, object] = {}
    for e, ev in _event_entries(events, tree):
        if e.effective <= until:
            base.append(e)
            source[e.key] = ev
    return with_forfeitures(facts, events, base, begin, until, tree, strict, source)


def with_forfeitures(facts: EmployeeFacts, events: Sequence[object], entries: Iterable[Entry], begin: dt.date,
                     until: dt.date, tree: ParameterTree, strict: bool = False,
                     source: dict[str, object] | None = None) -> list[Entry]:
    """``entries`` (no forfeitures among them) in order, with the year-end forfeitures (Sec. 9.8, 8.2.B, MOU)
    of every year end from ``begin`` to ``until`` inserted where they fall: each credit is kept by its
    ``vintage``, debits use the oldest first. ``simulate`` uses it; so does the app, over its ledger rows."""
    base = sorted(entries, key=sort_key)
    lots = {leave: _Lots() for leave in LEAVE_TYPES}
    out: list[Entry] = []
    checks = _checkpoints(begin, until, tree)
    ci = 0
    for e in base:
        while ci < len(checks) and checks[ci][0] < e.effective:
            _apply_checkpoint(facts, events, lots, checks[ci], tree, out)
            ci += 1
        _apply(e, lots[e.leave], source or {}, strict)
        out.append(e)
    for check in checks[ci:]:
        _apply_checkpoint(facts, events, lots, check, tree, out)
    return out


def _apply(e: Entry, lots: _Lots, source: dict[str, object], strict: bool) -> None:
    if e.amount >= 0:
        lots.credit(e.vintage if e.vintage is not None else e.effective.year, e.amount)
        return
    short = lots.debit(-e.amount)
    if short and e.kind == "usage" and strict:
        have = -e.amount - short
        raise InsufficientBalance(
            f"{hours_str(-e.amount)} h of {e.leave} leave taken on {e.effective} exceeds the balance of {hours_str(have)} h "
            f"(Sec. 8.1.N: no leave in excess of the credits)", source.get(e.key))
    lots.deficit += short


def _apply_checkpoint(facts, events, lots, check, tree, out) -> None:
    on, leave, year = check
    try:
        f = _forfeiture(facts, events, lots[leave], leave, year, on, tree)
    except ParameterError:
        return
    if f is not None:
        out.append(f)
