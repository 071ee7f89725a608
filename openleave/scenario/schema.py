"""The JSON Schema of a scenario, built from a base plus each registered ask's own schema.

``docs/scenario.schema.json`` is this schema written out (``openleave scenario --schema``);
tests/scenarios/test_schema.py checks that the file is up to date.
"""

from __future__ import annotations

from typing import Any

from openleave.rules.accrual import UNPAID_LEAVE_KINDS
from openleave.rules.calendar import full_time_weeks
from openleave.rules.facts import STATUSES, WEEKDAYS
from openleave.rules.ledger import LEAVE_TYPES


def _json_number(d):
    """A Decimal as the JSON number a scenario writes (40, not 40.0)."""
    return int(d) if d == d.to_integral_value() else float(d)

DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "a date, YYYY-MM-DD"}
HOURS = {"type": "number", "minimum": 0, "description": "hours, a decimal with at most 6 places"}
SIGNED_HOURS = {"type": "number", "description": "hours, signed (+ credit, − debit)"}
OLD_LEAVE_NAMES = {"emergency": "emergency_day"}  # older spellings of a leave type, still accepted (renamed on load)
LEAVE = {"enum": [*LEAVE_TYPES, *OLD_LEAVE_NAMES], "description": "a leave type; "
         + ", ".join(f"{old} is the older spelling of {new}" for old, new in OLD_LEAVE_NAMES.items())}
LEAVE_ASKS = ("balance", "credited", "forfeits", "ledger")  # the asks whose ``leave`` is a leave type


def current_names(doc: dict) -> dict:
    """``doc`` with the older spellings of leave types (``OLD_LEAVE_NAMES``) replaced, in the events and in the
    asks about a leave type (a ``request``'s ``leave`` is a kind of leave request, not renamed)."""
    bodies = [body for ev in doc.get("events") or [] if isinstance(ev, dict) for body in ev.values()]
    bodies += [q[name] for q in doc.get("questions") or [] if isinstance(q, dict) for name in LEAVE_ASKS if name in q]
    for body in bodies:
        if isinstance(body, dict) and body.get("leave") in OLD_LEAVE_NAMES:
            body["leave"] = OLD_LEAVE_NAMES[body["leave"]]
    return doc
TEXT = {"type": "string"}
YEAR = {"type": "integer", "minimum": 1900, "maximum": 2999}
EARNED = {**YEAR, "description": "the year the credit was earned (vintage): for vacation the vacation year (Sec. 9.1, "
                                 "9.8), else the calendar year; default the year of `date`. `vintage` is the same key"}


def obj(properties: dict[str, Any], required: tuple[str, ...] = (), description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": properties}
    if required:
        out["required"] = list(required)
    if description:
        out["description"] = description
    return out


EMPLOYEE = obj(
    {
        "service_start": {**DATE, "description": "first working day in the state agency (Sec. 9.2.B)"},
        "schedule_hours_per_week": {"type": "number", "exclusiveMinimum": 0, "description": "scheduled hours a week; default: the title's"},
        "title_full_time_hours_per_week": {"enum": [_json_number(w) for w in full_time_weeks()],
                                           "description": "the title's full-time week (Sec. 8.9, 9.16; calendar.day_hours); "
                                                          f"default {_json_number(max(full_time_weeks()))}"},
        "status": {"enum": list(STATUSES)},
        "on_payroll_2011_09_01": {"type": "boolean", "description": "Sec. 8.2.A vs 8.2.B; default: hire_date on or before "
                                                          "personal.payroll_cohort_date"},
        "prior_relevant_experience_years": {**HOURS, "description": "years of prior relevant work experience (Sec. 9.2.C, Vacation MOU)"},
        "prior_experience_approved": {"type": "boolean", "description": "the Appointing Authority approved the credit"},
        "enhanced_accrual_from": {**DATE, "description": "a late request is prospective: enhanced accrual from this date"},
        "hire_date": {**DATE, "description": "original hire date; default service_start"},
        "unit_entry_date": {**DATE, "description": "hire or promotion into the bargaining unit (Sec. 8.2.A table); default service_start"},
        "emergency_personnel": {"type": "boolean", "description": "designated emergency personnel (MOU Regarding State of Emergency)"},
        "service_breaks": {
            "type": "array",
            "items": obj(
                {"left": DATE, "returned": DATE, "prior_service_approved": {"type": "boolean"}},
                ("left", "returned"),
                "a separation and reinstatement (Sec. 9.7, 9.12)",
            ),
        },
        "service_adjustment_days": {"type": "integer", "description": "other service credited (+) or excluded (−)"},
        "work_schedule": obj({d: HOURS for d in WEEKDAYS}, (), "scheduled hours by weekday; default: the week over Monday–Friday"),
        "separation_date": DATE,
        "probation_end": DATE,
    },
    ("service_start",),
)

EVENT_KINDS: dict[str, dict[str, Any]] = {
    "opening_balance": obj({"leave": LEAVE, "hours": HOURS, "earned_year": EARNED, "vintage": EARNED, "cite": TEXT},
                           ("leave", "hours"), "the balance at the start of `date`: one per leave type and vintage"),
    "transfer_in": obj({"leave": {"enum": ["sick", "vacation"]}, "hours": HOURS, "earned_year": EARNED, "vintage": EARNED,
                        "cite": TEXT}, ("leave", "hours")),
    "hours_paid": HOURS,
    "unpaid_hours": HOURS,
    "leave_taken": obj({"leave": LEAVE, "hours": HOURS, "purpose": TEXT}, ("leave", "hours")),
    "adjustment": obj({"leave": LEAVE, "hours": SIGNED_HOURS, "reason": TEXT, "cite": TEXT}, ("leave", "hours", "reason", "cite")),
    "unpaid_leave": obj({"kind": {"enum": list(UNPAID_LEAVE_KINDS)}, "from": DATE, "to": DATE}, ("kind", "from", "to")),
    "personal_carry_over": obj({"reason": TEXT}, (), "operational needs prevented use of personal leave in Nov/Dec (Sec. 8.2.B)"),
    "fmla_leave": obj({"from": DATE, "to": DATE}, ("from", "to"),
                      "FMLA leave already taken as one continuous period, from..to inclusive (Sec. 8.7.2); no `date`"),
    "fmla_intermittent": obj({"days": {**HOURS, "description": "days of the Sec. 8.9 day (prorated for part-time)"},
                              "hours": HOURS}, (),
                             "intermittent (or modified-schedule) FMLA time taken on `date`: days or hours (Sec. 8.7.2.B.4)"),
}
PERIOD_EVENTS = ("hours_paid", "unpaid_hours")  # take period_including; the others take date

TEXTS = {"anyOf": [TEXT, {"type": "array", "items": TEXT}]}
EXPECT = {
    "type": "object",
    "minProperties": 1,
    "description": (
        "the answer worked by hand (docs/scenarios.md, Expected answers): value and any other key of the answer "
        "(unit, outcome, allowed_hours, ...) must equal it, numbers as exact decimals; every listed citation must be "
        "among the answer's; each reasons_mention text must appear in some reason"
    ),
    "properties": {
        "value": {"description": "the answer's value: hours as a decimal (quote it: \"120.00144\"), or a list"},
        "unit": TEXT,
        "citations": {**TEXTS, "description": "citations that must all be among the answer's"},
        "reasons_mention": {**TEXTS, "description": "texts that must each appear in some reason (case aside)"},
    },
    "additionalProperties": True,  # the ask's own answer keys; an unknown one is refused once the answer is known
}


def build_schema() -> dict[str, Any]:
    from .asks import ASKS

    event = obj(
        {"date": DATE, "period_including": DATE, **EVENT_KINDS},
        (),
        "one dated fact: `date` (or `period_including` for hours_paid/unpaid_hours) and exactly one kind",
    )
    event["minProperties"] = 1
    event["maxProperties"] = 2
    question = obj({"id": {"type": "string", "minLength": 1}, **{a.name: a.schema for a in ASKS.values()}, "expect": EXPECT},
                   ("id",), "an id, exactly one ask, and optionally the expected answer")
    question["oneOf"] = [{"required": [name]} for name in ASKS]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://openleave.example/docs/scenario.schema.json",
        "title": "openleave scenario",
        "description": "Facts about one employee, dated events, and questions; see docs/scenarios.md",
        "type": "object",
        "additionalProperties": False,
        "required": ["employee", "questions"],
        "properties": {
            "description": TEXT,
            "employee": EMPLOYEE,
            "events": {"type": "array", "items": event},
            "questions": {"type": "array", "minItems": 1, "items": question},
        },
    }
