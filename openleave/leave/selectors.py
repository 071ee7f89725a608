"""Reads: balances as of the leave dates, usage so far, the rule context, what each viewer may see,
queues, conflicts with colleagues' leave and the Sec. 9.8 seniority order, the team calendar."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

from django.db.models import Q

from openleave import policy
from openleave.accounts import roles as R
from openleave.audit.access import Access, record_many
from openleave.holidays.selectors import holiday_dates
from openleave.ledger.models import LEAVE_SLUGS
from openleave.ledger.selectors import balance_parts, no_balance
from openleave.medical.selectors import FMLA_KINDS, fmla_taken
from openleave.people.models import Employee
from openleave.rules.requests import (
    KINDS,
    RequestContext,
    VacationClaim,
    declaration,
    registry,
    seniority_order,
)
from openleave.rules.units import hours_str

from . import union_limits
from .ledger_posting import LEDGER_LEAVE
from .models import KIND_LABELS, AutoApproval, LeaveRequest, Notification, RequestCharge, StateOfEmergency

S = LeaveRequest.Status
HOLDING = (S.SUBMITTED,)  # credits reserved, not yet posted
DECIDED_WITH_LEAVE = (S.APPROVED, S.PARTLY_APPROVED, S.TAKEN)
ACTIVE = HOLDING + DECIDED_WITH_LEAVE
# The request rules' credit names → the ledger's labels (one set: ``ledger.models.Leave``).
LEDGER_NAMES = {name: leave.label for name, (leave, _) in LEDGER_LEAVE.items()}


# --- holidays ----------------------------------------------------------------------------------

def holidays_between(start: dt.date, end: dt.date, agency=None) -> frozenset[dt.date]:
    """Contract holidays (Art. 10, the Employer's designations applied) in the range: no leave is charged on them."""
    return frozenset(holiday_dates(agency, start, end))


# --- balances ----------------------------------------------------------------------------------

def reserved_balances(employee: Employee, exclude: int | None = None) -> dict[str, int]:
    """Credits held by the employee's requests awaiting a decision (``reserved`` holds every charge of a
    pending request; only the ledger's credit types are subtracted from balances)."""
    out: dict[str, int] = defaultdict(int)
    qs = LeaveRequest.objects.filter(employee=employee, status__in=HOLDING).order_by()
    if exclude:
        qs = qs.exclude(pk=exclude)
    for reserved in qs.values_list("reserved", flat=True):  # no model instances: an employee may have many
        for t, m in (reserved or {}).items():
            out[t] += int(m)
    return dict(out)


def pending_holds(employee: Employee, exclude: int | None = None) -> dict[int, int]:
    """The ``pending`` part of the ledger's ``balance_parts`` (registered in ``LeaveConfig.ready``): the
    reservations of the credit types that live in the ledger, by ledger leave type."""
    out: dict[int, int] = defaultdict(int)
    for t, m in reserved_balances(employee, exclude).items():
        if t in LEDGER_LEAVE:
            out[int(LEDGER_LEAVE[t][0])] += m
    return dict(out)


def credit_balances(employee: Employee, as_of: dt.date, exclude: int | None = None) -> dict[str, int]:
    """What the request rules may draw, by their credit names (``LEDGER_LEAVE``): the ``available`` part of
    ``ledger.selectors.balance_parts`` as of ``as_of`` — the same figure every page and the API show."""
    parts = balance_parts(employee, as_of, exclude_request=exclude)
    return {name: parts.get(LEAVE_SLUGS[leave], no_balance(leave, as_of)).available
            for name, (leave, _) in LEDGER_LEAVE.items()}


# --- usage so far ------------------------------------------------------------------------------

def _charges_of(req: LeaveRequest) -> dict[str, int]:
    """What a live request draws: reserved while pending, the fixed charges once decided."""
    if req.status in HOLDING:
        return {t: int(m) for t, m in (req.reserved or {}).items()}
    return {c.leave_type: c.micro for c in req.charges.all() if c.reversed_at is None}


def usage_context(employee: Employee, year: int, facts: dict, exclude: int | None = None) -> tuple[dict, dict, int]:
    """``used_hours``, ``used_days`` (the calendar year ``year``) and ``used_for_event`` for the rules: the
    employee's live earlier requests of the same kind (``facts['_kind']``), counted as the kind's usage
    declarations say (``rules.requests.registry.usage``). One query (and its prefetch), none for a kind
    that declares no usage."""
    kind = facts.get("_kind")
    if kind not in KINDS or not declaration(kind).usage:
        return {}, {}, 0
    qs = (LeaveRequest.objects.filter(employee=employee, status__in=ACTIVE, kind=kind)
          .order_by().defer("finding_at_submission", "finding_at_decision").prefetch_related("charges"))
    if not registry.counts_across_years(kind):
        qs = qs.filter(Q(start_date__year=year) | Q(end_date__year=year))
    if exclude:
        qs = qs.exclude(pk=exclude)
    earlier = [registry.Earlier(r.facts or {}, _charges_of(r), r.start_date,
                                tuple(dt.date.fromisoformat(d) for d in (r.days or {}))) for r in qs]
    return registry.usage(kind, year, facts, earlier)


# --- state of emergency ------------------------------------------------------------------------

def emergencies_overlapping(agency, start: dt.date, end: dt.date):
    return StateOfEmergency.objects.filter(agency=agency, start_date__lte=end, end_date__gte=start).order_by("start_date")


def state_of_emergency(agency, start: dt.date, end: dt.date) -> bool:
    """Whether declared states of emergency of the agency (MOU Regarding State of Emergency) cover every
    date from ``start`` to ``end`` (one declaration or several adjoining ones)."""
    covered_to = start - dt.timedelta(days=1)
    for soe in emergencies_overlapping(agency, start, end):
        if soe.start_date > covered_to + dt.timedelta(days=1):
            return False
        covered_to = max(covered_to, soe.end_date)
        if covered_to >= end:
            return True
    return False


def rule_context(employee: Employee, kind: str, start: dt.date, end: dt.date, facts: dict, *,
                 exclude: int | None = None, now: dt.datetime | None = None) -> RequestContext:
    used_hours, used_days, used_event = usage_context(employee, start.year, {**facts, "_kind": kind}, exclude)
    auto = frozenset(AutoApproval.objects.filter(agency_id=employee.agency_id, enabled=True).values_list("kind", flat=True))
    return RequestContext(
        balances=credit_balances(employee, start, exclude),
        used_hours=used_hours, used_days=used_days, used_for_event=used_event,
        submitted_at=(now.replace(tzinfo=None) if now else None),
        holidays=holidays_between(start, end, employee.agency),
        single_shift_agency=employee.agency.single_shift,
        auto_approve=auto,
        state_of_emergency=kind == "emergency" and state_of_emergency(employee.agency, start, end),
        union_usage=union_limits.union_usage(employee, kind, start, end, facts, exclude),
        # the FMLA leave already approved counts against the entitlement (Sec. 8.7.2.B.1, B.4.a)
        fmla_taken=fmla_taken(employee, start, exclude=exclude) if kind in FMLA_KINDS else (),
    )


# --- who sees what -----------------------------------------------------------------------------

# The rules live in ``openleave.policy`` (the one place that decides); kept here as names for callers.
sees_everything = policy.sees_everything
can_decide = policy.can_decide


def decider_role(user, req: LeaveRequest) -> str:
    own = user.employee_or_none
    if own is not None and req.employee.supervisor_id == own.pk:
        return "supervisor"
    return "appointing_authority"


def visible_requests(user):
    return LeaveRequest.objects.filter(employee__in=policy.visible_employees(user, policy.LEAVE))


def request_for(user, pk: int) -> LeaveRequest:
    req = (visible_requests(user).select_related("employee__agency", "employee__title", "employee__supervisor",
                                                 "employee__pay_calendar").filter(pk=pk).first())
    if req is None:
        raise policy.NotVisible()
    return req


def kind_shown(user, req: LeaveRequest) -> str:
    if req.protected and not policy.sees_everything(user, req):
        return req.visible_kind or "protected leave"
    return req.kind_label


def finding_view(finding: dict, full: bool) -> dict:
    """A stored finding as a viewer may see it."""
    if not finding:
        return {}
    if full or not finding.get("protected"):
        return finding
    return {
        "outcome": finding.get("outcome"), "requested_micro": finding.get("requested_micro"),
        "allowed_micro": finding.get("allowed_micro"), "requested": finding.get("requested"),
        "allowed": finding.get("allowed"), "citations": [], "charges": {},
        "reasons": ["Protected leave: the reason is not shown."],
        "grounds": [] if finding.get("visible_to_supervisor") == "protected leave" else finding.get("grounds", []),
        "protected": True, "visible_to_supervisor": finding.get("visible_to_supervisor"), "alternatives": [],
    }


def decision_view(d, full: bool) -> dict:
    """One decision of a request's chain as a viewer may see it (a reconsideration shows its own finding)."""
    return {
        "id": d.pk, "reconsiders": d.reconsiders_id,
        "outcome": d.outcome, "outcome_label": d.get_outcome_display(),
        "approved_hours": hours_str(d.approved_micro), "grounds": d.grounds, "text": d.text,
        "decided_by": d.decided_by_label, "decided_as": d.get_decided_as_display(), "decided_as_code": d.decided_as,
        "decided_at": d.decided_at, "auto_rule": d.auto_rule,
        "finding_at_reconsideration": finding_view(d.finding_at_reconsideration, full),
    }


def request_view(user, req: LeaveRequest) -> dict:
    """Everything a page or the API shows about one request, filtered for the viewer."""
    full = policy.sees_everything(user, req)
    decision = getattr(req, "decision", None) if req.status not in (S.DRAFT, S.SUBMITTED) else None
    out = {
        "id": req.pk,
        "employee_number": req.employee.employee_number,
        "employee_name": req.employee.name,
        "kind": req.kind if full or not req.protected else "protected",
        "kind_label": kind_shown(user, req),
        "protected": req.protected,
        "start_date": req.start_date, "end_date": req.end_date,
        "start_time": req.start_time, "end_time": req.end_time,
        "status": req.status, "status_label": req.get_status_display(),
        "requested_hours": hours_str(req.requested_micro), "allowed_hours": hours_str(req.allowed_micro),
        "approved_hours": hours_str(req.approved_micro),
        "facts": (req.facts or {}) if full else {},
        "finding": finding_view(req.finding_at_submission, full),
        "finding_at_decision": finding_view(req.finding_at_decision, full),
        "submitted_at": req.submitted_at,
        "decision": None,
        "decisions": [],
        "charges": [],
        "close_reason": req.close_reason,
        "full": full,
    }
    if decision is not None:
        out["decision"] = decision_view(decision, full)
        out["decisions"] = [decision_view(d, full) for d in sorted(req.decisions.all(), key=lambda d: d.pk)]
    if full:
        out["charges"] = [
            {"leave_type": c.leave_type, "hours": hours_str(c.micro), "reversed": c.reversed_at is not None,
             "reversal_cite": c.reversal_cite, "decision": c.decision_id}
            for c in req.charges.all()
        ]
    return out


# --- lists -------------------------------------------------------------------------------------

def my_requests(employee: Employee):
    return (LeaveRequest.objects.filter(employee=employee).select_related("employee__agency").prefetch_related("decisions")
            .prefetch_related("charges").order_by("-start_date", "-id"))


def decision_queue(user):
    """Requests awaiting a decision by this user: their direct reports', or their agency's for HR / the AA."""
    qs = LeaveRequest.objects.filter(status=S.SUBMITTED).select_related("employee__agency", "employee__title")
    own = user.employee_or_none
    q = Q(pk__in=[])
    if own is not None and user.has_role(R.SUPERVISOR):
        q |= Q(employee__supervisor=own) & ~Q(kind__in=policy.FMLA_KINDS)  # FMLA: the coordinator or the AA
    if user.has_role(R.HR):
        q |= Q(employee__agency_id=user.agency_id) if user.agency_id else Q(pk__isnull=False)
    if user.has_role(R.MEDICAL):  # the medical (FMLA) coordinator decides family and medical leave (Sec. 8.7.2)
        q |= Q(kind__in=policy.FMLA_KINDS) & (Q(employee__agency_id=user.agency_id) if user.agency_id else Q())
    q |= Q(employee__agency__appointing_authority=user)
    if policy.is_read_only(user):
        return qs.none()
    qs = qs.filter(q)
    if own is not None:
        qs = qs.exclude(employee=own)
    return qs.order_by("start_date", "submitted_at")


def conflicts(req: LeaveRequest, user=None) -> list[LeaveRequest]:
    """Colleagues' live requests (approved or pending) overlapping this one that ``user`` may see: same
    supervisor, or same agency and title. Without ``user``: all of them (for callers that show none)."""
    emp = req.employee
    colleagues = Q(employee__agency_id=emp.agency_id, employee__title_id=emp.title_id)
    if emp.supervisor_id:
        colleagues |= Q(employee__supervisor_id=emp.supervisor_id)
    qs = (LeaveRequest.objects.filter(colleagues, status__in=ACTIVE, start_date__lte=req.end_date,
                                      end_date__gte=req.start_date)
          .exclude(employee_id=emp.pk).select_related("employee__title", "employee__agency").order_by("start_date"))
    if user is not None:
        qs = qs.filter(employee__in=policy.visible_employees(user, policy.LEAVE))
    return list(qs)


def _competing_vacation(req: LeaveRequest) -> list[LeaveRequest]:
    """Vacation requests by employees in the same title (and agency) that conflict with this one: the only
    ones Sec. 9.8 orders, whoever may see them."""
    if req.kind != "vacation":
        return []
    emp = req.employee
    return list(LeaveRequest.objects.filter(kind="vacation", status__in=ACTIVE, start_date__lte=req.end_date,
                                            end_date__gte=req.start_date, employee__agency_id=emp.agency_id,
                                            employee__title_id=emp.title_id)
                .exclude(employee_id=emp.pk).select_related("employee__title").order_by("start_date"))


def _employment_breaks(emp: Employee) -> int:
    return sum((b.returned - b.left).days for b in emp.service_breaks())


def seniority(req: LeaveRequest, others: list[LeaveRequest], named: set[int] | None = None) -> list:
    """Sec. 9.8 order among this vacation request and conflicting vacation requests in the same title.
    ``named``: the employees who may be named (others appear as "a colleague", with their rank only)."""
    if req.kind != "vacation":
        return []
    group = [req] + [o for o in others if o.kind == "vacation" and o.employee.title_id == req.employee.title_id]
    if len(group) < 2:
        return []

    def label(r):
        return r.employee.name if named is None or r.employee_id in named or r is req else "a colleague"

    claims = [VacationClaim(request_id=str(r.pk), employee=label(r), title=r.employee.title.name,
                            employment_start=r.employee.original_hire_date,
                            days_not_employed=_employment_breaks(r.employee)) for r in group]
    ranks = seniority_order(claims, req.start_date)
    if named is None:
        return ranks
    hidden = {str(r.pk) for r in group if r is not req and r.employee_id not in named}
    return [replace(k, employment_days=0, reasons=("Not on your team: the name, dates and years of employment are "
                                                   "not shown.",)) if k.request_id in hidden else k for k in ranks]


@dataclass
class DecisionConflicts:
    """What a decider sees of colleagues' leave on the dates of a request (Sec. 9.8), and whom it shows."""

    shown: list[LeaveRequest]  # colleagues' requests the decider may see: named, kind as they may see it
    ranks: list  # the Sec. 9.8 order; colleagues the decider may not see appear as "a colleague"
    unnamed: dict[str, int]  # conflicting same-title vacation of colleagues not shown: "more" / "equal" / "fewer"
    counted: list[LeaveRequest]  # those unnamed requests (their owners' data was read: logged, not shown)


def decision_conflicts(user, req: LeaveRequest) -> DecisionConflicts:
    """Colleagues' leave for the decision page, only as far as ``user`` may see it: requests of employees
    they may see (their reports; HR: the agency) with names; conflicting vacation of others in the same
    title only as a count by years of employment relative to this employee (Sec. 9.8) — never their names,
    kinds or dates. Protected kinds appear as their category (``kind_shown``)."""
    shown = conflicts(req, user)
    visible = {r.employee_id for r in shown}
    competing = _competing_vacation(req)
    if competing:
        extra = {r.employee_id for r in competing} - visible
        visible |= set(policy.visible_employees(user, policy.LEAVE).filter(pk__in=extra).values_list("pk", flat=True))
    counted = [r for r in competing if r.employee_id not in visible]
    ranks = seniority(req, [r for r in competing if r.employee_id in visible] + counted, named=visible)
    unnamed = {"more": 0, "equal": 0, "fewer": 0}
    mine = next((k.rank for k in ranks if k.request_id == str(req.pk)), None)
    hidden = {str(r.pk) for r in counted}
    for k in ranks:
        if k.request_id in hidden and mine is not None:
            unnamed["more" if k.rank < mine else "equal" if k.rank == mine else "fewer"] += 1
    return DecisionConflicts(shown=shown, ranks=ranks, unnamed=unnamed, counted=counted)


def team_members(user):
    own = user.employee_or_none
    if user.has_role(R.SUPERVISOR) and own is not None:
        return Employee.objects.filter(supervisor=own).select_related("title").order_by("family_name", "given_name")
    if user.has_role(R.HR):
        return policy.visible_employees(user, policy.LEAVE).select_related("title").order_by("family_name", "given_name")
    return Employee.objects.none()


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, pycal.monthrange(year, month)[1])


def team_calendar(user, year: int, month: int) -> dict:
    """Every team member (also those with no leave) × the days of the month, approved vs pending."""
    first, last = month_bounds(year, month)
    members = list(team_members(user))
    reqs = (LeaveRequest.objects.filter(employee__in=members, status__in=ACTIVE, start_date__lte=last, end_date__gte=first)
            .select_related("employee__agency").order_by("start_date"))
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    cells: dict[int, dict[dt.date, list]] = {m.pk: {} for m in members}
    listing: dict[int, list] = {m.pk: [] for m in members}
    for r in reqs:
        label = kind_shown(user, r)
        state = "pending" if r.status in HOLDING else "approved"
        listing[r.employee_id].append({"request": r, "label": label, "state": state})
        dates = [dt.date.fromisoformat(d) for d in (r.days or {})] or [
            r.start_date + dt.timedelta(days=i) for i in range((r.end_date - r.start_date).days + 1)]
        for d in dates:
            if first <= d <= last:
                cells[r.employee_id].setdefault(d, []).append({"label": label, "state": state})
    rows = [{"employee": m, "cells": [cells[m.pk].get(d, []) for d in days], "leave": listing[m.pk]} for m in members]
    return {"days": days, "rows": rows, "first": first, "last": last}


def monthly_summary(user, year: int, month: int) -> list[dict]:
    """Hours of approved/taken leave per team member and leave kind (as the viewer may see it) in the month."""
    first, last = month_bounds(year, month)
    members = list(team_members(user))
    reqs = LeaveRequest.objects.filter(employee__in=members, status__in=DECIDED_WITH_LEAVE,
                                       start_date__lte=last, end_date__gte=first).select_related("employee__agency")
    sums: dict[tuple[int, str], int] = defaultdict(int)
    for r in reqs:
        label = kind_shown(user, r)
        for d, m in (r.days or {}).items():
            if first <= dt.date.fromisoformat(d) <= last:
                sums[(r.employee_id, label)] += int(m)
    out = []
    for m in members:
        kinds = sorted((label, v) for (eid, label), v in sums.items() if eid == m.pk)
        if not kinds:
            out.append({"employee": m, "kind": "", "micro": 0})
        for label, v in kinds:
            out.append({"employee": m, "kind": label, "micro": v})
    return out


def kind_choices() -> list[tuple[str, str]]:
    return list(KIND_LABELS.items())


__all__ = ["RequestCharge"]


# --- reads shown to a user, logged (the pages and the API share them) ------------------------------------


def log_people(user, people, obj: str, pk="", *, channel: str = "ui", action: str = "read", fields: str = ""):
    """One access-log row per person shown (each their own subject), appended in one statement."""
    record_many(actor=user, channel=channel, accesses=[
        Access(subject=p, object_type=obj, object_id=pk, category=policy.LEAVE, action=action, fields=fields)
        for p in {p.pk: p for p in people}.values()])


def log_notifications(user, notes, *, channel: str = "ui") -> None:
    """Notifications shown to ``user``: one row per person they are about — the employee of the request, or
    the user themself — naming the notifications."""
    own = user.employee_or_none
    by_subject: dict[int, tuple] = {}
    for n in notes:
        emp = n.request.employee if n.request_id else own
        if emp is not None:
            by_subject.setdefault(emp.pk, (emp, []))[1].append(n.pk)
    record_many(actor=user, channel=channel, accesses=[
        Access(subject=emp, object_type="notification", object_id=",".join(map(str, pks))[:60], category=policy.LEAVE)
        for emp, pks in by_subject.values()])


def notifications_of(user, limit: int):
    return list(Notification.objects.filter(user=user).select_related("request__employee")[:limit])
