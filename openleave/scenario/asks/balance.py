"""``balance: {leave, on: DATE}`` — the balance at the end of the day: the sum of the ledger."""

from __future__ import annotations

from openleave.rules.decision import Decision
from openleave.rules.ledger import balance_decision, ledger_start

from ..schema import DATE, LEAVE, obj
from . import Ask, arg_date, refuse, register


def _answer(args, ctx, path):
    on = arg_date(args, "on", path)
    if on < ctx.facts.service_start:
        raise refuse((*path, "on"), f"{on} is before service_start {ctx.facts.service_start}")
    d = balance_decision(ctx.entries(), args["leave"], on)
    start = ledger_start(ctx.facts, ctx.events)
    since = ctx.tree.history("sick.accrual_full_time")[0].since
    notes = ()
    if start < since:
        notes = (f"no credits before {since} (the agreement's first dated values); give an opening_balance event "
                 f"for earlier history",)
    return Decision(d.value, d.citations, d.reasons + notes)


register(Ask(
    name="balance",
    schema=obj({"leave": LEAVE, "on": DATE}, ("leave", "on"), "the balance at the end of the day"),
    answer=_answer,
    horizon=lambda args, path: arg_date(args, "on", path),
))
