"""What the foundation apps (people, accounts, privacy) hold, export and keep — registered here.

Later apps register their own from their ``AppConfig.ready()`` (see registry.py, exports.py,
retention.py, aggregates.py).
"""

from __future__ import annotations

import functools

from django.apps import apps as django_apps
from django.conf import settings

from .exports import register_exporter
from .registry import not_personal, register, register_app
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
    register("privacy.AccessLog", category="audit", why="accountability: who read or changed personal data, why",
             retention="access_log")
    not_personal("privacy.ChainHead", "the access log's newest hash")
    # The ledger registers its own detail from its ready(); until then every ledger field is leave data.
    register_app("ledger", category="leave", why="leave balances and the cited entries behind them (Art. 8, 9, 10)",
                 retention="leave")
    # Leave requests likewise; the kind-specific ``facts`` hold categories, never a diagnosis, and the kind of
    # a protected leave (sick family care, DV, FMLA) shows to a supervisor only as ``visible_kind``.
    register_app("leave", category="leave", why="leave requests, the decisions on them and their reasons "
                 "(Art. 8, 9, MOUs); protected kinds shown to supervisors only as a category", retention="leave")

    register("holidays.HolidayDesignation", category="none", why="organisation data: the agency's holiday calendar",
             retention="kept", fields={"designated_by": {
                 "category": "directory", "retention": "account", "who": "anyone who sees the agency's holiday calendar",
                 "why": "the named person who moved the holiday (Sec. 10.2), for accountability"}})

    _builtin_rules()
    register_exporter("people")(people_rows)
    register_exporter("privacy")(privacy_rows)
    # Until the ledger and leave-request apps register their own exporter (same name: theirs replaces this),
    # export every row of theirs that points at the employee, field by field.
    from django.apps import apps as django_apps

    for app_label in ("ledger", "leave"):
        if django_apps.is_installed(f"openleave.{app_label}"):
            register_exporter(app_label)(functools.partial(app_rows, app_label))


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


def _employee_link(model):
    """The name of the field through which ``model`` points at an employee, directly or via one hop."""
    from openleave.people.models import Employee

    for f in model._meta.concrete_fields:
        if f.is_relation and f.related_model is Employee:
            return f.name
    for f in model._meta.concrete_fields:
        if f.is_relation and f.related_model is not None and f.related_model is not model:
            for g in f.related_model._meta.concrete_fields:
                if g.is_relation and g.related_model is Employee:
                    return f"{f.name}__{g.name}"
    return None


def _plain_row(obj) -> dict:
    from openleave.people.models import Employee

    row = {}
    for f in obj._meta.concrete_fields:
        if f.is_relation and f.related_model in (Employee, django_apps.get_model(settings.AUTH_USER_MODEL)):
            continue  # never another person's id; the export is about this employee
        value = getattr(obj, f.attname)
        if f.choices and not f.is_relation:
            value = getattr(obj, f"get_{f.name}_display")()
        row[f.name] = value
    return row


def app_rows(app_label: str, employee) -> dict[str, list[dict]]:
    out = {}
    for model in django_apps.get_app_config(app_label).get_models():
        link = _employee_link(model)
        if link is None:
            continue
        qs = model._default_manager.filter(**{link: employee}).order_by("pk")
        out[model._meta.model_name] = [_plain_row(o) for o in qs]
    if app_label == "ledger":
        try:
            from openleave.ledger.models import Leave
            from openleave.ledger.selectors import balances

            out["balances"] = [{"leave": Leave(k).label, "hours": v / 1_000_000}
                               for k, v in sorted(balances(employee.pk).items())]
        except (ImportError, AttributeError, TypeError, ValueError):
            pass
    return out
