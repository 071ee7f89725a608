"""Rule checks for leave requests: the contract's findings, with citations, for every kind of leave.

``check_request(facts, ask, context)`` returns a :class:`Finding`: allowed / partly_allowed /
not_allowed / needs_decision, the hours allowed and charged, the sections and plain reasons, what
a supervisor may see, and the contract's grounds a human may use to deny. Discretionary grants
come back as ``needs_decision`` unless the organisation switched on auto-approval for that kind.
One module per kind, ending with its declaration (``KindDeclaration``; registry.py collects them);
FMLA (Sec. 8.7.2): fmla_leave.py, on the rules core openleave.rules.fmla.
"""

from __future__ import annotations

from openleave.rules.facts import EmployeeFacts
from openleave.rules.params import ParameterTree, default_tree
from openleave.rules.requests.common import Draft, first_day, last_day
from openleave.rules.requests.comp_time import comp_time_earned
from openleave.rules.requests.model import (
    OUTCOMES,
    FactDeclaration,
    Finding,
    Ground,
    KindDeclaration,
    LeaveAsk,
    RequestContext,
    RequestError,
    UsageDeclaration,
)
from openleave.rules.requests.registry import (
    CHECKS,
    DECLARATIONS,
    KINDS,
    USED_DAYS_KEYS,
    USED_HOURS_KEYS,
    declaration,
)
from openleave.rules.requests.vacation import SeniorityRank, VacationClaim, seniority_order
from openleave.rules.schedule import as_bounds


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
    "CHECKS", "DECLARATIONS", "KINDS", "OUTCOMES", "USED_DAYS_KEYS", "USED_HOURS_KEYS", "FactDeclaration", "Finding",
    "Ground", "KindDeclaration", "LeaveAsk", "RequestContext", "RequestError", "UsageDeclaration", "declaration", "SeniorityRank", "VacationClaim", "check_request", "comp_time_earned", "seniority_order",
]
