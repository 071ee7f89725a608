"""MOU Regarding State of Emergency — emergency personnel using leave when they cannot get to work.

During a declared state of emergency, employees designated emergency personnel who have a
documented hardship preventing them from getting to work (``purpose="hardship"``), or who notified
the Employer ``use.emergency.notice_minutes_before_shift`` before the shift that they cannot arrive on time
(``purpose="late_arrival"``), "may utilize appropriate leave balances provided that personal leave,
if available, is utilized first". Reading: the MOU grants the use (no separate approval); personal
leave is charged first, then the credits the employee lists in ``charge_excess_to``.
``purpose="emergency_day"``: the one emergency day each January for emergency personnel required
to report, taken at a time requested and approved by the AA → ``needs_decision``.
"""

from __future__ import annotations

import datetime as dt

from openleave.rules.params import figure
from openleave.rules.requests.common import CREDIT_UNITS, Draft, h
from openleave.rules.requests.model import FactDeclaration, Finding, KindDeclaration, RequestError

MOU = "MOU State of Emergency"


def check(d: Draft) -> Finding:
    ask, ctx, facts = d.ask, d.ctx, d.facts
    purpose = ask.purpose or "hardship"
    days = d.by_day()
    requested = sum(days.values())
    d.visible = "emergency leave"
    d.ground("emergency_not_emergency_personnel")
    if not facts.emergency_personnel:
        d.say("The MOU applies only to employees designated emergency personnel.", MOU)
        return d.finish(requested, 0)
    if purpose == "emergency_day":
        d.ground("personal_not_approved")
        covered = min(requested, d.ctx.balances.get("emergency_day", 0))
        if covered:
            d.charges.append(("emergency_day", covered))
        d.say(f"The emergency day ({h(d.ctx.balances.get('emergency_day', 0))} available) is taken at a time "
              "requested by the employee and approved by the Appointing Authority, within its calendar year.", MOU)
        return d.finish(requested, covered, discretionary=True)
    if purpose not in ("hardship", "late_arrival"):
        raise RequestError("emergency purpose must be hardship, late_arrival or emergency_day")
    if not ctx.state_of_emergency:
        d.say("The MOU applies during a declared state of emergency.", MOU)
        return d.finish(requested, 0)
    if purpose == "hardship" and not ask.documented_hardship:
        d.human("The hardship preventing the employee from getting to work must be documented.", MOU)
    if purpose == "late_arrival":
        first = min(days)
        start = ctx.shift_starts.get(("mon", "tue", "wed", "thu", "fri", "sat", "sun")[first.weekday()])
        if ctx.submitted_at is not None and start is not None:
            minutes = d.value("emergency.notice_minutes_before_shift")
            deadline = dt.datetime.combine(first, start) - dt.timedelta(minutes=int(minutes))
            if ctx.submitted_at > deadline:
                d.human(f"The Employer must be notified at least {figure(minutes)} minutes before the shift "
                        f"(by {deadline:%H:%M}).", MOU)
    first_credit = str(d.value("emergency.personal_first"))
    if first_credit not in CREDIT_UNITS:
        raise RequestError(f"use.emergency.personal_first names {first_credit!r}, not a leave credit")
    name = first_credit.replace("_", " ")
    covered = d.charge_balance(first_credit, requested, MOU)
    d.say(f"{name.capitalize()} leave, if available, is used first: {h(covered)} charged to {name} leave.", MOU)
    more = d.charge_others(requested - covered, exclude=(first_credit,), no_approval=tuple(CREDIT_UNITS))
    if covered + more < requested:
        d.offer("vacation", "comp_time")
    return d.finish(requested, covered + more)


DECLARATION = KindDeclaration(
    code="emergency", label="State of Emergency (MOU)", cite=MOU, check=check,
    facts=(
        FactDeclaration("purpose", "choice", "Situation", choices=(
            ("hardship", "Documented hardship getting to work"),
            ("late_arrival", "Cannot arrive on time (told at least 1 hour ahead)"),
            ("emergency_day", "The January emergency day"))),
        FactDeclaration("documented_hardship", "bool", "The hardship is documented"),
    ),
    credits=("sick", "vacation", "comp_time"),
)
