"""Article 10 asks.

``holidays: {year: 2027, designations?: [{name, date, reason?}]}`` — the Sec. 10.1 holidays of the
year as observed (Sec. 10.2): ``value`` is a list of ``{date, name, cite}`` (plus ``observed_from``
when the day moved: a Sunday holiday → the Monday, or an Employer designation).

``holiday_credit: {date, worked, on_leave_without_pay_adjacent?, sick_on_holiday?, sick_hours?,
rostered_for_holiday?, prior_elections_this_year?, waiver_ground?, tardy_hours?, waived?,
scheduled_workday?, designations?}`` — what the employee is credited for the holiday observed on
``date`` (Sec. 10.3–10.9; ``openleave.rules.holidays.holiday_credit``): ``value`` is the hours,
the answer adds ``outcome``, ``paid_as``, ``decided_by``, ``comp_day_by``, ``shortfall_hours``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openleave.rules.decision import Decision
from openleave.rules.holidays import (
    WAIVER_GROUNDS,
    Designation,
    contract_holidays,
    holiday_credit,
    holiday_on,
)
from openleave.rules.units import to_micro

from ..schema import DATE, HOURS, TEXT, YEAR, obj
from . import Ask, arg_date, refuse, register

BOOL = {"type": "boolean"}
DESIGNATIONS = {
    "type": "array",
    "description": "the Employer's alternative days (Sec. 10.2)",
    "items": obj({"name": TEXT, "date": DATE, "year": YEAR, "reason": TEXT}, ("name", "date"),
                 "an alternative day for one holiday; year defaults to the date's year"),
}


def designations_of(args: dict, path: tuple) -> tuple[Designation, ...]:
    out = []
    for i, d in enumerate(args.get("designations", ())):
        p = (*path, "designations", i)
        day = arg_date(d, "date", p)
        out.append(Designation(str(d["name"]), int(d.get("year", day.year)), day, str(d.get("reason", ""))))
    return tuple(out)


def _holidays_answer(args, ctx, path):
    year = args["year"]
    try:
        days = contract_holidays(year, ctx.tree, designations_of(args, path))
    except ValueError as exc:
        raise refuse((*path, "designations"), str(exc)) from None
    moved = [h for h in days if h.observed_from is not None]
    reasons = [f"The {len(days)} holidays of Sec. 10.1, observed on the Commonwealth's legal holiday (Sec. 10.2).",
               "A Sunday holiday is observed on the Monday; a Saturday holiday stays on the Saturday (for a "
               "Monday-Friday employee a day that is not a regular workday: Sec. 10.4).",
               "Juneteenth and Evacuation Day are not holidays of Sec. 10.1."]
    reasons += [f"{h.name}: {h.observed_from} → {h.date}" + (f" ({h.reason})" if h.reason else "") for h in moved]
    return Decision([h.as_dict() for h in days], ("Sec. 10.1", "Sec. 10.2"), tuple(reasons), unit="holidays")


register(Ask(
    name="holidays",
    schema=obj({"year": YEAR, "designations": DESIGNATIONS}, ("year",),
               "the Sec. 10.1 holidays of the year as observed (Sec. 10.2)"),
    answer=_holidays_answer,
    horizon=lambda args, path: dt.date(args["year"], 1, 1),
    description="the contract holidays of a year",
))


def _hours(args: dict, key: str) -> int | None:
    return to_micro(Decimal(str(args[key]))) if key in args else None


def _credit_answer(args, ctx, path):
    day = arg_date(args, "date", path)
    try:
        holiday = holiday_on(day, ctx.tree, designations_of(args, path))
    except ValueError as exc:
        raise refuse((*path, "designations"), str(exc)) from None
    if holiday is None:
        raise refuse((*path, "date"), f"{day} is not a holiday of Sec. 10.1 as observed (Sec. 10.2)")
    return holiday_credit(
        ctx.facts, holiday,
        worked=bool(args["worked"]),
        on_leave_without_pay_adjacent=bool(args.get("on_leave_without_pay_adjacent", False)),
        sick_on_holiday=bool(args.get("sick_on_holiday", False)),
        tree=ctx.tree,
        scheduled_workday=args.get("scheduled_workday"),
        rostered_for_holiday=bool(args.get("rostered_for_holiday", False)),
        prior_elections_this_year=int(args.get("prior_elections_this_year", 0)),
        sick_micro=_hours(args, "sick_hours"),
        waiver_ground=args.get("waiver_ground"),
        tardy_micro=_hours(args, "tardy_hours"),
        waived=args.get("waived"),
    )


register(Ask(
    name="holiday_credit",
    schema=obj(
        {
            "date": {**DATE, "description": "the day the holiday is observed"},
            "worked": {**BOOL, "description": "required to work the holiday (Sec. 10.3, 10.5)"},
            "on_leave_without_pay_adjacent": {**BOOL, "description": "without pay on the scheduled workday just before or after (Sec. 10.7.A)"},
            "sick_on_holiday": {**BOOL, "description": "sick leave granted for the holiday or part of it (Sec. 10.8)"},
            "sick_hours": {**HOURS, "description": "sick hours granted that day; default the whole scheduled day"},
            "scheduled_workday": {**BOOL, "description": "the holiday is a regular workday; default from work_schedule"},
            "rostered_for_holiday": {**BOOL, "description": "the schedule had the employee working the holiday anyway (Sec. 10.5 does not apply)"},
            "prior_elections_this_year": {"type": "integer", "minimum": 0, "description": "earlier Sec. 10.5 occasions this calendar year"},
            "waiver_ground": {"enum": list(WAIVER_GROUNDS), "description": "ground for the Employer's waiver (Sec. 10.7.B)"},
            "tardy_hours": {**HOURS, "description": "hours tardy (Sec. 10.7.B: at most 2 for events beyond control)"},
            "waived": {**BOOL, "description": "the Employer's decision on the waiver; absent = not yet decided"},
            "designations": DESIGNATIONS,
        },
        ("date", "worked"),
        "what the employee is credited for a holiday (Sec. 10.3-10.9)",
    ),
    answer=_credit_answer,
    horizon=lambda args, path: arg_date(args, "date", path),
    description="the holiday credit for one holiday",
))
