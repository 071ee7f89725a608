"""Rule checks for leave requests: the contract's findings, with citations, for every kind of leave.

``check_request(facts, ask, context)`` returns a :class:`Finding`: allowed / partly_allowed /
not_allowed / needs_decision, the hours allowed and charged, the sections and plain reasons, what
a supervisor may see, and the contract's grounds a human may use to deny. Discretionary grants
come back as ``needs_decision`` unless the organisation switched on auto-approval for that kind.
One module per kind; FMLA (Sec. 8.7.2) is handled elsewhere.
"""

from __future__ import annotations

from openleave.rules.facts import EmployeeFacts
from openleave.rules.params import ParameterTree, default_tree
from openleave.rules.requests import (
    bereavement,
    civic,
    comp_time,
    domestic_violence,
    educational,
    emergency,
    family_paid,
    family_unpaid,
    lwop,
    military,
    personal,
    sick,
    union,
    vacation,
    voting,
)
from openleave.rules.requests.common import Draft, first_day, last_day
from openleave.rules.requests.comp_time import comp_time_earned
from openleave.rules.requests.model import (
    KINDS,
    OUTCOMES,
    USED_DAYS_KEYS,
    USED_HOURS_KEYS,
    Finding,
    Ground,
    LeaveAsk,
    RequestContext,
    RequestError,
)
from openleave.rules.requests.vacation import SeniorityRank, VacationClaim, seniority_order
from openleave.rules.schedule import as_bounds

CHECKS = {
    "sick": sick.check,
    "personal": personal.check,
    "vacation": vacation.check,
    "bereavement": bereavement.check,
    "voting": voting.check,
    "civic": civic.check,
    "military": military.check,
    "family_paid": family_paid.check,
    "family_unpaid": family_unpaid.check,
    "educational": educational.check,
    "lwop": lwop.check,
    "domestic_violence": domestic_violence.check,
    "comp_time": comp_time.check,
    "union_paid": union.check,
    "union_unpaid": union.check,
    "emergency": emergency.check,
}
assert set(CHECKS) == set(KINDS)


def check_request(
    facts: EmployeeFacts, request: LeaveAsk, context: RequestContext | None = None, tree: ParameterTree | None = None
) -> Finding:
    """Check one leave request against the contract. Raises RequestError for a request that is malformed."""
    if request.kind not in CHECKS:
        raise RequestError(f"unknown leave kind {request.kind!r}; one of {', '.join(KINDS)}")
    start, end = first_day(request.start), last_day(request.end)
    s, e = as_bounds(request.start, request.end)
    if e <= s:
        raise RequestError(f"the leave ends ({request.end}) before it starts ({request.start})")
    if start < facts.service_start:
        raise RequestError(f"the leave starts ({start}) before the employee's service ({facts.service_start})")
    if facts.separation_date is not None and end > facts.separation_date:
        raise RequestError(f"the leave ends ({end}) after the employee's separation ({facts.separation_date})")
    draft = Draft(request.kind, facts, request, context or RequestContext(), tree or default_tree())
    return CHECKS[request.kind](draft)


__all__ = [
    "KINDS", "OUTCOMES", "USED_DAYS_KEYS", "USED_HOURS_KEYS", "Finding", "Ground", "LeaveAsk", "RequestContext",
    "RequestError", "SeniorityRank", "VacationClaim", "check_request", "comp_time_earned", "seniority_order",
]
