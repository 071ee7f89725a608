"""``request: {leave, from, to, hours?, ...facts}`` — the contract's findings on one leave request.

Runs ``openleave.rules.requests.check_request``: the outcome (allowed / partly_allowed /
not_allowed / needs_decision), the hours allowed, citations and reasons. The facts a kind takes, and
their schema, come from the kinds' declarations (``rules/requests/<kind>.py``) through the same parser
as the web and the API (``openleave.kinds.parse_facts``). ``birth_date`` / ``adoption_date`` /
``placement_date`` remain accepted as the older spelling of ``event`` + ``event_date``. Balances are the
simulated ledger's at the end of the leave's first day; earlier usage by purpose so far in that calendar
year comes from ``leave_taken`` events (leave and purpose, counted as the kinds' usage declarations say;
``purpose: parental_adoption`` is parental leave for an adoption); FMLA leave already taken comes from the ``fmla_leave`` / ``fmla_intermittent`` events; usage the ledger does not hold (DV
days, military tour days, ...) goes in ``used_hours`` / ``used_days``; the union-wide usage of the Art. 5 limits
(every member's union leave) in ``union_usage`` (``used_days: {union.*: n}`` is its older spelling). A replayed decision
(the decision page's "Check this yourself" file, ``leave.replay``) states the balances as the app had them in
``balances`` (then none is simulated) and every day that costs no leave in ``holidays`` with
``only_listed_holidays: true``. The answer's ``value`` is the
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
from openleave.rules.requests.model import UnionUsage
from openleave.rules.requests.registry import usage_of_credit
from openleave.rules.requests.union_limits import monday
from openleave.rules.units import hours_str, to_micro

from ..schema import DATE, HOURS, SIGNED_HOURS, obj
from . import Ask, arg_date, refuse, register
from .holidays import DESIGNATIONS, designations_of

WHEN = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?$",
        "description": "a date (whole day) or a date and time, YYYY-MM-DD[THH:MM[:SS[.ffffff]]]"}
BOOL = {"type": "boolean"}
LEGACY_EVENTS = {"birth_date": "birth", "adoption_date": "adoption", "placement_date": "foster_placement"}
LEGACY_PURPOSES = {"parental_adoption": {"purpose": "parental", "event": "adoption"}}  # leave_taken events
# used_days keys of union leave before the union-wide usage had its own block (still accepted)
LEGACY_UNION_DAYS = {"union.convention": "convention_days", "union.exec_board": "exec_board_days",
                     "union.steward_training_12_months": "steward_training_dates"}
COUNT = {"type": "integer", "minimum": 0}
BALANCE_KEYS = LEAVE_TYPES  # the credits a request may draw (the ledger's leave types)
WEEK_HOURS = {"type": "object", "propertyNames": {"pattern": r"^\d{4}-\d{2}-\d{2}$"},
              "additionalProperties": HOURS}
UNION_USAGE = obj(
    {
        "convention_days": {**COUNT, "description": "delegate-days of convention leave, pending and granted, across "
                                                    "the unit in the leave's calendar year (Sec. 5.3)"},
        "exec_board_dates": {"type": "array", "items": DATE,
                             "description": "Executive Board meeting days already requested by any member (Sec. 5.3)"},
        "exec_board_days": {**COUNT, "description": "Executive Board work days already used in the leave's calendar "
                                                   "year, none of them a day asked (Sec. 5.3)"},
        "steward_training_dates": {"type": "array", "items": DATE,
                                   "description": "steward-training days already requested by the Union (Sec. 5.3)"},
        "president_assist_hours": {**WEEK_HOURS, "description": "a date in a week → hours of President's-assistant "
                                                               "time that week, every member, this one included (Sec. 5.3)"},
        "president_assist_own_hours": {**WEEK_HOURS, "description": "a date in a week → this member's hours of "
                                                                   "President's-assistant time that week (Sec. 5.3)"},
        "full_time_leaves": {"type": "array", "items": obj({"from": DATE, "to": DATE}, ("from", "to")),
                             "description": "other members' full-time union leaves (Sec. 5.4)"},
        "unit_employees": {**COUNT, "description": "employees in the bargaining unit (Sec. 5.4)"},
    },
    (),
    "the union-wide usage of the Art. 5 limits across all members, pending and granted, the request left out",
)
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
        "balances": obj({k: {**SIGNED_HOURS, "description": f"{k} available as of the leave's first day"}
                         for k in BALANCE_KEYS}, (),
                        "the credits available as of the leave's first day, as the app had them (a file downloaded "
                        "from a decision states them): given, these are the balances — the simulated ledger is not "
                        "used for them"),
        "only_listed_holidays": {**BOOL, "description": "the `holidays` listed are all the days of the range that cost "
                                                        "no leave: the contract's Art. 10 holidays are not added "
                                                        "(a file downloaded from a decision lists them as the app had "
                                                        "them, its designations applied)"},
        "used_hours": obj({k: {**HOURS, "description": v} for k, v in USED_HOURS_KEYS.items()}, (),
                          "hours already used this calendar year beyond the ledger's leave_taken events"),
        "used_days": obj({**{k: {"type": "integer", "minimum": 0, "description": v} for k, v in USED_DAYS_KEYS.items()},
                          **{k: {"type": "integer", "minimum": 0, "description": f"the older spelling of union_usage.{v}"}
                             for k, v in LEGACY_UNION_DAYS.items()}}),
        "union_usage": UNION_USAGE,
        "used_for_event_hours": {**HOURS, "description": "hours already taken for the same death/birth/placement"},
    },
    ("leave", "from", "to"),
    "the contract's findings on one leave request (outcome, allowed hours, citations)",
)
CONTEXT_KEYS = {"leave", "from", "to", "hours", *LEGACY_EVENTS, "submitted_at", "holidays", "designations", "shift_starts",
                "single_shift_agency", "medical_evidence_required", "state_of_emergency", "auto_approve",
                "comp_time_balance", "balances", "only_listed_holidays", "used_hours", "used_days", "used_for_event_hours", "union_usage"}


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
    if "balances" in args:  # as the app had them: exactly these (none simulated)
        balances = {k: to_micro(Decimal(str(v))) for k, v in args["balances"].items()}
    else:
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
    used_days = {k: v for k, v in args.get("used_days", {}).items() if k not in LEGACY_UNION_DAYS}
    return RequestContext(
        balances=balances,
        used_hours=used_hours,
        used_days=used_days,
        union_usage=_union_usage(args, path),
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


def _union_usage(args: dict, path: tuple) -> UnionUsage:
    """``union_usage`` (and the older ``used_days: {union.*: n}``) as the rules' ``UnionUsage``."""
    given = dict(args.get("union_usage", {}))
    where = (*path, "union_usage")
    for old, new in LEGACY_UNION_DAYS.items():
        if old in args.get("used_days", {}):
            if new in given:
                raise refuse((*path, "used_days", old), f"give the usage once: union_usage.{new} or used_days.{old}")
            given[new] = args["used_days"][old]
    start, end = _start_day(args, path), _end_day(args, path)

    def dates(key):
        if isinstance(given.get(key), int):
            return frozenset()
        return frozenset(arg_date({"d": x}, "d", (*where, key)) for x in given.get(key, ()))

    def weeks(key):
        out: dict[dt.date, int] = {}
        for day, hours in given.get(key, {}).items():
            week = monday(arg_date({"d": day}, "d", (*where, key)))
            out[week] = out.get(week, 0) + to_micro(Decimal(str(hours)))
        return out

    exec_board = set(dates("exec_board_dates"))
    if given.get("exec_board_days"):  # a count of other days: the first days of the year that are not asked
        day, left = dt.date(start.year, 1, 1), int(given["exec_board_days"])
        while left and day.year == start.year:
            if not start <= day <= end and day not in exec_board:
                exec_board.add(day)
                left -= 1
            day += dt.timedelta(days=1)
    training = set(dates("steward_training_dates"))
    if isinstance(given.get("steward_training_dates"), int):  # the older count: a release in the last 12 months
        training = {start - dt.timedelta(days=1)} if given["steward_training_dates"] else set()
    leaves = []
    for i, leave in enumerate(given.get("full_time_leaves", ())):
        a, b = (arg_date(leave, k, (*where, "full_time_leaves", i)) for k in ("from", "to"))
        if b < a:
            raise refuse((*where, "full_time_leaves", i, "to"), f"{b} is before {a}")
        leaves.append((a, b))
    return UnionUsage(
        convention_days={start.year: int(given.get("convention_days", 0))},
        exec_board_dates=frozenset(exec_board), steward_training_dates=frozenset(training),
        president_assist_hours=weeks("president_assist_hours"),
        president_assist_own_hours=weeks("president_assist_own_hours"),
        full_time_leaves=tuple(sorted(leaves)),
        unit_employees=int(given["unit_employees"]) if "unit_employees" in given else None,
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
    if args.get("only_listed_holidays"):
        return frozenset(listed)
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
