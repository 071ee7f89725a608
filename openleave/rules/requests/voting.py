"""Voting leave, Sec. 8.4 — up to ``voting.max_hours`` with pay when hours of work preclude voting.

"Shall upon application be granted": an entitlement when the employee's hours of work preclude
voting in a town, city, state or national election. Whether they do is a fact the employee
states (``hours_preclude_voting``); when it is not stated, a human must look.
"""

from __future__ import annotations

from openleave.rules.requests.common import Draft, h
from openleave.rules.requests.model import FactDeclaration, Finding, KindDeclaration
from openleave.rules.units import to_micro


def check(d: Draft) -> Finding:
    ask = d.ask
    days = d.by_day()
    requested = sum(days.values())
    d.ground("voting_not_precluded")
    d.visible = "voting leave"
    if ask.election_date is not None and set(days) != {ask.election_date}:
        d.say(f"Voting leave is for election day ({ask.election_date}) only.", "Sec. 8.4")
        days = {k: v for k, v in days.items() if k == ask.election_date}
    if ask.hours_preclude_voting is False:
        d.say("Voting leave is granted only when the employee's hours of work preclude voting.", "Sec. 8.4")
        return d.finish(requested, 0)
    cap = to_micro(d.value("voting.max_hours"))
    allowed = min(sum(days.values()), cap)
    d.say(f"Voting leave with pay, not to exceed {h(cap)}, for the sole purpose of voting: {h(allowed)} of "
          f"{h(requested)} allowed.", "Sec. 8.4")
    if allowed:
        d.charges.append(("voting", allowed))
    if ask.hours_preclude_voting is None:
        d.human("Confirm that the employee's hours of work preclude voting.", "Sec. 8.4")
        return d.finish(requested, allowed, discretionary=True, days=days)
    return d.finish(requested, allowed, days=days)


DECLARATION = KindDeclaration(
    code="voting", label="Voting leave (Sec. 8.4)", cite="Sec. 8.4", check=check,
    facts=(
        FactDeclaration("election_date", "date", "Election day"),
        FactDeclaration("hours_preclude_voting", "bool", "My hours of work prevent me from voting"),
    ),
)
