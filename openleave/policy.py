"""Who may see and do what — the one place every view, API endpoint and admin page asks.

Categories of personal data:
- ``directory``: name, employee number, title, agency, supervisor;
- ``leave``: balances, ledger, leave requests (protected kinds shown only as a category to supervisors);
- ``medical``: sealed medical/FMLA documents — the employee and the medical coordinator only.

A refusal is always "not found" to the caller (404), so nobody learns whether a person exists.
"""

from __future__ import annotations

import functools

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from openleave.accounts import roles as R
from openleave.people.models import Employee
from openleave.rules.requests.fmla_leave import DECLARATIONS as FMLA_DECLARATIONS

DIRECTORY, LEAVE, MEDICAL = "directory", "leave", "medical"
CATEGORIES = (DIRECTORY, LEAVE, MEDICAL)


class NotVisible(Exception):
    """The user may not see this object; reported as 404 without saying whether it exists."""


def not_visible_is_404(view):
    """A view decorator: ``NotVisible`` from a selector or service → 404, the same answer as a missing object."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotVisible:
            raise Http404("Not found, or you may not see it.") from None

    return wrapped


def _own(user) -> Employee | None:
    return getattr(user, "employee_or_none", None) if user.is_authenticated else None


def visible_employees(user, category: str = LEAVE) -> QuerySet[Employee]:
    """Employees whose ``category`` data the user may read."""
    if not user.is_authenticated or not user.is_active:
        return Employee.objects.none()
    q = Q(pk__in=[])
    own = _own(user)
    if own is not None:
        q |= Q(pk=own.pk)
    if category == MEDICAL:
        if user.has_role(R.MEDICAL):
            q |= Q(agency=user.agency) if user.agency_id else Q()
        return Employee.objects.filter(q)
    if user.has_role(R.SUPERVISOR) and own is not None:
        q |= Q(supervisor=own)
    if user.has_role(R.HR):
        q |= Q(agency=user.agency) if user.agency_id else Q(pk__isnull=False)
    if user.has_role(R.MEDICAL):
        q |= Q(agency=user.agency) if user.agency_id else Q(pk__isnull=False)
    if user.has_role(R.AUDITOR):
        q |= Q(pk__isnull=False)
    if user.has_role(R.STEWARD):  # the steward's consents (``privacy.StewardConsent``, through its relation)
        q |= Q(pk__in=represented_members(user).values("pk"))
    if category == DIRECTORY and user.has_role(R.SYSADMIN):
        q |= Q(pk__isnull=False)
    return Employee.objects.filter(q)


def can_view(user, employee: Employee, category: str = LEAVE) -> bool:
    return visible_employees(user, category).filter(pk=employee.pk).exists()


def require_view(user, employee: Employee, category: str = LEAVE) -> None:
    if not can_view(user, employee, category):
        raise NotVisible()


def can_manage_ledger(user, employee: Employee) -> bool:
    """Posting a cited adjustment: HR / Appointing Authority for the employee's agency. Auditors never change."""
    if not user.is_authenticated or not user.has_role(R.HR):
        return False
    return user.agency_id is None or user.agency_id == employee.agency_id


def can_open_balance(user, employee: Employee, channel: str = "ui") -> bool:
    """Entering an employee's opening balances (issue 12: migration from the old system): HR of the employee's
    agency, as for an adjustment — and, through the Django admin only, a system administrator (whose entry is
    validated and logged by the same service). Never an auditor."""
    if not user.is_authenticated or not user.is_active or is_read_only(user):
        return False
    if channel == "admin" and can_use_admin(user):
        return True
    return can_manage_ledger(user, employee)


def is_read_only(user) -> bool:
    """An auditor reads but changes nothing (unless they also hold a role that acts)."""
    return user.has_role(R.AUDITOR) and not (user.roles & {R.HR, R.SUPERVISOR, R.MEDICAL, R.SYSADMIN})


def can_use_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff and user.has_role(R.SYSADMIN)


# --- Privacy (issue 5): who may read the access log, manage consents, export, see aggregates. ---

AUDIT = "audit"  # the access log about a person


def can_view_access_log(user, employee: Employee) -> bool:
    """The person it concerns ("who looked at my data"), and auditors (read only)."""
    if not user.is_authenticated or not user.is_active:
        return False
    own = _own(user)
    return (own is not None and own.pk == employee.pk) or user.has_role(R.AUDITOR)


def can_manage_consents(user, employee: Employee) -> bool:
    """Only the employee grants or revokes steward access to their own records (Sec. 24.1)."""
    own = _own(user)
    return own is not None and user.is_active and own.pk == employee.pk


def can_export(user, employee: Employee) -> bool:
    """Only the employee downloads all their data (Sec. 24.1: examine and copy)."""
    return can_manage_consents(user, employee)


def can_view_aggregates(user) -> bool:
    """De-identified counts: HR, the union (stewards) and auditors."""
    return user.is_authenticated and user.is_active and bool(user.roles & {R.HR, R.STEWARD, R.AUDITOR})


def can_view_union_limits(user) -> bool:
    """The union-wide limits of Art. 5 (used and remaining, the union-leave holders): the union's officers
    (stewards) and HR / the Appointing Authority, who approves the leave with the Human Resources Division."""
    return user.is_authenticated and user.is_active and bool(user.roles & {R.HR, R.STEWARD})


def is_steward(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(R.STEWARD)


def represented_members(user) -> QuerySet[Employee]:
    """The members who authorised this steward, now: a consent naming them, not revoked, begun and not expired
    (Sec. 24.1 "upon written authorization by the employee"). Only these appear in the steward's workspace —
    never the people the user may see through another role (HR, supervisor, auditor)."""
    if not is_steward(user):
        return Employee.objects.none()
    return Employee.objects.filter(pk__in=user.consents_received.valid(timezone.now()).values("employee_id"))


def can_view_denial_statistics(user) -> bool:
    """De-identified denial counts (issue 14): the audience of the aggregates — HR, the union (stewards),
    auditors."""
    return can_view_aggregates(user)


# --- Leave requests (issue 6) and holidays (Art. 10): who decides, who sees a protected reason, who designates. ---


#: The family and medical leave kinds (Sec. 8.7.2), from their declarations: decided by the medical (FMLA)
#: coordinator or the Appointing Authority / HR, never by the supervisor (who sees only "family and medical leave").
FMLA_KINDS = tuple(d.code for d in FMLA_DECLARATIONS)


def is_fmla(req) -> bool:
    return req.kind in FMLA_KINDS


def sees_everything(user, req) -> bool:
    """Who sees a leave request's kind, facts and reasons in full: the employee themself, and HR / the
    Appointing Authority of the agency — and, for family and medical leave, the medical (FMLA) coordinator of the
    agency. Everyone else who may see the request (supervisor, steward with consent, auditor) sees a protected
    kind (Sec. 8.12 DV, sick family care, FMLA medical leave) only as its category."""
    own = user.employee_or_none
    if own is not None and own.pk == req.employee_id:
        return True
    if is_fmla(req) and _coordinator_of(user, req.employee) and not is_read_only(user):
        return True
    return can_manage_ledger(user, req.employee) or req.employee.agency.appointing_authority_id == user.pk


def can_download_scenario(user, req) -> bool:
    """Who may download a request's "Check this yourself" scenario file (the member's own facts, the request and
    the context the rules got): those who may see the request (the caller has found it through
    ``visible_requests``) and see it in full — the member, HR / the Appointing Authority, the FMLA coordinator
    for family and medical leave. For a protected kind everyone else sees only the category, so not the file
    (its facts name the reason); for any other kind, whoever may see the decision may check it."""
    if not user.is_authenticated:
        return False
    return sees_everything(user, req) or not req.protected


def can_decide(user, req) -> bool:
    """Who may decide a leave request (or record an absence): the employee's supervisor, or the agency's
    Appointing Authority / HR — never the employee themself, never a read-only auditor. Family and medical leave
    (Sec. 8.7.2) is decided by the medical (FMLA) coordinator of the agency or the Appointing Authority / HR, not
    the supervisor: its continuation past the intermittent days is the Appointing Authority's decision
    (Sec. 8.7.2.B.4.c) and its reason is sealed from the supervisor."""
    if not user.is_authenticated or is_read_only(user):
        return False
    own = user.employee_or_none
    if own is not None and own.pk == req.employee_id:
        return False
    emp = req.employee
    if is_fmla(req):
        return (emp.agency.appointing_authority_id == user.pk or can_manage_ledger(user, emp)
                or _coordinator_of(user, emp))
    if own is not None and user.has_role(R.SUPERVISOR) and emp.supervisor_id == own.pk:
        return True
    return emp.agency.appointing_authority_id == user.pk or can_manage_ledger(user, emp)


def can_record_grievance_outcome(user, employee: Employee) -> bool:
    """Who records a grievance outcome (Art. 23) and the correction it orders: HR / the Appointing Authority of
    the employee's agency — never the employee, a supervisor as such, a steward or a read-only auditor."""
    if not user.is_authenticated or not user.is_active or is_read_only(user):
        return False
    own = user.employee_or_none
    if own is not None and own.pk == employee.pk:
        return False
    return employee.agency.appointing_authority_id == user.pk or can_manage_ledger(user, employee)


def can_designate(user, agency) -> bool:
    """Who designates an alternative day for a holiday (Sec. 10.2): the Appointing Authority / HR for the
    agency (HR without an agency: any agency, or all); a system administrator through the admin. Auditors
    never change anything."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_role(R.SYSADMIN):
        return True
    if not user.has_role(R.HR):
        return False
    if user.agency_id is None:
        return True
    return agency is not None and agency.pk == user.agency_id


def can_submit_for(user, employee: Employee) -> bool:
    """Who may enter a leave request on an employee's behalf (recorded as entered by them; the employee is
    told): HR / the Appointing Authority of the employee's agency. Never an auditor; one's own request is
    entered as oneself."""
    if not user.is_authenticated or not user.is_active or is_read_only(user):
        return False
    own = _own(user)
    if own is not None and own.pk == employee.pk:
        return False
    return can_manage_ledger(user, employee) or employee.agency.appointing_authority_id == user.pk


def can_record_comp(user, employee: Employee) -> bool:
    """Who records a holiday worked or on a day off, the Sec. 10.5 election, comp time earned (Sec. 7.2.G) or a
    compensatory day taken: the employee's supervisor, or HR / the Appointing Authority of the agency — never the
    employee themself, never a read-only auditor."""
    if not user.is_authenticated or not user.is_active or is_read_only(user):
        return False
    own = _own(user)
    if own is not None and own.pk == employee.pk:
        return False
    if own is not None and user.has_role(R.SUPERVISOR) and employee.supervisor_id == own.pk:
        return True
    return can_manage_ledger(user, employee) or employee.agency.appointing_authority_id == user.pk


def can_declare_emergency(user, agency) -> bool:
    """Who records a declared state of emergency for an agency (MOU Regarding State of Emergency): HR / the
    Appointing Authority of the agency (HR without an agency: any agency). Never an auditor."""
    if agency is None or not user.is_authenticated or not user.is_active or is_read_only(user):
        return False
    if agency.appointing_authority_id == user.pk:
        return True
    return user.has_role(R.HR) and (user.agency_id is None or user.agency_id == agency.pk)


# --- Separation and return (issue 12, item 5): who records them. The statement itself is ``leave`` data. ---


def can_record_separation(user, employee: Employee) -> bool:
    """Who records a separation or a return (and so posts its payouts and restorations): HR / the Appointing
    Authority of the employee's agency (HR without an agency: any) — never for themself, never an auditor."""
    if not user.is_authenticated or not user.is_active or is_read_only(user):
        return False
    own = _own(user)
    if own is not None and own.pk == employee.pk:
        return False
    return can_manage_ledger(user, employee) or employee.agency.appointing_authority_id == user.pk


# --- The leave planner (issue 12): who may open a plan an employee shared. ---

CHAIN_MAX = 12  # levels walked up the supervisor chain (a loop in bad data stops here)


def supervisor_chain(employee: Employee) -> list[Employee]:
    """The employee's supervisor, that supervisor's supervisor, and so on up (each once)."""
    out: list[Employee] = []
    seen = {employee.pk}
    current = employee
    while current.supervisor_id and current.supervisor_id not in seen and len(out) < CHAIN_MAX:
        current = Employee.objects.select_related("user").get(pk=current.supervisor_id)
        seen.add(current.pk)
        out.append(current)
    return out


def can_open_shared_plan(user, employee: Employee) -> bool:
    """A plan the employee shared (read only): the employee, and the people in their supervisor chain who hold
    the supervisor role — nobody else (not HR, a steward, an auditor or another supervisor): the employee chose
    whom to show it to."""
    if not user.is_authenticated or not user.is_active:
        return False
    own = _own(user)
    if own is None:
        return False
    if own.pk == employee.pk:
        return True
    return user.has_role(R.SUPERVISOR) and any(s.pk == own.pk for s in supervisor_chain(employee))


def can_plan(user, employee: Employee) -> bool:
    """Planning leave and sharing the plan: the employee themself (not a contractor, not someone else)."""
    own = _own(user)
    return (own is not None and user.is_active and own.pk == employee.pk
            and employee.status != Employee.Status.CONTRACTOR)


# --- Statements (issue 12): whose leave at risk a supervisor or department head is shown. ---


def vacation_responsibility(user) -> QuerySet[Employee]:
    """Sec. 9.8: "The department head is charged with the responsibility of seeing that vacation is taken in
    order that the employee does not lose vacation credits." The members a user answers for: a supervisor's
    direct reports; the department head's — HR / the Appointing Authority of the agency (HR without an agency:
    everyone) — their agency. Always within what the user may see (``visible_employees``); anyone else: none."""
    if not user.is_authenticated or not user.is_active:
        return Employee.objects.none()
    own = _own(user)
    q = Q(pk__in=[])
    if user.has_role(R.SUPERVISOR) and own is not None:
        q |= Q(supervisor=own)
    if user.has_role(R.HR):
        q |= Q(agency=user.agency) if user.agency_id else Q(pk__isnull=False)
    q |= Q(agency__appointing_authority=user)
    if own is not None:
        q &= ~Q(pk=own.pk)
    return visible_employees(user, LEAVE).filter(q)


def is_responsible_for_vacation(user) -> bool:
    """Whether the user has the "members at risk" view at all: a supervisor, HR, or an Appointing Authority."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.roles & {R.SUPERVISOR, R.HR}) or user.appointing_authority_for.exists()


# --- FMLA cases and sealed medical documents (issue 13, item 2). ---


def _coordinator_of(user, employee: Employee) -> bool:
    return user.has_role(R.MEDICAL) and (user.agency_id is None or user.agency_id == employee.agency_id)


def _fmla_case_actor(user, employee: Employee, *, themself: bool) -> bool:
    """HR / the Appointing Authority or the medical coordinator of the employee's agency act on a case; the employee
    themself only if ``themself``; never a read-only user (an auditor)."""
    if not user.is_authenticated or not user.is_active or is_read_only(user):
        return False
    own = _own(user)
    if own is not None and own.pk == employee.pk:
        return themself
    return (can_manage_ledger(user, employee) or employee.agency.appointing_authority_id == user.pk
            or _coordinator_of(user, employee))


def can_open_fmla_case(user, employee: Employee) -> bool:
    """Who opens an FMLA case: the employee for themself (their request), HR / the Appointing Authority of the
    agency when the employer learns a leave may qualify (Sec. 8.1.M), and the medical (FMLA) coordinator of the
    agency. Never an auditor."""
    return _fmla_case_actor(user, employee, themself=True)


def can_close_fmla_case(user, employee: Employee) -> bool:
    """Who closes a case: HR / the Appointing Authority or the medical coordinator of the agency (not the employee
    themself, never an auditor)."""
    return _fmla_case_actor(user, employee, themself=False)


def can_designate_fmla(user, employee: Employee) -> bool:
    """Who designates an FMLA case (or declines to), requests the certification and grants the waiver of the
    eligibility wait (Sec. 8.1.M, 8.7.2.A.2/B.2): the medical (FMLA) coordinator of the employee's agency only —
    not HR, a supervisor, a steward, an auditor, a system administrator, nor the employee themself."""
    if not user.is_authenticated or not user.is_active or is_read_only(user):
        return False
    own = _own(user)
    if own is not None and own.pk == employee.pk:
        return False
    return _coordinator_of(user, employee)


def can_work_fmla_queue(user) -> bool:
    """Who has the FMLA work queue (cases waiting for a notice, certifications due, entitlements ending,
    intermittent days near B.4.a): the medical (FMLA) coordinator, of their agency or of all; never an auditor."""
    return (user.is_authenticated and user.is_active and not is_read_only(user) and user.has_role(R.MEDICAL))


def can_read_medical(user, employee: Employee) -> bool:
    """Who reads (and uploads) an employee's medical documents and a case's reason: the employee themself and the
    medical (FMLA) coordinator of their agency — nobody else (not HR, a supervisor, a steward, an auditor or a
    system administrator)."""
    return can_view(user, employee, MEDICAL)


# --- Grievances (issue 14, Art. 23): the member's and the union's, not management's. ---

GRIEVANCE = "grievance"  # a member's grievance track and report


def can_view_grievance(user, employee: Employee) -> bool:
    """A member's grievance track, its deadlines and the pre-filled report: the member, and a steward the member
    authorised while the consent is valid (Sec. 24.1). Never the supervisor, HR, the medical coordinator or an
    auditor — the grievance is brought against the Employer's act."""
    if not user.is_authenticated or not user.is_active:
        return False
    own = _own(user)
    if own is not None and own.pk == employee.pk:
        return True
    return represented_members(user).filter(pk=employee.pk).exists()


def grievance_employees(user) -> QuerySet[Employee]:
    """The employees whose grievance tracks ``user`` may read (``can_view_grievance`` as a set)."""
    if not user.is_authenticated or not user.is_active:
        return Employee.objects.none()
    q = Q(pk__in=[])
    own = _own(user)
    if own is not None:
        q |= Q(pk=own.pk)
    return Employee.objects.filter(q | Q(pk__in=represented_members(user).values("pk")))


def can_record_grievance(user, employee: Employee) -> bool:
    """Opening a track and recording its dates: the member themself only (never read-only roles)."""
    own = _own(user)
    return own is not None and user.is_active and own.pk == employee.pk


def can_assess_contract(user) -> bool:
    """What a successor agreement would change (``contract_impact``), per employee: HR / the Appointing
    Authority, for the employees it answers for (``visible_employees``)."""
    return user.is_authenticated and user.is_active and user.has_role(R.HR)


# --- Export to payroll (issue 15, item 2). ---


def can_export_payroll(user) -> bool:
    """Who exports a pay period to payroll, lists the batches, downloads one again and reads its reconciliation: the
    payroll office — HR / the Appointing Authority for every agency (the HR role with no agency scope), since one
    batch covers every employee on the pay calendar. Not HR of one agency, a supervisor, an employee, a steward, a
    medical coordinator or a read-only auditor."""
    return (user.is_authenticated and user.is_active and not is_read_only(user) and user.has_role(R.HR)
            and user.agency_id is None)
