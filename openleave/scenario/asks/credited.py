"""``credited: {leave, year: YYYY}`` — what was credited for the year: for personal leave and the
emergency day the January credit (or the new-hire credit, Sec. 8.2.A); for sick and vacation the
per-period accruals of vacation year ``year`` (Sec. 9.1)."""

from __future__ import annotations

from openleave.rules.calendar import first_full_period_in_january, vacation_year
from openleave.rules.decision import Decision, merge_citations
from openleave.rules.ledger import ANNUAL_LEAVE
from openleave.rules.units import hours_str

from ..schema import LEAVE, YEAR, obj
from . import Ask, register


def _horizon(args, path):
    if args["leave"] in ("sick", "vacation"):
        return vacation_year(args["year"])[1]
    return first_full_period_in_january(args["year"] + 1).start


def _answer(args, ctx, path):
    leave, year = args["leave"], args["year"]
    if leave in ANNUAL_LEAVE:
        lines = [e for e in ctx.entries() if e.leave == leave and e.kind == "annual_credit" and e.vintage == year]
        if not lines:
            return Decision(0, ("Sec. 8.2.A",) if leave == "personal" else ("MOU Regarding State of Emergency",),
                            (f"no {leave} leave credited for {year}",))
        return Decision(sum(e.amount for e in lines), merge_citations(*(e.citations for e in lines)), tuple(e.cause for e in lines))
    first, last = vacation_year(year)
    lines = [e for e in ctx.entries() if e.leave == leave and e.kind == "accrual" and first <= e.effective <= last]
    total = sum(e.amount for e in lines)
    return Decision(total, merge_citations(("Sec. 9.1",), *(e.citations for e in lines)),
                    (f"{leave} credited in the {len(lines)} pay periods of vacation year {year} ({first}..{last}): {hours_str(total)} h",))


register(Ask(
    name="credited",
    schema=obj({"leave": LEAVE, "year": YEAR}, ("leave", "year"), "what was credited for the year"),
    answer=_answer,
    horizon=_horizon,
))
