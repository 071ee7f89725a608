"""Bereavement leave, Sec. 8.3 — days by relationship, the 30/90-day windows, the in-law funeral day.

8.3.A (spouse, child, foster child, step child living in the household): 7 days, within 90
calendar days of a spouse's death and 30 of a child's. Reading: foster and step children are
children → 30 days. 8.3.B (parent, step parent, brother, sister, grandparent, grandchild, ward,
parent or child of spouse, person living in the household): 4 days within 30 calendar days.
8.3.C (grandparent/grandchild/brother/sister in-law): 1 day to attend the funeral.
"Within N calendar days from the date of death" is counted from the day after the death, so the
last day is date_of_death + N (steward's reading). Days are 8.9 days, prorated for part-time
(8.9 ¶2), as a pool of hours per death. The death must be shown by evidence satisfactory to the
Appointing Authority — a finding for a human. Days beyond the entitlement may be charged to other
credits at the employee's request (vacation/personal, with approval: Sec. 9.9, 8.2.A).
"""

from __future__ import annotations

import datetime as dt

from openleave.rules.requests.common import Draft, cap_total, h
from openleave.rules.requests.model import (
    FactDeclaration,
    Finding,
    KindDeclaration,
    RequestError,
    UsageDeclaration,
)


def check(d: Draft) -> Finding:
    ask = d.ask
    if ask.date_of_death is None or not ask.relation:
        raise RequestError("bereavement leave needs relation and date_of_death")
    days = d.by_day()
    requested = sum(days.values())
    d.ground("bereavement_no_evidence", "bereavement_outside_window")
    relation = ask.relation
    if relation == "step_child" and not ask.household:
        relation = "child_of_spouse"  # 8.3.A names only a step child living in the household
    if relation not in d.value("bereavement.relations") and ask.household:
        relation = "household_member"
    group = d.value("bereavement.relations").get(relation)
    if group is None:
        d.say(f"Bereavement leave does not cover the death of a {ask.relation!r}; other credits may be used.",
              "Sec. 8.3")
        d.offer("vacation", "personal")
        return d.finish(requested, d.charge_others(requested, exclude=("sick",)))
    cite = f"Sec. 8.3.{group}"
    n_days = d.value("bereavement.days")[group]
    d.human("The death must be shown by evidence satisfactory to the Appointing Authority.", cite)

    if group == "C":
        funeral = ask.funeral_date or min(days)
        inside = {k: v for k, v in days.items() if k == funeral}
        why = f"the day of the funeral ({funeral})"
        if ask.funeral_date is None:
            d.human("Confirm that the first day asked is the day of the funeral.", cite)
    else:
        key = {"spouse": "A_spouse"}.get(relation, "A_child") if group == "A" else "B"
        window = int(d.value("bereavement.window_days")[key])
        last = ask.date_of_death + dt.timedelta(days=window)
        inside = {k: v for k, v in days.items() if ask.date_of_death <= k <= last}
        why = f"{window} calendar days from the date of death ({ask.date_of_death} to {last})"
    if len(inside) < len(days):
        d.say(f"Bereavement leave is used within {why}; {len(days) - len(inside)} day(s) asked fall outside.", cite)

    pool = d.days_to_micro(n_days) - d.ctx.used_for_event
    got = cap_total(inside, pool)
    allowed = sum(got.values())
    d.say(f"{n_days} day(s) of leave without loss of pay for this relationship = {h(d.days_to_micro(n_days))} "
          f"(a day is {h(d.day())}, Sec. 8.9); {h(max(pool, 0))} left for this death; {h(allowed)} of "
          f"{h(requested)} allowed.", cite, "Sec. 8.9")
    if allowed:
        d.charges.append(("bereavement", allowed))
    if allowed < requested:
        d.offer("vacation", "personal")
    more = d.charge_others(requested - allowed, exclude=("sick",))
    return d.finish(requested, allowed + more, days=got)


DECLARATION = KindDeclaration(
    code="bereavement", label="Bereavement leave (Sec. 8.3)", cite="Sec. 8.3", check=check,
    facts=(
        FactDeclaration("relation", "choice", "Relationship to the person who died",
                        choices_param=("bereavement.relations",), open=True),
        FactDeclaration("household", "bool", "The person lived in my household"),
        FactDeclaration("date_of_death", "date", "Date of death"),
        FactDeclaration("funeral_date", "date", "Date of the funeral (in-law leave, Sec. 8.3.C)"),
    ),
    usage=(UsageDeclaration("used_for_event", "event", "bereavement leave already taken for the same death",
                            credit="bereavement", same=("date_of_death", "relation")),),
    credits=("vacation", "personal", "comp_time"),
)
