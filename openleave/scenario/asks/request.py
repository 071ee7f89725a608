"""``request: {leave, from, to, hours?, ...facts}`` — the contract's findings on one leave request.

Runs ``openleave.rules.requests.check_request``: the outcome (allowed / partly_allowed /
not_allowed / needs_decision), the hours allowed, citations and reasons. The facts a kind takes, and
their schema, come from the kinds' declarations (``rules/requests/<kind>.py``) through the same parser
as the web and the API (``openleave.kinds.parse_facts``). ``birth_date`` / ``adoption_date`` /
``placement_date`` remain accepted as the older spelling of ``event`` + ``event_date``. Balances are the
simulated ledger's at the end of the leave's first day; earlier usage by purpose so far in that calendar
year comes from ``leave_taken`` events (leave and purpose, counted as the kinds' usage declarations say;
``purpose: parental_adoption`` is parental leave for an adoption); FMLA leave already taken comes from the ``fmla_leave`` / ``fmla_intermittent`` events; usage the ledger does not hold (DV
days, military tour days, ...) goes in ``used_hours`` / ``used_days``. The answer's ``value`` is the
allowed hours; the extra keys (``outcome``, ``allowed_hours``, ``charges``, ``days``, ...) are in
``Decision.extra['answer']``, from the finding's one JSON form (``Finding.as_json``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openleave import kinds
from openleave.inputs import BadInput
from openleave.rules.decision import Decision
from openleave.rules.facts import WEEKDAYS
from openleave.rules.fmla import ContinuousFmla, IntermittentFmla
from openleave.rules.holidays import contract_holidays
from openleave.rules.ledger import LEAVE_TYPES, LeaveTaken, balance
from openleave.rules.requests import (
    KINDS,
    USED_DAYS_KEYS,
    USED_HOURS_KEYS,
    LeaveAsk,
    RequestContext,
    check_request,
)
from openleave.rules.requests.registry import usage_of_credit
from openleave.rules.units import hours_str, to_micro

from ..schema import DATE, HOURS, obj
from . import Ask, arg_date, refuse, register
from .holidays import DESIGNATIONS, designations_of

WHEN = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$",
        "description": "a date (whole day) or a date and time, YYYY-MM-DD[THH:MM]"}
BOOL = {"type": "boolean"}
LEGACY_EVENTS = {"birth_date": "birth", "adoption_date": "adoption", "placement_date": "foster_placement"}
LEGACY_PURPOSES = {"parental_adoption": {"purpose": "parental", "event": "adoption"}}  # leave_taken events
SCHEMA = obj(
    {
        "leave": {"enum": list(KINDS)},
        "from": WHEN,
        "to": WHEN,
        "hours": {**HOURS, "description": "time off asked when less than the scheduled hours of the range"},
        **kinds.facts_schema(),
        **{k: {**DATE, "description": f"the older spelling of event: {v} with event_date"}
           for k, v in LEGACY_EVENTS.items()},
        "submitted_at": {**WHEN, "description": "when the request or notice was given (Sec. 8.1.J, 8.8.A, 5.3)"},
        "holidays": {"type": "array", "items": DATE,
                     "description": "more days that cost no leave, beside the contract's Art. 10 holidays"},
        "designations": DESIGNATIONS,
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
CONTEXT_KEYS = {"leave", "from", "to", "hours", *LEGACY_EVENTS, "submitted_at", "holidays", "designations", "shift_starts",
                "single_shift_agency", "medical_evidence_required", "state_of_emergency", "auto_approve",
                "comp_time_balance", "used_hours", "used_days", "used_for_event_hours"}


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
    kind = args["leave"]
    given = {k: v for k, v in args.items() if k not in CONTEXT_KEYS}
    legacy = [k for k in LEGACY_EVENTS if k in args]
    if legacy:
        if len(legacy) > 1 or "event" in given or "event_date" in given:
            raise refuse((*path, legacy[0]), "give one event: event + event_date, or one of "
                                             f"{', '.join(LEGACY_EVENTS)}")
        given["event"], given["event_date"] = LEGACY_EVENTS[legacy[0]], arg_date(args, legacy[0], path)
    start = _when(args["from"], (*path, "from"))
    try:
        facts = kinds.parse_facts(kind, given, start.date() if isinstance(start, dt.datetime) else start)
    except BadInput as exc:
        raise refuse((*path, exc.field), exc.message) from None
    return LeaveAsk(
        kind=kind,
        start=start,
        end=_when(args["to"], (*path, "to")),
        hours=Decimal(str(args["hours"])) if "hours" in args else None,
        **kinds.ask_facts(kind, facts),
    )


def _context(args: dict, ctx, path: tuple) -> RequestContext:
    start = _start_day(args, path)
    entries = ctx.entries()
    balances = {leave: balance(entries, leave, start) for leave in LEAVE_TYPES}
    if "comp_time_balance" in args:
        balances["comp_time"] = to_micro(Decimal(str(args["comp_time_balance"])))
    used_hours = {k: 0 for k in USED_HOURS_KEYS}
    for e in ctx.events:
        if isinstance(e, LeaveTaken) and e.purpose and e.on.year == start.year and e.on < start:
            facts = LEGACY_PURPOSES.get(e.purpose, {"purpose": e.purpose})
            for key in usage_of_credit(e.leave, facts):
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
        holidays=_holidays(args, ctx, path),
        shift_starts=shift_starts,
        single_shift_agency=bool(args.get("single_shift_agency", False)),
        auto_approve=frozenset(args.get("auto_approve", ())),
        medical_evidence_required=bool(args.get("medical_evidence_required", False)),
        state_of_emergency=bool(args.get("state_of_emergency", False)),
        fmla_taken=tuple(e for e in ctx.events if isinstance(e, ContinuousFmla | IntermittentFmla)),
    )


def _end_day(args: dict, path: tuple) -> dt.date:
    w = _when(args["to"], (*path, "to"))
    if isinstance(w, dt.datetime):
        return (w - dt.timedelta(microseconds=1)).date() if w.time() == dt.time() else w.date()
    return w


def _holidays(args: dict, ctx, path: tuple) -> frozenset[dt.date]:
    """The days of the range that cost no leave: the contract's Art. 10 holidays as observed (Sec. 10.1, 10.2),
    with the file's ``designations`` — what the app passes (``holidays.selectors.holiday_dates``) — plus any
    ``holidays:`` the file lists."""
    listed = {arg_date({"d": h}, "d", (*path, "holidays")) for h in args.get("holidays", ())}
    start, end = _start_day(args, path), _end_day(args, path)
    designations = designations_of(args, path)
    try:
        for year in range(start.year - 1, end.year + 2):  # a designation may move a holiday across a year end
            listed.update(h.date for h in contract_holidays(year, ctx.tree, designations) if start <= h.date <= end)
    except ValueError as exc:
        raise refuse((*path, "designations"), str(exc)) from None
    return frozenset(listed)


def _answer(args, ctx, path):
    f = check_request(ctx.facts, _ask(args, path), _context(args, ctx, path), ctx.tree)
    allowed = hours_str(f.allowed_micro)
    head = (f"Outcome: {f.outcome} — {allowed} h of {hours_str(f.requested_micro)} h asked"
            + (" (a human decides)" if f.outcome == "needs_decision" else "") + ".")
    j = f.as_json()
    extra = {
        "outcome": j["outcome"],
        "allowed_hours": j["allowed"],
        "requested_hours": j["requested"],
        "charges": [{"leave": t, "hours": hours_str(m)} for t, m in f.charges],
        "days": [{"date": d, "hours": hours_str(m)} for d, m in j["days"].items()],
        "visible_to_supervisor": j["visible_to_supervisor"],
        "needs_human": j["needs_human"],
        "alternatives": j["alternatives"],
        "grounds_for_denial": j["grounds"],
        **({"jury_fees": j["extra"]["jury_fees"]} if "jury_fees" in j["extra"] else {}),
    }
    return Decision(f.allowed_micro, f.citations, (head, *f.reasons), unit="hours", extra={"answer": extra})


register(Ask(
    name="request",
    schema=SCHEMA,
    answer=_answer,
    horizon=_start_day,
    description="the contract's findings on one leave request",
))
