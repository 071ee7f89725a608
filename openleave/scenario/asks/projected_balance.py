"""``projected_balance: {leave, on: DATE, today?: DATE, planned?: [{kind, from, to, hours?}]}`` — the leave
planner's answer (``openleave.rules.planner.project``): the balance of ``leave`` at the end of ``on`` if the
planned leave were taken, with what the contract credits before then (the accrual of each pay period, the
Sec. 9.4 band, the January credits) and the year-end forfeitures (Sec. 9.8, 8.2.B, MOU State of Emergency).

The history is the file's events before ``today`` (default: the first day planned, or ``on``); from ``today`` the
planner projects. Each planned row is checked by the request rules against the projected balance on its first
day — with the contract's Art. 10 holidays of those years — and debited, for what they allow, on that first day.
The answer's ``rows`` give each row's outcome, allowed hours, charges and what would stop it (with its
citation); ``forfeitures`` the forfeitures of ``leave`` from ``today`` through ``on`` (``year``: the year end that
forfeits them).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openleave.rules.decision import Decision, merge_citations
from openleave.rules.holidays import contract_holidays
from openleave.rules.ledger import simulate
from openleave.rules.params import ParameterError
from openleave.rules.planner import PlannedLeave, project
from openleave.rules.requests import KINDS, RequestContext
from openleave.rules.units import hours_str, to_micro

from ..schema import DATE, HOURS, LEAVE, obj
from . import Ask, arg_date, refuse, register

MAX_ROWS = 50
ROW = obj({"kind": {"enum": list(KINDS)}, "from": DATE, "to": DATE,
           "hours": {**HOURS, "description": "time off asked when less than the scheduled hours of the range"}},
          ("kind", "from", "to"), "one planned leave: a kind of leave request over whole days")
SCHEMA = obj({"leave": LEAVE, "on": DATE,
              "today": {**DATE, "description": "the day the plan is made: the events before it are the history; "
                                               "default the first day planned, or on"},
              "planned": {"type": "array", "maxItems": MAX_ROWS, "items": ROW}},
             ("leave", "on"), "the leave planner: the projected balance on a day if the planned leave were taken")


def _rows(args, path) -> list[PlannedLeave]:
    out = []
    for i, r in enumerate(args.get("planned", [])):
        rp = (*path, "planned", i)
        start, end = arg_date(r, "from", rp), arg_date(r, "to", rp)
        if end < start:
            raise refuse((*rp, "to"), f"to {end} is before from {start}")
        hours = to_micro(Decimal(str(r["hours"]))) if "hours" in r else None
        out.append(PlannedLeave(r["kind"], start, end, hours, {}, f"planned row {i + 1}"))
    return out


def _today(args, rows, path) -> dt.date:
    if "today" in args:
        return arg_date(args, "today", path)
    return min([r.start for r in rows] + [arg_date(args, "on", path)])


def _answer(args, ctx, path):
    leave, on = args["leave"], arg_date(args, "on", path)
    rows = _rows(args, path)
    today = _today(args, rows, path)
    if today <= ctx.facts.service_start:
        raise refuse((*path, "today"), f"{today} is not after service_start {ctx.facts.service_start}")
    if on < today:
        raise refuse((*path, "on"), f"on {on} is before today {today}: ask balance for the past")
    for i, r in enumerate(rows):
        if r.start < today:
            raise refuse((*path, "planned", i, "from"), f"from {r.start} is before today {today}: a plan is for the future")
    history = simulate(ctx.facts, ctx.events, today - dt.timedelta(days=1), ctx.tree)
    years = range(today.year, max([on, *(r.end for r in rows)]).year + 1)
    try:
        holidays = frozenset(h.date for y in years for h in contract_holidays(y, ctx.tree))
    except ParameterError:
        holidays = frozenset()
    p = project(ctx.facts, history, today=today, rows=rows, tree=ctx.tree, until=max([on, *(r.end for r in rows)]),
                context=RequestContext(holidays=holidays))
    value = p.balance(leave, on)
    start = p.opening[leave]
    lines = [(e, projected) for e, projected in p.entries if e.leave == leave and today <= e.effective <= on]
    sums: dict[str, int] = {}
    for e, _ in lines:
        sums[e.kind] = sums.get(e.kind, 0) + e.amount
    reasons = [f"{leave} balance at the end of {today - dt.timedelta(days=1)} (the history): {hours_str(start)} h"]
    names = {"accrual": "accrued per pay period", "annual_credit": "January credit", "usage": "leave planned, pending or booked",
             "forfeiture": "forfeited at the year end"}
    for kind, amount in sums.items():
        n = sum(1 for e, _ in lines if e.kind == kind)
        reasons.append(f"{names.get(kind, kind)}: {n} line(s), {hours_str(amount)} h")
    reasons.append(f"projected balance at the end of {on}: {hours_str(value)} h")
    notes = [n for n in p.notes if leave == "vacation"]  # the Sec. 9.4 band change
    reasons += [t for t, _ in notes]
    reasons += [e.cause for e, _ in lines if e.kind == "forfeiture"]
    for r in p.rows:
        for text, cite in r.stops:
            reasons.append(f"planned row {r.index + 1} ({r.row.kind} {r.row.start}..{r.row.end}) would be stopped: {text}"
                           + (f" ({cite})" if cite else ""))
    cites = merge_citations(*(e.citations for e, _ in lines), tuple(c for _, c in notes),
                            tuple(c for r in p.rows for _, c in r.stops if c))
    extra = {
        "rows": [{"row": r.index + 1, "kind": r.row.kind, "outcome": r.outcome, "requested_hours": hours_str(r.requested),
                  "allowed_hours": hours_str(r.allowed),
                  "charges": [{"leave": t, "hours": hours_str(m)} for t, m in r.charges],
                  "stopped": r.stopped, "stops": [{"text": t, "cite": c} for t, c in r.stops]} for r in p.rows],
        "forfeitures": [{"date": e.effective.isoformat(), "hours": hours_str(-e.amount), "year": e.vintage,
                         "citations": list(e.citations)} for e, _ in lines if e.kind == "forfeiture"],
    }
    return Decision(value, cites, tuple(reasons), unit="hours", extra={"answer": extra})


def _horizon(args, path):
    return arg_date(args, "on", path)


register(Ask(
    name="projected_balance",
    schema=SCHEMA,
    answer=_answer,
    horizon=_horizon,
    description="the leave planner: the projected balance on a day if the planned leave were taken",
))
