"""Domestic violence, sexual assault or stalking leave, Sec. 8.12 — 15 paid days a calendar year.

For arranging care of the employee, spouse or children, or for legal proceedings or activities,
where one of them is a victim and the employee is not the perpetrator. The 15 days are in
addition to any other paid leave; 8.9 days prorated for part-time; an entitlement (no approval).
The reason is never shown to a supervisor: ``visible_to_supervisor`` is "protected leave" and the
Finding is ``protected``. Beyond the 15 days, sick, personal, comp or vacation credits "for which
he/she may be eligible" may be used at the employee's request.
"""

from __future__ import annotations

from openleave.rules.requests.common import Draft, cap_per_year, h
from openleave.rules.requests.model import FactDeclaration, Finding, KindDeclaration, UsageDeclaration


def check(d: Draft) -> Finding:
    ask = d.ask
    days = d.by_day()
    requested = sum(days.values())
    d.visible = "protected leave"
    d.protected = True
    d.ground("dv_not_qualifying")
    if ask.employee_is_perpetrator:
        d.say("This leave is not available to the perpetrator.", "Sec. 8.12")
        return d.finish(requested, 0)
    n = d.value("domestic_violence.days_per_year")
    cap = d.days_to_micro(n)
    used = d.ctx.used_hours.get("domestic_violence", 0)
    got = cap_per_year(days, cap, used)
    allowed = sum(got.values())
    d.say(f"{n} paid days a calendar year = {h(cap)} (a day is {h(d.day())}, Sec. 8.9); {h(used)} used; "
          f"{h(allowed)} of {h(requested)} allowed, in addition to other paid leave.", "Sec. 8.12", "Sec. 8.9")
    if allowed:
        d.charges.append(("domestic_violence", allowed))
    if allowed < requested:
        d.offer("sick", "personal", "comp_time", "vacation")
    more = d.charge_others(requested - allowed)
    return d.finish(requested, allowed + more, days=got)


DECLARATION = KindDeclaration(
    code="domestic_violence", label="Domestic violence, sexual assault or stalking leave (Sec. 8.12)", cite="Sec. 8.12",
    check=check,
    help="Your supervisor sees only \"protected leave\" and the hours, never the reason (Sec. 8.12).",
    facts=(FactDeclaration("employee_is_perpetrator", "bool", "The employee is the perpetrator (Sec. 8.12)",
                           "The leave is not available to the perpetrator."),),
    usage=(UsageDeclaration("domestic_violence", "hours", "paid domestic violence leave, Sec. 8.12",
                            credit="domestic_violence"),),
    credits=("sick", "personal", "comp_time", "vacation"),
)
