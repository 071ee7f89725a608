"""``ledger: {leave, from: DATE, to: DATE}`` — the ledger lines of one leave type effective in the
range, each with its amount, cause, citations, idempotency key and vintage — the year a credit was earned,
or the year a forfeiture closes (value: a list; unit: entries)."""

from __future__ import annotations

from openleave.rules.decision import Decision, merge_citations
from openleave.rules.units import hours_str

from ..schema import DATE, LEAVE, obj
from . import Ask, arg_date, refuse, register


def _answer(args, ctx, path):
    first, last = arg_date(args, "from", path), arg_date(args, "to", path)
    if last < first:
        raise refuse((*path, "to"), f"to {last} is before from {first}")
    lines = [e for e in ctx.entries() if e.leave == args["leave"] and first <= e.effective <= last]
    value = [
        {"date": e.effective.isoformat(), "kind": e.kind, "hours": hours_str(e.amount),
         "pay_period_start": e.period_start.isoformat() if e.period_start else None,
         "cause": e.cause, "citations": list(e.citations), "key": e.key, "vintage": e.vintage}
        for e in lines
    ]
    return Decision(value, merge_citations(*(e.citations for e in lines)),
                    (f"{len(lines)} {args['leave']} ledger entries from {first} to {last}",), unit="entries")


register(Ask(
    name="ledger",
    schema=obj({"leave": LEAVE, "from": DATE, "to": DATE}, ("leave", "from", "to"), "the ledger lines in a date range"),
    answer=_answer,
    horizon=lambda args, path: arg_date(args, "to", path),
))
