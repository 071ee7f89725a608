"""The leave planner: the projected balance of every leave type, day by day, if the planned leave were taken —
nothing is submitted, nothing written. Pure: no Django, no clock (``today`` and ``now`` come in as arguments).

``project`` takes the employee's facts, the ledger's entries as they stand (``rules.ledger.Entry``; the shell's
``ledger.selectors.core_entries``), the requests awaiting a decision (``Pending``: what they hold, dated on their
first day, where the ledger will debit them once approved) and the planned leave (``PlannedLeave`` rows), and
adds what the contract will credit and take before the last day asked:

* the accrual of every pay period not yet credited — sick (Sec. 8.1.A/B) and vacation (Sec. 9.2), each on the
  last day of its period, the vacation band by the years of service in that period (Sec. 9.4: a higher band
  starts in the pay period that includes July 1 of the fiscal year it is reached);
* the January credits of personal leave (Sec. 8.2.A/B) and the emergency day (MOU Regarding State of
  Emergency) not yet credited;
* each planned row, checked by the request rules (``rules.requests.check_request``: balance Sec. 8.1.N, notice,
  caps, …) against the projected balance available on its first day — after the earlier rows and the pending
  requests, less what is already booked or held after it, as the app's request check counts it — and, for what
  the rules allow, debited on its first day (the ledger debits a request on its first day when it is decided);
* the year-end forfeitures (Sec. 9.8 vacation, oldest credit first; Sec. 8.2.B personal leave; the MOU emergency
  day) by the ledger's own ``with_forfeitures`` over all of it.

Readings: future pay is assumed to be the scheduled hours (no unpaid hours are projected); a forfeiture already
posted in the ledger is kept as posted and not computed again; credits that are not projected (compensatory
time) are taken as given in ``other_balances``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from .accrual import emergency_credit, personal_credit
from .calendar import PayPeriod, annual_forfeiture_date, period_containing, periods_between, vacation_year
from .facts import EmployeeFacts
from .ledger import (
    ACCRUED_LEAVE,
    LEAVE_TYPES,
    USAGE_CITES,
    Entry,
    period_accrual,
    sort_key,
    with_forfeitures,
)
from .params import ParameterError, ParameterTree
from .requests import KINDS, LeaveAsk, RequestContext, RequestError, check_request
from .requests.registry import Earlier, usage
from .units import InexactHours, hours_str

MADE_BY = "openleave.rules.planner.project"
PROJECTED_KINDS = ("accrual", "annual_credit", "usage", "forfeiture")


@dataclass(frozen=True)
class PlannedLeave:
    """One row of a plan: a kind of leave request over whole days ``start``..``end`` (inclusive), optionally
    ``hours`` (micro-hours) when less than the scheduled hours, and the kind's facts (``LeaveAsk`` fields)."""

    kind: str
    start: dt.date
    end: dt.date
    hours: int | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""


@dataclass(frozen=True)
class Pending:
    """A request awaiting a decision: what it holds per leave type (micro-hours), from its first day."""

    start: dt.date
    holds: Mapping[str, int]
    label: str = ""


@dataclass(frozen=True)
class RowResult:
    """What the request rules say about one planned row, and what it would take from each balance."""

    index: int
    row: PlannedLeave
    outcome: str  # allowed | partly_allowed | needs_decision | not_allowed | refused (the rules cannot check it)
    requested: int
    allowed: int
    charges: tuple[tuple[str, int], ...]
    available: Mapping[str, int]  # the projected balances the rules were given
    citations: tuple[str, ...]
    reasons: tuple[str, ...]
    stops: tuple[tuple[str, str], ...]  # (what would stop it, citation)
    protected: bool = False  # a protected kind (Sec. 8.12, sick family care): others see only ``visible_kind``
    visible_kind: str = ""

    @property
    def stopped(self) -> bool:
        return bool(self.stops)

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.index, "kind": self.row.kind, "start": self.row.start.isoformat(), "end": self.row.end.isoformat(),
            "label": self.row.label, "outcome": self.outcome,
            "requested": hours_str(self.requested), "allowed": hours_str(self.allowed),
            "charges": {t: hours_str(m) for t, m in self.charges},
            "available": {t: hours_str(m) for t, m in self.available.items()},
            "citations": list(self.citations), "reasons": list(self.reasons),
            "stops": [{"text": t, "cite": c} for t, c in self.stops], "stopped": self.stopped,
        }


@dataclass(frozen=True)
class Change:
    """One ledger line (posted or projected) on a day of the projection."""

    entry: Entry
    projected: bool

    def as_json(self) -> dict[str, Any]:
        e = self.entry
        return {"leave": e.leave, "kind": e.kind, "hours": hours_str(e.amount), "cause": e.cause,
                "citations": list(e.citations), "projected": self.projected}


@dataclass(frozen=True)
class Projection:
    """The projected ledger from ``start`` to ``until``: ``opening`` balances at the start of ``start``,
    the days on which something changes (a balance holds until the next listed day), each planned row's
    finding, the forfeitures to come, and notes (the Sec. 9.4 band change)."""

    start: dt.date
    until: dt.date
    opening: Mapping[str, int]
    entries: tuple[tuple[Entry, bool], ...]  # every entry through ``until``, in order; True = projected
    rows: tuple[RowResult, ...]
    notes: tuple[tuple[str, str], ...]
    leaves: tuple[str, ...] = LEAVE_TYPES

    def balance(self, leave: str, on: dt.date) -> int:
        """The projected balance of ``leave`` at the end of day ``on``."""
        return sum(e.amount for e, _ in self.entries if e.leave == leave and e.effective <= on)

    def balances(self, on: dt.date) -> dict[str, int]:
        return {leave: self.balance(leave, on) for leave in self.leaves}

    def citations(self, leave: str, on: dt.date) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for e, _ in self.entries if e.leave == leave and e.effective <= on for c in e.citations))

    def days(self) -> list[tuple[dt.date, dict[str, int], list[Change]]]:
        """(day, balances at its end, its changes) for each day from ``start`` to ``until`` with a change."""
        running = dict(self.opening)
        out: list[tuple[dt.date, dict[str, int], list[Change]]] = []
        for e, projected in self.entries:
            if e.effective < self.start:
                continue
            running[e.leave] = running.get(e.leave, 0) + e.amount
            if not out or out[-1][0] != e.effective:
                out.append((e.effective, {}, []))
            out[-1][2].append(Change(e, projected))
            out[-1][1].update(running)
        for i, (day, bal, ch) in enumerate(out):
            out[i] = (day, {leave: bal.get(leave, 0) for leave in self.leaves}, ch)
        return out

    def forfeitures(self) -> list[Entry]:
        """The forfeitures dated from ``start`` on (posted or projected)."""
        return [e for e, _ in self.entries if e.kind == "forfeiture" and e.effective >= self.start]

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(), "until": self.until.isoformat(),
            "opening": {k: hours_str(v) for k, v in self.opening.items()},
            "days": [{"date": d.isoformat(), "balances": {k: hours_str(v) for k, v in bal.items()},
                      "changes": [c.as_json() for c in ch]} for d, bal, ch in self.days()],
            "forfeitures": [{"date": e.effective.isoformat(), "leave": e.leave, "hours": hours_str(-e.amount),
                             "vintage": e.vintage, "cause": e.cause, "citations": list(e.citations)}
                            for e in self.forfeitures()],
            "rows": [r.as_json() for r in self.rows],
            "notes": [{"text": t, "cite": c} for t, c in self.notes],
        }


class PlanError(ValueError):
    """A plan that cannot be projected as given; ``field`` names the row and key (``rows[2].end``)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message, self.field = message, field


def horizon(today: dt.date, rows: Sequence[PlannedLeave], tree: ParameterTree, until: dt.date | None = None) -> dt.date:
    """The last day a projection shows: ``until`` if given, else the later of the last year end (Sec. 9.1 vacation
    year end; the Sec. 8.2.B / MOU forfeiture day) of the calendar year of the last day planned (or today)."""
    if until is not None:
        return until
    last = max([today, *(r.end for r in rows)])
    return max(vacation_year(last.year, tree=tree)[1], annual_forfeiture_date(last.year, tree=tree))


def project(facts: EmployeeFacts, entries: Sequence[Entry], *, today: dt.date, rows: Sequence[PlannedLeave] = (),
            pending: Sequence[Pending] = (), tree: ParameterTree, until: dt.date | None = None,
            context: RequestContext | None = None, earlier: Mapping[str, Sequence[Earlier]] | None = None,
            covered: Mapping[dt.date, str] | None = None, other_balances: Mapping[str, int] | None = None,
            now: dt.datetime | None = None, events: Sequence[object] = ()) -> Projection:
    """The projection (see the module). ``entries``: the ledger as it stands, any dates; ``context``: the
    organisation's request context (holidays in the range, auto-approval, state of emergency, …) whose
    balances and usage are replaced row by row; ``earlier``: the live requests by kind (their usage counts
    against caps, and so do the earlier rows); ``covered``: days a live request already covers (date → its
    label); ``now``: when the request would be submitted (notice rules)."""
    until = horizon(today, rows, tree, until)
    base = [e for e in entries if e.kind != "forfeiture" and e.effective <= until]
    posted_forfeitures = [e for e in entries if e.kind == "forfeiture" and e.effective <= until]
    projected = _accruals(facts, entries, today, until, tree) + _annual(facts, entries, today, until, tree)
    notes = _band_notes(facts, projected, tree)
    held = [e for i, p in enumerate(pending) for e in _hold(p, i, tree) if e.effective <= until]
    begin = min([e.effective for e in base + projected + held] + [facts.service_start])
    ctx0 = context or RequestContext()
    earlier = {k: list(v) for k, v in (earlier or {}).items()}
    covered = dict(covered or {})
    others = dict(other_balances or {})
    planned: list[Entry] = []
    results: list[RowResult] = []
    for i, row in sorted(enumerate(rows), key=lambda ir: (ir[1].start, ir[0])):
        so_far = _run(facts, base + projected + held + planned, posted_forfeitures, begin, until, tree, events)
        available = _available(so_far, row.start)
        available.update({k: v - sum(m for r in results for t, m in r.charges if t == k) for k, v in others.items()})
        result = _check(facts, row, i, available, ctx0, earlier, covered, tree, now)
        results.append(result)
        for t, m in result.charges:
            if t in LEAVE_TYPES and m:
                planned.append(Entry("usage", t, -m, row.start, period_containing(row.start, tree=tree).start,
                                     f"planned: {_row_text(row)}", (USAGE_CITES[t],), f"plan:{i}:{t}", None, MADE_BY))
        if result.allowed:
            earlier.setdefault(row.kind, []).append(
                Earlier(dict(row.facts), dict(result.charges), row.start, tuple(d for d in _days(row) if d not in covered)))
            for d in _days(row):
                covered.setdefault(d, f"planned row {i + 1}")
    final = _run(facts, base + projected + held + planned, posted_forfeitures, begin, until, tree, events)
    marks = {e.key for e in projected + held + planned}
    ordered = tuple((e, e.key in marks or (e.kind == "forfeiture" and e not in posted_forfeitures)) for e in final)
    opening = {leave: sum(e.amount for e, _ in ordered if e.leave == leave and e.effective < today) for leave in LEAVE_TYPES}
    return Projection(today, until, opening, ordered, tuple(sorted(results, key=lambda r: r.index)), tuple(notes))


# --- the parts ----------------------------------------------------------------------------------------------


def _run(facts, entries, posted_forfeitures, begin, until, tree, events) -> list[Entry]:
    """The entries with the year-end forfeitures inserted; those already posted are kept as posted."""
    done = {(e.leave, e.vintage) for e in posted_forfeitures}
    out = [e for e in with_forfeitures(facts, events, entries, begin, until, tree)
           if not (e.kind == "forfeiture" and (e.leave, e.vintage) in done)]
    return sorted(out + posted_forfeitures, key=sort_key)


def _available(entries: list[Entry], day: dt.date) -> dict[str, int]:
    """What a request starting ``day`` may draw, as the app counts it (``BalanceParts.available``): the
    balance at the end of ``day`` less the debits (booked, held or planned) dated after it."""
    out = {}
    for leave in LEAVE_TYPES:
        on = sum(e.amount for e in entries if e.leave == leave and e.effective <= day)
        later = sum(e.amount for e in entries if e.leave == leave and e.effective > day and e.kind == "usage")
        out[leave] = on + later
    return out


def _accruals(facts: EmployeeFacts, entries: Sequence[Entry], today: dt.date, until: dt.date, tree) -> list[Entry]:
    """The sick and vacation credit of every pay period ending from the first one not yet credited (not before
    the period that includes ``today``) through ``until``."""
    out = []
    for leave in ACCRUED_LEAVE:
        posted = {e.period_start for e in entries if e.kind == "accrual" and e.leave == leave}
        last_end = max((e.effective for e in entries if e.kind == "accrual" and e.leave == leave), default=None)
        first = period_containing(today, tree=tree).start
        if last_end is not None and last_end >= first:
            first = last_end + dt.timedelta(days=1)
        first = max(first, facts.service_start)
        for period in periods_between(first, until, tree=tree):
            if period.end > until or period.start in posted:
                continue
            try:
                d = period_accrual(facts, (), period, leave, tree)
            except ParameterError:
                continue
            if d.value:
                out.append(Entry("accrual", leave, d.value, period.end, period.start, "projected: " + " ".join(d.reasons),
                                 d.citations, f"projected:accrual:{leave}:{period.start}", period.vacation_year, MADE_BY))
    return out


def _annual(facts: EmployeeFacts, entries: Sequence[Entry], today: dt.date, until: dt.date, tree) -> list[Entry]:
    """The January credits (Sec. 8.2.A/B; the MOU emergency day) of each year through ``until`` not yet posted."""
    out = []
    for year in range(today.year, until.year + 1):
        for leave, rule in (("personal", personal_credit), ("emergency_day", emergency_credit)):
            if any(e.kind == "annual_credit" and e.leave == leave and e.vintage == year for e in entries):
                continue
            try:
                d = rule(facts, year, tree)
            except ParameterError:
                continue
            eff = d.extra["effective"]
            if d.value and today <= eff <= until:
                out.append(Entry("annual_credit", leave, d.value, eff, period_containing(eff, tree=tree).start,
                                 "projected: " + " ".join(d.reasons), d.citations, f"projected:annual:{leave}:{year}",
                                 year, MADE_BY))
    return out


def _band_notes(facts: EmployeeFacts, projected: list[Entry], tree) -> list[tuple[str, str]]:
    """Sec. 9.4: the pay period in which a higher vacation band starts, within the projection."""
    notes = []
    prev = None
    for e in (e for e in projected if e.kind == "accrual" and e.leave == "vacation"):
        d = period_accrual(facts, (), PayPeriod(e.period_start, e.effective), "vacation", tree)
        band = d.extra.get("band")
        if prev is not None and band != prev:
            notes.append((f"A higher vacation band starts in the pay period {e.period_start}..{e.effective}: "
                          f"{hours_str(e.amount)} h a period from then ({' '.join(d.reasons[:1])})", "Sec. 9.4"))
        prev = band
    return notes


def _hold(p: Pending, i: int, tree) -> list[Entry]:
    return [Entry("usage", t, -int(m), p.start, period_containing(p.start, tree=tree).start,
                  f"pending: {p.label or 'a request awaiting a decision'}", (USAGE_CITES[t], "Sec. 8.1.N"),
                  f"pending:{i}:{t}", None, MADE_BY) for t, m in p.holds.items() if t in LEAVE_TYPES and m]


def _days(row: PlannedLeave) -> list[dt.date]:
    return [row.start + dt.timedelta(days=n) for n in range((row.end - row.start).days + 1)]


def _row_text(row: PlannedLeave) -> str:
    span = str(row.start) if row.start == row.end else f"{row.start}..{row.end}"
    return f"{row.label or row.kind.replace('_', ' ')} {span}"


def _check(facts, row: PlannedLeave, i: int, available: dict[str, int], ctx0: RequestContext,
           earlier: dict[str, list[Earlier]], covered: dict[dt.date, str], tree, now) -> RowResult:
    def refused(text: str, cite: str) -> RowResult:
        return RowResult(i, row, "refused", 0, 0, (), available, (cite,) if cite else (), (text,), ((text, cite),))

    if row.kind not in KINDS:
        return refused(f"unknown kind of leave {row.kind!r}", "")
    used_hours, used_days, used_event = usage(row.kind, row.start.year, dict(row.facts), earlier.get(row.kind, ()))
    ctx = replace(ctx0, balances=dict(available), used_hours=used_hours, used_days=used_days, used_for_event=used_event,
                  submitted_at=now.replace(tzinfo=None) if now is not None else ctx0.submitted_at,
                  holidays=frozenset(d for d in ctx0.holidays if row.start <= d <= row.end))
    ask = LeaveAsk(kind=row.kind, start=row.start, end=row.end,
                   hours=Decimal(row.hours) / 1_000_000 if row.hours is not None else None, **dict(row.facts))
    try:
        f = check_request(facts, ask, ctx, tree)
    except (RequestError, InexactHours, ParameterError) as exc:
        return refused(str(exc), "")
    stops: list[tuple[str, str]] = []
    clash = sorted({covered[d] for d, _ in f.requested_days if d in covered})
    if clash:
        stops.append((f"these hours are already covered by {', '.join(clash)}: the same scheduled hour is charged only "
                      "once", ""))
    if f.outcome == "not_allowed":
        stops.append(("the contract allows none of it: " + (f.reasons[0] if f.reasons else ""), f.citations[0] if f.citations else ""))
    elif f.allowed_micro < f.requested_micro:
        short = f.requested_micro - f.allowed_micro
        credits = {t for t, _ in f.charges} | ({row.kind} if row.kind in available else set())
        short_of_credit = any(available.get(t, 0) < f.requested_micro for t in credits)
        cite = "Sec. 8.1.N" if short_of_credit else (f.citations[0] if f.citations else "")
        stops.append((f"{hours_str(short)} h of the {hours_str(f.requested_micro)} h asked would not be granted: "
                      + next((r for r in f.reasons if "available" in r or "balance" in r), f.reasons[0] if f.reasons else ""),
                      cite))
    charges = () if clash else tuple(f.charge_totals().items())
    return RowResult(i, row, f.outcome, f.requested_micro, 0 if clash else f.allowed_micro, charges, available,
                     f.citations, f.reasons, tuple(stops), f.protected, f.visible_to_supervisor)
