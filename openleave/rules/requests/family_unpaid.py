"""Non-FMLA family leave, Sec. 8.8 — unpaid, up to 10 weeks; 10 days in whole-day increments.

Eligible: probationary period completed, or — with no probationary period — employed at least 3
consecutive months; written application with reasons; at least 2 weeks' notice of the departure
date and notice of intention to return (8.8.A). Who counts: a child (natural, adoptive, foster,
step or under legal guardianship) wherever they live; a grandparent, grandchild, sister or
brother only when living in the same household. "May be granted" → ``needs_decision``; the 10
days taken intermittently need prior approval and whole days (8.8.B). Credits may be used (8.8.C).
"""

from __future__ import annotations

import datetime as dt

from openleave.rules.requests.common import Draft, add_months, first_day, h
from openleave.rules.requests.model import FactDeclaration, Finding, KindDeclaration, UsageDeclaration
from openleave.rules.schedule import scheduled_micro_on


def check(d: Draft) -> Finding:
    ask, ctx, facts = d.ask, d.ctx, d.facts
    days = d.by_day()
    requested = sum(days.values())
    d.visible = "family leave (unpaid)"
    d.ground("family_unpaid_not_eligible", "family_unpaid_not_approved")
    start = first_day(ask.start)
    cite = "Sec. 8.8.A"
    # eligibility
    if facts.probation_end is not None:
        eligible = facts.probation_end <= start
        why = f"probationary period ends {facts.probation_end}"
    else:
        months = int(d.value("family_unpaid.eligibility_months"))
        eligible = add_months(facts.service_start, months) <= start
        why = f"employed since {facts.service_start}; {months} consecutive months needed"
    if not eligible:
        d.say(f"Not yet eligible for non-FMLA family leave: {why}.", cite)
        return d.finish(requested, 0)
    relation = ask.relation or ""
    if relation in d.value("family_unpaid.child_relations"):
        pass
    elif relation in d.value("family_unpaid.household_relations"):
        if not ask.household:
            d.say(f"A {relation} counts for non-FMLA family leave only when living in the same household.", cite)
            return d.finish(requested, 0)
    else:
        d.say(f"Non-FMLA family leave is limited to care of a child, or of a grandparent, grandchild, sister or "
              f"brother living in the household; {relation!r} is not among them.", cite)
        return d.finish(requested, 0)
    # notice and application
    weeks = int(d.value("family_unpaid.notice_weeks"))
    if ctx.submitted_at is None:
        d.human(f"Confirm written application with reasons and {weeks} weeks' notice of the departure date.", cite)
    elif ctx.submitted_at.date() > start - dt.timedelta(weeks=weeks):
        d.human(f"Notice given {ctx.submitted_at.date()}: less than {weeks} weeks before {start}.", cite)
    if not ask.written_request:
        d.human("A written application with a statement of reasons is required.", cite)
    if ask.intends_to_return is not True:
        d.human("The employee must give notice of the intention to return.", cite)
    # length
    if ask.intermittent:
        n = int(d.value("family_unpaid.intermittent_days"))
        left = max(0, n - ctx.used_days.get("family_unpaid.intermittent", 0))
        whole = {k: v for k, v in days.items() if v == scheduled_micro_on(facts, k, ctx.holidays)}
        if len(whole) < len(days):
            d.say(f"The {n} days are taken in increments of not less than one day: partial days are refused.",
                  "Sec. 8.8.B")
        got = dict(sorted(whole.items())[:left])
        d.say(f"{n} days may be taken in whole days with prior approval; {left} left.", "Sec. 8.8.B")
    else:
        max_weeks = int(d.value("family_unpaid.max_weeks"))
        last = start + dt.timedelta(weeks=max_weeks) - dt.timedelta(days=1)
        got = {k: v for k, v in days.items() if k <= last}
        if len(got) < len(days):
            d.say(f"Non-FMLA family leave is for a period not exceeding {max_weeks} weeks (to {last}).", cite)
    allowed = sum(got.values())
    d.say(f"Unpaid leave without benefits, {h(allowed)} of {h(requested)} within the limits; the Appointing "
          "Authority may grant it. Sick, personal, comp or vacation credits may be used instead.", cite, "Sec. 8.8.C")
    if allowed:
        d.charges.append(("family_unpaid", allowed))
    d.offer("sick", "personal", "comp_time", "vacation")
    return d.finish(requested, allowed, discretionary=True, days=got)


DECLARATION = KindDeclaration(
    code="family_unpaid", label="Non-FMLA family leave (Sec. 8.8)", cite="Sec. 8.8", check=check,
    facts=(
        FactDeclaration("relation", "choice", "Family member", open=True,
                        choices_param=("family_unpaid.child_relations", "family_unpaid.household_relations")),
        FactDeclaration("household", "bool", "The family member lives in my household"),
        FactDeclaration("intends_to_return", "bool", "I intend to return to work"),
        FactDeclaration("intermittent", "bool", "Intermittent days (Sec. 8.8.B)"),
        FactDeclaration("written_request", "bool", "I have made a written request with reasons"),
    ),
    usage=(UsageDeclaration("family_unpaid.intermittent", "days", "days of the 10 non-FMLA family leave days already "
                            "taken, Sec. 8.8.B", when={"intermittent": (True,)}),),
)
