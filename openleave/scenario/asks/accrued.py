"""``accrued: {leave: sick|vacation, period_including: DATE}`` — the credit for one pay period
(Sec. 8.1, 9.2–9.6), given the events (hours paid, unpaid hours, unpaid leave)."""

from __future__ import annotations

from openleave.rules.calendar import period_containing
from openleave.rules.ledger import period_accrual

from ..schema import DATE, obj
from . import Ask, arg_date, refuse, register


def _horizon(args, path):
    return period_containing(arg_date(args, "period_including", path)).end


def _answer(args, ctx, path):
    period = period_containing(arg_date(args, "period_including", path))
    if period.end < ctx.facts.service_start:
        raise refuse((*path, "period_including"), f"the pay period {period.start}..{period.end} ends before service_start {ctx.facts.service_start}")
    return period_accrual(ctx.facts, ctx.events, period, args["leave"], ctx.tree)


register(Ask(
    name="accrued",
    schema=obj({"leave": {"enum": ["sick", "vacation"]}, "period_including": DATE}, ("leave", "period_including"),
               "the sick or vacation credit of the pay period that includes the date"),
    answer=_answer,
    horizon=_horizon,
))
