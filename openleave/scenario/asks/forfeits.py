"""``forfeits: {leave, year: YYYY}`` — what is forfeited at the end of ``year``: vacation at the
end of vacation year ``year`` (credit earned two years before, Sec. 9.8); personal leave and the
emergency day credited for ``year``, on the last Saturday prior to the first full pay period of
the next January (Sec. 8.2.B, MOU Regarding State of Emergency)."""

from __future__ import annotations

from openleave.rules.calendar import annual_forfeiture_date, vacation_year
from openleave.rules.decision import Decision

from ..schema import LEAVE, YEAR, obj
from . import Ask, refuse, register

CITES = {"vacation": "Sec. 9.8", "personal": "Sec. 8.2.B", "emergency_day": "MOU Regarding State of Emergency"}


def _day(args):
    return vacation_year(args["year"])[1] if args["leave"] == "vacation" else annual_forfeiture_date(args["year"])


def _horizon(args, path):
    return _day(args) if args["leave"] != "sick" else vacation_year(args["year"])[1]


def _answer(args, ctx, path):
    leave = args["leave"]
    if leave == "sick":
        raise refuse((*path, "leave"), "sick leave is never forfeited (Sec. 8.1.A: no limit to unused sick leave credits)")
    day = _day(args)
    lines = [e for e in ctx.entries() if e.leave == leave and e.kind == "forfeiture" and e.effective == day]
    if not lines:
        return Decision(0, (CITES[leave],), (f"nothing of {leave} leave forfeited on {day}",))
    return Decision(-sum(e.amount for e in lines), (CITES[leave],), tuple(e.cause for e in lines))


register(Ask(
    name="forfeits",
    schema=obj({"leave": LEAVE, "year": YEAR}, ("leave", "year"), "what is forfeited at the end of the year"),
    answer=_answer,
    horizon=_horizon,
))
