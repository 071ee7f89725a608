"""Paid family leave, Sec. 8.7.1 — ``family_paid.days`` paid days for a birth, adoption or placement.

Salary for those days "at a time requested by the employee" (an entitlement), used intermittently
over the ``family_paid.window_months`` following the birth, adoption or placement, never in
increments of less than ``family_paid.min_increment_days``. Reading: a whole day is a whole
scheduled work day; the days are 8.9 days prorated for regular part-time employees, a pool of
hours per event; a day is taken only if the rest of the pool covers all of its scheduled hours.
Foster placement shorter than the paid days: the paid days equal the work days within the placement. Sick, vacation or personal credits may be used besides.
"""

from __future__ import annotations

from openleave.rules.params import figure
from openleave.rules.requests.common import Draft, add_months, cap_total, h
from openleave.rules.requests.model import (
    FactDeclaration,
    Finding,
    KindDeclaration,
    RequestError,
    UsageDeclaration,
)
from openleave.rules.schedule import micro_by_day, scheduled_micro_on


def check(d: Draft) -> Finding:
    ask, ctx = d.ask, d.ctx
    if ask.event not in ("birth", "adoption", "foster_placement") or ask.event_date is None:
        raise RequestError("paid family leave needs event: birth | adoption | foster_placement and event_date")
    days = d.by_day()
    requested = sum(days.values())
    d.visible = "family leave"
    d.ground("family_paid_outside_window")
    whole = {k: v for k, v in days.items() if v == scheduled_micro_on(d.facts, k, ctx.holidays)}
    if len(whole) < len(days):
        d.say(f"Paid family leave may not be charged in increments of less than "
              f"{figure(d.value('family_paid.min_increment_days'))} day(s): partial days are refused.", "Sec. 8.7.1")
    months = int(d.value("family_paid.window_months"))
    end = add_months(ask.event_date, months)
    inside = {k: v for k, v in whole.items() if ask.event_date <= k < end}
    if len(inside) < len(whole):
        d.say(f"Paid family leave is used within the {months} months following the {ask.event.replace('_', ' ')} "
              f"({ask.event_date} up to {end}).", "Sec. 8.7.1")
    n_days = int(d.value("family_paid.days"))
    if ask.event == "foster_placement" and ask.placement_end is not None:
        work_days = len(micro_by_day(d.facts, ask.event_date, ask.placement_end, ctx.holidays))
        if (ask.placement_end - ask.event_date).days + 1 < n_days:
            d.say(f"Foster placement of less than {n_days} days: paid days equal the {work_days} work day(s) within the "
                  "placement.", "Sec. 8.7.1")
            n_days = min(n_days, work_days)
    full = d.days_to_micro(n_days)
    pool = full - ctx.used_for_event
    got = cap_total(inside, pool, whole_days=True)
    allowed = sum(got.values())
    d.say(f"{n_days} paid days = {h(full)} (a day is {h(d.day())}, Sec. 8.9, prorated for part-time); "
          f"{h(max(pool, 0))} left for this {ask.event.replace('_', ' ')}; {h(allowed)} of {h(requested)} allowed.",
          "Sec. 8.7.1", "Sec. 8.9")
    if allowed:
        d.charges.append(("family_paid", allowed))
    if allowed < requested:
        d.offer("sick", "vacation", "personal")
    more = d.charge_others(requested - allowed)
    return d.finish(requested, allowed + more, days=got)


DECLARATION = KindDeclaration(
    code="family_paid", label="Paid family leave (Sec. 8.7.1)", cite="Sec. 8.7.1", check=check,
    facts=(
        FactDeclaration("event", "choice", "Event", choices=(
            ("birth", "Birth"), ("adoption", "Adoption"), ("foster_placement", "Foster placement"))),
        FactDeclaration("event_date", "date", "Date of the birth, adoption or placement"),
        FactDeclaration("placement_end", "date", "End of a foster placement shorter than 10 days"),
    ),
    usage=(UsageDeclaration("used_for_event", "event", "paid family leave already taken for the same event",
                            credit="family_paid", same=("event", "event_date")),),
    credits=("sick", "vacation", "personal", "comp_time"),
)
