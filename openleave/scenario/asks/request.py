"""``request: {leave, from, to, hours?, ...facts}`` — the contract's findings on one leave request.

Runs ``openleave.rules.requests.check_request``: the outcome (allowed / partly_allowed /
not_allowed / needs_decision), the hours allowed, citations and reasons. Balances are the
simulated ledger's at the end of the leave's first day; sick-leave usage by purpose so far in that
calendar year comes from ``leave_taken`` events (``purpose: family_care | parental | parental_adoption
| adoption_prep | foster_care``); usage the ledger does not hold (DV days, military tour days, ...)
goes in ``used_hours`` / ``used_days``. The answer's ``value`` is the allowed hours; the extra keys
(``outcome``, ``allowed_hours``, ``charges``, ...) are in ``Decision.extra['answer']``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openleave.rules.decision import Decision
from openleave.rules.facts import WEEKDAYS
from openleave.rules.ledger import LEAVE_TYPES, LeaveTaken, balance
from openleave.rules.requests import (
    KINDS,
    USED_DAYS_KEYS,
    USED_HOURS_KEYS,
    LeaveAsk,
    RequestContext,
    check_request,
)
from openleave.rules.units import hours_str, to_micro

from ..schema import DATE, HOURS, TEXT, obj
from . import Ask, arg_date, refuse, register

WHEN = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$",
        "description": "a date (whole day) or a date and time, YYYY-MM-DD[THH:MM]"}
BOOL = {"type": "boolean"}
CREDITS = ["sick", "vacation", "personal", "comp_time"]
SCHEMA = obj(
    {
        "leave": {"enum": list(KINDS)},
        "from": WHEN,
        "to": WHEN,
        "hours": {**HOURS, "description": "time off asked when less than the scheduled hours of the range"},
        "purpose": TEXT, "relation": TEXT, "household": BOOL,
        "date_of_death": DATE, "funeral_date": DATE,
        "birth_date": DATE, "adoption_date": DATE, "placement_date": DATE, "placement_end": DATE,
        "charge_excess_to": {"type": "array", "items": {"enum": CREDITS}},
        "summoned_by": {"enum": ["commonwealth", "municipal", "county", "federal", "private"]},
        "summons_presented": BOOL, "arises_from_other_employment": BOOL, "defendant_or_personal_litigation": BOOL,
        "jury_fees": {"type": "number", "minimum": 0}, "regular_pay": {"type": "number", "minimum": 0},
        "election_date": DATE, "hours_preclude_voting": BOOL,
        "in_counselling_program": BOOL, "hrd_waiver": BOOL,
        "military_service": {"enum": ["state", "annual_tour", "reserve_other", "resigned_for_service"]},
        "intends_to_return": BOOL, "intermittent": BOOL, "written_request": BOOL, "physician_certificate": BOOL,
        "employee_is_perpetrator": BOOL, "documented_hardship": BOOL,
        "submitted_at": {**WHEN, "description": "when the request or notice was given (Sec. 8.1.J, 8.8.A, 5.3)"},
        "holidays": {"type": "array", "items": DATE},
        "shift_starts": obj({d: {"type": "string", "pattern": r"^\d{2}:\d{2}$"} for d in WEEKDAYS}, (),
                            "shift start time by weekday, HH:MM"),
        "single_shift_agency": BOOL, "medical_evidence_required": BOOL, "state_of_emergency": BOOL,
        "auto_approve": {"type": "array", "items": {"enum": list(KINDS)}},
        "comp_time_balance": {**HOURS, "description": "compensatory time available (not in the ledger)"},
        "used_hours": obj({k: {**HOURS, "description": v} for k, v in USED_HOURS_KEYS.items()}, (),
                          "hours already used this calendar year beyond the ledger's leave_taken events"),
        "used_days": obj({k: {"type": "integer", "minimum": 0, "description": v} for k, v in USED_DAYS_KEYS.items()}),
        "used_for_event_hours": {**HOURS, "description": "hours already taken for the same death/birth/placement"},
    },
    ("leave", "from", "to"),
    "the contract's findings on one leave request (outcome, allowed hours, citations)",
)
SICK_PURPOSE_USAGE = {
    "family_care": ("sick.family_care",),
    "parental": ("sick.family_care",),
    "parental_adoption": ("sick.family_care", "sick.adoption_total"),
    "adoption_prep": ("sick.adoption_prep", "sick.adoption_total"),
    "foster_care": ("sick.foster_care",),
}
FLAGS = ("household", "summons_presented", "arises_from_other_employment", "defendant_or_personal_litigation",
         "hours_preclude_voting", "in_counselling_program", "hrd_waiver", "intends_to_return", "intermittent",
         "written_request", "physician_certificate", "employee_is_perpetrator", "documented_hardship")


def _when(value: str, path: tuple) -> dt.date | dt.datetime:
    text = str(value)
    try:
        return dt.datetime.fromisoformat(text) if len(text) > 10 else dt.date.fromisoformat(text)
    except ValueError:
        raise refuse(path, f"{value!r} is not a date or date-time") from None


def _start_day(args: dict, path: tuple) -> dt.date:
    w = _when(args["from"], (*path, "from"))
    return w.date() if isinstance(w, dt.datetime) else w


def _ask(args: dict, path: tuple) -> LeaveAsk:
    event, event_date = None, None
    for key, name in (("birth_date", "birth"), ("adoption_date", "adoption"), ("placement_date", "foster_placement")):
        if key in args:
            event, event_date = name, arg_date(args, key, path)
    opt = {k: arg_date(args, k, path) for k in ("date_of_death", "funeral_date", "placement_end", "election_date")
           if k in args}
    flags = {k: args[k] for k in FLAGS if k in args}
    money = {k: Decimal(str(args[k])) for k in ("jury_fees", "regular_pay") if k in args}
    return LeaveAsk(
        kind=args["leave"],
        start=_when(args["from"], (*path, "from")),
        end=_when(args["to"], (*path, "to")),
        hours=Decimal(str(args["hours"])) if "hours" in args else None,
        purpose=args.get("purpose"),
        relation=args.get("relation"),
        event=event,
        event_date=event_date,
        charge_excess_to=tuple(args.get("charge_excess_to", ())),
        summoned_by=args.get("summoned_by"),
        military_service=args.get("military_service"),
        **opt, **flags, **money,
    )


def _context(args: dict, ctx, path: tuple) -> RequestContext:
    start = _start_day(args, path)
    entries = ctx.entries()
    balances = {leave: balance(entries, leave, start) for leave in LEAVE_TYPES}
    balances["emergency_day"] = balances.pop("emergency", 0)
    if "comp_time_balance" in args:
        balances["comp_time"] = to_micro(Decimal(str(args["comp_time_balance"])))
    used_hours = {k: 0 for k in USED_HOURS_KEYS}
    for e in ctx.events:
        if isinstance(e, LeaveTaken) and e.leave == "sick" and e.on.year == start.year and e.on < start:
            for key in SICK_PURPOSE_USAGE.get(e.purpose, ()):
                used_hours[key] += e.hours
    for k, v in args.get("used_hours", {}).items():
        used_hours[k] += to_micro(Decimal(str(v)))
    shift_starts = {d: dt.time.fromisoformat(t) for d, t in args.get("shift_starts", {}).items()}
    submitted = _when(args["submitted_at"], (*path, "submitted_at")) if "submitted_at" in args else None
    if isinstance(submitted, dt.date) and not isinstance(submitted, dt.datetime):
        submitted = dt.datetime.combine(submitted, dt.time())
    return RequestContext(
        balances=balances,
        used_hours=used_hours,
        used_days=dict(args.get("used_days", {})),
        used_for_event=to_micro(Decimal(str(args.get("used_for_event_hours", 0)))),
        submitted_at=submitted,
        holidays=frozenset(arg_date({"d": h}, "d", (*path, "holidays")) for h in args.get("holidays", ())),
        shift_starts=shift_starts,
        single_shift_agency=bool(args.get("single_shift_agency", False)),
        auto_approve=frozenset(args.get("auto_approve", ())),
        medical_evidence_required=bool(args.get("medical_evidence_required", False)),
        state_of_emergency=bool(args.get("state_of_emergency", False)),
    )


def _answer(args, ctx, path):
    f = check_request(ctx.facts, _ask(args, path), _context(args, ctx, path), ctx.tree)
    allowed = hours_str(f.allowed_micro)
    head = (f"Outcome: {f.outcome} — {allowed} h of {hours_str(f.requested_micro)} h asked"
            + (" (a human decides)" if f.outcome == "needs_decision" else "") + ".")
    extra = {
        "outcome": f.outcome,
        "allowed_hours": allowed,
        "requested_hours": hours_str(f.requested_micro),
        "charges": [{"leave": t, "hours": hours_str(m)} for t, m in f.charges],
        "visible_to_supervisor": f.visible_to_supervisor,
        "needs_human": f.needs_human,
        "alternatives": list(f.alternatives),
        "grounds_for_denial": [{"code": g.code, "text": g.text, "cite": g.cite} for g in f.grounds_for_denial],
        **({"jury_fees": f.extra["jury_fees"]} if "jury_fees" in f.extra else {}),
    }
    return Decision(f.allowed_micro, f.citations, (head, *f.reasons), unit="hours", extra={"answer": extra})


register(Ask(
    name="request",
    schema=SCHEMA,
    answer=_answer,
    horizon=_start_day,
    description="the contract's findings on one leave request",
))
