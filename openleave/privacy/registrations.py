"""What the foundation apps (people, accounts, privacy) hold, export and keep — registered here.

Later apps register their own from their ``AppConfig.ready()`` (see registry.py, exports.py,
retention.py, aggregates.py).
"""

from __future__ import annotations

from django.conf import settings

from . import ledger_data
from .exports import register_exporter
from .registry import not_personal, register
from .retention import _builtin_rules

DIRECTORY_WHY = "to identify the employee and route their leave to the right supervisor and Appointing Authority"
SERVICE_WHY = "the facts the contract's leave rules need: service, schedule, status (Art. 8, 9, Sec. 9.2.B, 9.4)"


def register_all() -> None:
    register(
        "people.Employee", category="directory", why=DIRECTORY_WHY, retention="separated_employee",
        fields={name: {"category": "leave", "why": SERVICE_WHY} for name in (
            "status", "scheduled_weekly_hours", "work_schedule", "original_hire_date", "service_start",
            "vacation_service_date", "probation_end", "emergency_personnel", "prior_relevant_experience_years",
            "prior_experience_approved", "separation_date")},
        exclude=("bargaining_unit", "pay_calendar"),
    )
    register("people.ServiceEvent", category="leave",
             why="continuous-service history: breaks and adjustments (Sec. 9.2.B, 9.7, 9.12)", retention="leave",
             fields={"recorded_by": {"category": "audit", "why": "who recorded the event (accountability)"}})
    register("people.IndustrialAccidentLeave", category="leave", retention="leave",
             why="dates of industrial accident leave only (no medical detail): vacation keeps accruing (Sec. 9.13) "
                 "and credits that would be forfeited are converted to sick leave (Sec. 9.15)",
             fields={"recorded_by": {"category": "audit", "why": "who recorded the dates (accountability)"}})
    register("people.Agency", category="none", why="organisation data", retention="kept",
             fields={"appointing_authority": {"category": "directory", "retention": "account",
                                              "why": "the named person who makes discretionary decisions"}})
    not_personal("people.JobTitle")
    not_personal("people.PayCalendar")
    register(settings.AUTH_USER_MODEL, category="account", why="signing in and roles", retention="account",
             exclude=("is_staff", "is_superuser", "is_active", "date_joined"),
             fields={"password": {"why": "Argon2 hash only; never the password itself"}})
    register("accounts.ApiToken", category="account", why="API access; only a SHA-256 of the token is stored",
             retention="account")
    register("privacy.StewardConsent", category="leave",
             why="the employee's written authorisation of a steward (Sec. 24.1, Art. 23)", retention="consent",
             who="the employee; the named steward (their own consents); auditors")
    register("audit.AccessLog", category="audit", why="accountability: who read or changed personal data, why",
             retention="access_log")
    not_personal("audit.ChainHead", "the access log's newest hash")
    # The ledger's are kept here, above it (openleave/privacy/ledger_data.py); leave registers its own
    # (openleave/leave/privacy.py).
    ledger_data.register_all()

    register("holidays.HolidayDesignation", category="none", why="organisation data: the agency's holiday calendar",
             retention="kept", fields={"designated_by": {
                 "category": "directory", "retention": "account", "who": "anyone who sees the agency's holiday calendar",
                 "why": "the named person who moved the holiday (Sec. 10.2), for accountability"}})

    _builtin_rules()
    register_exporter("people")(people_rows)
    register_exporter("privacy")(privacy_rows)


def people_rows(employee) -> dict[str, list[dict]]:
    """What the employee's own page shows (and the rest of their record)."""
    e = employee
    record = {
        "employee_number": e.employee_number, "given_name": e.given_name, "family_name": e.family_name,
        "work_email": e.work_email, "bargaining_unit": e.bargaining_unit, "agency": e.agency.name,
        "title": e.title.name, "title_full_time_weekly_hours": e.title.full_time_weekly_hours,
        "status": e.get_status_display(), "scheduled_weekly_hours": e.scheduled_weekly_hours,
        "work_schedule": e.work_schedule, "original_hire_date": e.original_hire_date,
        "service_start": e.service_start, "vacation_service_date": e.vacation_service_date,
        "probation_end": e.probation_end, "supervisor": e.supervisor.name if e.supervisor_id else None,
        "emergency_personnel": e.emergency_personnel,
        "prior_relevant_experience_years": e.prior_relevant_experience_years,
        "prior_experience_approved": e.prior_experience_approved, "separation_date": e.separation_date,
        "user_name": e.user.username if e.user_id else None,
    }
    events = [{"kind": ev.get_kind_display(), "left": ev.left, "returned": ev.returned, "days": ev.days,
               "prior_service_approved": ev.prior_service_approved, "reason": ev.reason, "cite": ev.cite,
               "recorded_at": ev.recorded_at} for ev in e.service_events.order_by("recorded_at")]
    return {"employee": [record], "service_events": events}


def privacy_rows(employee) -> dict[str, list[dict]]:
    consents = [{"steward": c.steward.display_name(), "basis": c.get_basis_display(), "purpose": c.purpose,
                 "valid_from": c.valid_from, "valid_until": c.valid_until, "granted_at": c.granted_at,
                 "revoked_at": c.revoked_at}
                for c in employee.steward_consents.select_related("steward").order_by("granted_at")]
    log = [{"at": r.at, "who": r.actor_label, "action": r.action, "what": r.object_type, "category": r.category,
            "fields": r.fields, "why": r.purpose, "channel": r.channel}
           for r in employee.access_log.order_by("id")]
    return {"steward_consents": consents, "access_log": log}
