"""Educational leave, Sec. 8.10.

``purpose="conference"``: paid leave for conferences, seminars, briefing sessions and similar
functions "in accordance with the policies of the Employer" — may be granted → ``needs_decision``;
no loss of seniority or benefits. ``purpose="degree_coursework"``: unpaid leave up to 12 months for
course work of a degree program, based on the department's operational needs; the decision is
not grievable nor arbitrable.
"""

from __future__ import annotations

from openleave.rules.requests.common import Draft, add_months, first_day, h
from openleave.rules.requests.model import FactDeclaration, Finding, KindDeclaration, RequestError


def check(d: Draft) -> Finding:
    ask = d.ask
    purpose = ask.purpose or "conference"
    days = d.by_day()
    requested = sum(days.values())
    d.visible = "educational leave"
    if purpose == "conference":
        d.ground("educational_policy")
        d.say("Paid educational leave for conferences, seminars or similar functions may be granted under the "
              "Employer's policies; no loss of seniority or benefits.", "Sec. 8.10")
        d.charges.append(("educational", requested))
        return d.finish(requested, requested, discretionary=True)
    if purpose != "degree_coursework":
        raise RequestError("educational leave purpose must be conference or degree_coursework")
    d.ground("educational_operational_needs")
    months = int(d.value("educational.degree_unpaid_max_months"))
    end = add_months(first_day(ask.start), months)
    got = {k: v for k, v in days.items() if k < end}
    allowed = sum(got.values())
    if allowed < requested:
        d.say(f"Unpaid degree course-work leave is limited to {months} months (before {end}).", "Sec. 8.10")
    d.say(f"Unpaid leave for course work of a degree program, {h(allowed)} of {h(requested)}, may be granted on the "
          "department's operational needs; the decision is not grievable nor arbitrable.", "Sec. 8.10")
    if allowed:
        d.charges.append(("educational_unpaid", allowed))
    return d.finish(requested, allowed, discretionary=True)


DECLARATION = KindDeclaration(
    code="educational", label="Educational leave (Sec. 8.10)", cite="Sec. 8.10", check=check,
    facts=(FactDeclaration("purpose", "choice", "Purpose", choices=(
        ("conference", "Conference, seminar or briefing (paid)"), ("degree_coursework", "Degree course work (unpaid)"))),),
)
