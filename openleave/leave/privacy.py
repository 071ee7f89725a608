"""What the leave app holds about people, what a member's export contains, how long it is kept, and the
de-identified usage counts — registered with ``openleave.privacy`` from ``LeaveConfig.ready()``.

* Kind-specific facts, the findings (reasons, citations) and the kind of a **protected** request —
  domestic violence, sexual assault or stalking leave (Sec. 8.12) and sick leave for family care
  (Sec. 8.1.C.2) — are in the ``protected`` category: the employee and HR / the Appointing Authority
  of the agency see them (``policy.sees_everything``); a supervisor, a steward and an auditor see only
  the category (``visible_kind``: "protected leave", "sick leave (family)").
* The export holds every request the member's pages show (all of them, whatever the status), its
  decision, charges, the member's notifications and absences — never another employee's request:
  notifications a supervisor receives about their team's requests concern those people and are left out.
* Aggregates count people per (agency, month, kind) from approved and taken leave; every protected
  request counts under the neutral label "protected leave", whatever its kind.
"""

from __future__ import annotations

import datetime as dt
import json

from django.db.models import Q

from openleave.privacy.aggregates import UsageRow, register_usage_source
from openleave.privacy.exports import register_exporter
from openleave.privacy.registry import register
from openleave.privacy.retention import register_rule
from openleave.rules.units import hours_str

PROTECTED_LABEL = "protected leave"
REQUEST_WHY = "the employee's leave requests and the contract's findings on them (Art. 5, 7.2.G, 8, 9, MOUs)"
PROTECTED_WHY = ("the kind, facts and reasons of protected leave (Sec. 8.12; sick family care, Sec. 8.1.C.2): "
                 "categories and dates only, never a diagnosis; others see only the category")


def register_all() -> None:
    protected = {"category": "protected", "why": PROTECTED_WHY}
    register("leave.LeaveRequest", category="leave", why=REQUEST_WHY, retention="leave",
             fields={"kind": protected, "facts": protected, "finding_at_submission": protected,
                     "finding_at_decision": protected,
                     "replay_inputs": {**protected, "why": "what each finding relied on — the employee's facts, the "
                                       "request, the balances, usage and holidays the rules were given, the contract "
                                       "parameters' hash and the code version — so the member or an arbitrator can "
                                       "replay the decision (\"Check this yourself\"); this member's data only, the "
                                       "union-wide Art. 5 usage as counts and dates"},
                     "visible_kind": {"why": "the kind as a supervisor may see it (protected kinds as a category)"},
                     "created_by": {"why": "who entered the request: the employee, or HR on "
                                                                "their behalf (accountability)"},
                     "closed_by": {"why": "who cancelled, amended or corrected it"}})
    register("leave.Decision", category="leave", retention="leave",
             why="who decided a request, when and why: a named human's reasons, or the setting that decided it; a "
                 "reconsideration (Art. 23) is a new decision linked to the one it reconsiders, which stays as it was",
             fields={"decided_by": {"why": "the named person who decided (accountability)"},
                     "finding_at_reconsideration": protected})
    register("leave.GrievanceOutcome", category="leave", retention="leave",
             why="the outcome of the member's grievance (Art. 23) as HR / the Appointing Authority recorded it: step, "
                 "result, date, reference, text and the correction it ordered",
             who="the member, and HR / the Appointing Authority of the agency",
             fields={"recorded_by": {"why": "the named person who recorded the outcome (accountability)"}})
    register("leave.RequestCharge", category="leave", retention="leave",
             why="the hours charged when the request was decided, and their reversals",
             fields={"leave_type": protected})
    register("leave.Absence", category="leave", retention="leave",
             why="an absence without approved leave, shown to the employee (Sec. 8.1.K.3, 8.11)",
             fields={"recorded_by": {"why": "who recorded the absence (accountability)"}})
    register("leave.Notification", category="leave", retention="leave",
             why="messages about the user's own requests, or requests they decide",
             who="the user it is addressed to")
    register("leave.AutoApproval", category="none", why="organisation data: the agency's auto-approval switches",
             retention="kept", fields={"set_by": {"category": "directory", "retention": "account",
                                                  "why": "the named person who switched it (accountability)"}})
    register("leave.StateOfEmergency", category="none", retention="kept",
             why="organisation data: a declared state of emergency for an agency and dates (MOU)",
             fields={"declared_by": {"category": "directory", "retention": "account",
                                     "who": "HR / the Appointing Authority of the agency (the state-of-emergency page)",
                                     "why": "the named person who recorded it (accountability)"}})
    register_exporter("leave")(export_rows)
    _retention_rules()
    register_usage_source("leave_requests")(usage_rows)


# --- export ------------------------------------------------------------------------------------

def _json(value) -> str:
    return json.dumps(value or {}, ensure_ascii=False, sort_keys=True, default=str)


def _finding_text(finding: dict) -> tuple[str, str]:
    return " ".join(finding.get("reasons") or []), ", ".join(finding.get("citations") or [])


def export_rows(employee) -> dict[str, list[dict]]:
    """Every leave record of this employee, as their own pages show it (in full: it is their record)."""
    from .models import Absence, Decision, GrievanceOutcome, LeaveRequest, Notification, RequestCharge

    reqs = list(LeaveRequest.objects.filter(employee=employee).select_related("created_by").order_by("id"))
    requests = []
    for r in reqs:
        reasons, cites = _finding_text(r.finding_at_submission or {})
        d_reasons, d_cites = _finding_text(r.finding_at_decision or {})
        entered_by = "" if r.created_by_id in (None, employee.user_id) else r.created_by.display_name()
        requests.append({
            "request": r.pk, "kind": r.kind_label, "shown_to_supervisor_as": r.visible_kind or r.kind_label,
            "protected": r.protected, "start_date": r.start_date, "end_date": r.end_date,
            "start_time": r.start_time, "end_time": r.end_time, "hours": r.hours, "facts": _json(r.facts),
            "status": r.get_status_display(), "requested_hours": hours_str(r.requested_micro),
            "allowed_hours": hours_str(r.allowed_micro), "approved_hours": hours_str(r.approved_micro),
            "reasons_at_submission": reasons, "citations_at_submission": cites,
            "reasons_at_decision": d_reasons, "citations_at_decision": d_cites,
            "hours_per_day": _json({k: hours_str(v) for k, v in (r.days or {}).items()}),
            "amends_request": r.amends_id, "entered_by_on_your_behalf": entered_by,
            "created_at": r.created_at, "submitted_at": r.submitted_at, "closed_at": r.closed_at,
            "close_reason": r.close_reason,
        })
    decisions = [{
        "request": d.request_id, "outcome": d.get_outcome_display(), "approved_hours": hours_str(d.approved_micro),
        "grounds": "; ".join(f"{g.get('text', '')} ({g.get('cite', '')})" for g in d.grounds or []),
        "reasons": d.text, "decided_by": d.decided_by_label, "decided_as": d.get_decided_as_display(),
        "decided_at": d.decided_at, "automatic_rule": d.auto_rule, "decision": d.pk, "reconsiders": d.reconsiders_id,
    } for d in Decision.objects.filter(request__employee=employee).order_by("request_id", "id")]
    outcomes = [{
        "outcome": o.pk, "step": o.get_step_display(), "result": o.get_result_display(), "decided_on": o.decided_on,
        "reference": o.reference, "text": o.text, "decision": o.decision_id, "ledger_entry": o.ledger_entry_id,
        "act": o.act, "correction": o.get_correction_display(), "correction_hours": hours_str(o.correction_micro),
        "correction_decision": o.correction_decision_id, "correction_entry": o.correction_entry_id,
        "recorded_by": o.recorded_by.display_name(), "recorded_at": o.recorded_at,
    } for o in GrievanceOutcome.objects.filter(employee=employee).select_related("recorded_by").order_by("id")]
    charges = [{
        "request": c.request_id, "leave_type": c.leave_type, "hours": hours_str(c.micro),
        "reversed_at": c.reversed_at, "reversal_cite": c.reversal_cite,
    } for c in RequestCharge.objects.filter(request__employee=employee).order_by("request_id", "id")]
    notifications = []
    if employee.user_id:
        own = Notification.objects.filter(user_id=employee.user_id).filter(
            Q(request__isnull=True) | Q(request__employee=employee)).order_by("created_at", "id")
        notifications = [{"subject": n.subject, "message": n.body, "link": n.url, "created_at": n.created_at,
                          "read_at": n.read_at} for n in own]
    absences = [{"date": a.date, "hours": hours_str(a.micro), "note": a.note, "cite": a.cite,
                 "recorded_at": a.recorded_at} for a in Absence.objects.filter(employee=employee).order_by("date", "id")]
    return {"requests": requests, "decisions": decisions, "grievance_outcomes": outcomes, "charges": charges,
            "notifications": notifications, "absences": absences}


# --- retention ---------------------------------------------------------------------------------

def _purge_requests(qs) -> int:
    """Delete old requests with their decisions, charges and notifications (the ledger keeps its own
    entries); a newer request that amended one of them keeps standing on its own."""
    from .models import Decision, GrievanceOutcome, LeaveRequest, Notification, RequestCharge

    ids = list(qs.values_list("pk", flat=True))
    LeaveRequest.objects.filter(amends_id__in=ids).exclude(pk__in=ids).update(amends=None)
    LeaveRequest.objects.filter(pk__in=ids).update(amends=None)
    Notification.objects.filter(request_id__in=ids).delete()
    RequestCharge.objects.filter(request_id__in=ids).delete()
    GrievanceOutcome.objects.filter(Q(decision__request_id__in=ids) | Q(correction_decision__request_id__in=ids)).delete()
    while Decision.objects.filter(request_id__in=ids).exists():  # a chain from its last decision back (set-based)
        Decision.objects.filter(request_id__in=ids, reconsidered_by__isnull=True).delete()
    return LeaveRequest.objects.filter(pk__in=ids).delete()[0]


def _retention_rules() -> None:
    from .models import Absence, LeaveRequest, Notification

    register_rule(
        key="leave_requests", period="leave", action=_purge_requests,
        description="leave requests (with decisions, charges and notifications) whose leave ended before the period",
        due=lambda cutoff: LeaveRequest.objects.filter(end_date__lt=cutoff.date()).select_related("employee")
        .order_by("id"),
        subject_of=lambda r: r.employee,
        label=lambda r: f"leave request {r.pk} (employee {r.employee.employee_number}, ended {r.end_date:%Y-%m-%d})",
    )
    register_rule(
        key="leave_absences", period="leave", action="delete",
        description="absences without approved leave older than the period",
        due=lambda cutoff: Absence.objects.filter(date__lt=cutoff.date()).select_related("employee").order_by("id"),
        subject_of=lambda a: a.employee,
        label=lambda a: f"absence {a.pk} (employee {a.employee.employee_number}, {a.date:%Y-%m-%d})",
    )
    register_rule(
        key="leave_notifications", period="leave", action="delete",
        description="notifications older than the period",
        due=lambda cutoff: Notification.objects.filter(created_at__lt=cutoff).order_by("id"),
        label=lambda n: f"notification {n.pk} ({n.created_at:%Y-%m-%d})",
    )


# --- aggregates --------------------------------------------------------------------------------

def usage_rows(start: dt.date, end: dt.date):
    """(agency, month, kind, employee) for each month in which approved or taken leave falls; protected
    kinds all count as "protected leave"."""
    from .models import LeaveRequest

    S = LeaveRequest.Status
    qs = (LeaveRequest.objects.filter(status__in=(S.APPROVED, S.PARTLY_APPROVED, S.TAKEN), start_date__lte=end,
                                      end_date__gte=start)
          .values_list("employee_id", "employee__agency__code", "kind", "protected", "days", "start_date")
          .order_by())
    lo, hi = start.isoformat(), end.isoformat()
    for employee_id, agency, kind, protected, days, first in qs.iterator(chunk_size=2000):
        label = PROTECTED_LABEL if protected else kind
        months = {d[:7] for d in (days or {}) if lo <= d <= hi} or ({first.isoformat()[:7]} if lo <= first.isoformat() <= hi else set())
        for month in sorted(months):
            yield UsageRow(agency=agency, month=month, kind=label, employee_id=employee_id)
