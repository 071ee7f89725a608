"""Leave without pay, Sec. 8.11 (and 8.1.G for an ill employee with no sick credits).

8.11: the Department/Agency head may grant it on a written request with a detailed statement of
reasons (for illness: substantiating proof) → ``needs_decision``. A leave longer than
``lwop.prior_approval_over_months`` needs the Appointing Authority's prior approval, unless granted for illness on a physician's
certificate and approved by the AA — recorded as a finding. ``purpose="illness_no_sick_credits"``
is 8.1.G: on written request with proof of the illness, never longer than
``sick.lwop_no_credits_max_months`` (a hard limit).
"""

from __future__ import annotations

from openleave.rules.requests.common import Draft, add_months, first_day, h
from openleave.rules.requests.model import FactDeclaration, Finding, KindDeclaration


def check(d: Draft) -> Finding:
    ask = d.ask
    days = d.by_day()
    requested = sum(days.values())
    d.visible = "leave without pay"
    d.ground("lwop_not_granted", "lwop_no_statement")
    start = first_day(ask.start)
    if not ask.written_request:
        d.human("A written request with a detailed statement of the reason is required.", "Sec. 8.11")
    if ask.purpose == "illness_no_sick_credits":
        months = int(d.value("sick.lwop_no_credits_max_months"))
        end = add_months(start, months)
        got = {k: v for k, v in days.items() if k < end}
        allowed = sum(got.values())
        d.say(f"An employee with no sick credits, absent due to illness, may be granted leave without pay on written "
              f"request with proof of the illness, for no longer than {months} months: {h(allowed)} of "
              f"{h(requested)} within the limit.", "Sec. 8.1.G")
        if not ask.physician_certificate:
            d.human("The request must be accompanied by substantiating proof of the illness.", "Sec. 8.1.G")
    else:
        allowed = requested
        months = int(d.value("lwop.prior_approval_over_months"))
        if days and max(days) >= add_months(start, months):
            if ask.purpose == "illness" and ask.physician_certificate:
                d.say(f"Longer than {months} months, for illness on a physician's certificate: the Appointing "
                      "Authority approves it with the request.", "Sec. 8.11")
            else:
                d.human(f"Longer than {months} months: needs the Appointing Authority's prior approval.", "Sec. 8.11")
        if ask.purpose == "illness" and not ask.physician_certificate:
            d.human("Leave for illness must be accompanied by substantiating proof of the illness.", "Sec. 8.11")
        d.say("The Department/Agency head may grant leave without pay on a written request; a copy of the approved "
              "request goes into the personnel file.", "Sec. 8.11")
    if allowed:
        d.charges.append(("lwop", allowed))
    return d.finish(requested, allowed, discretionary=True)


DECLARATION = KindDeclaration(
    code="lwop", label="Leave without pay (Sec. 8.11)", cite="Sec. 8.11", check=check,
    facts=(
        FactDeclaration("purpose", "choice", "Reason category", open=True, choices=(
            ("personal", "Personal"), ("illness", "Illness"),
            ("illness_no_sick_credits", "Illness, with no sick credits left (Sec. 8.1.G)"))),
        FactDeclaration("written_request", "bool", "I have made a written request with a detailed statement"),
        FactDeclaration("physician_certificate", "bool", "I have a physician's certificate"),
    ),
)
