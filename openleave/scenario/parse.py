"""Turn a schema-valid scenario into ``EmployeeFacts`` and ledger events, refusing impossible facts
(a date that is not a date, an end before a start, events out of order, a pay period before the
service start, …) with a ``ScenarioError`` that names the key."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from openleave.rules.calendar import full_time_weeks, period_containing
from openleave.rules.facts import EmployeeFacts, ServiceBreak
from openleave.rules.fmla import ContinuousFmla, IntermittentFmla
from openleave.rules.ledger import (
    Adjustment,
    HoursPaid,
    LeaveTaken,
    OpeningBalance,
    PersonalCarryOver,
    TransferIn,
    UnpaidHours,
    UnpaidLeave,
    vintage_of,
)
from openleave.rules.units import InexactHours, to_micro

from .errors import ScenarioError
from .schema import EVENT_KINDS, PERIOD_EVENTS


def date_at(value: Any, path: tuple) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ScenarioError(path, f"{value!r} is not a date (YYYY-MM-DD)") from None


def hours_at(value: Any, path: tuple) -> int:
    """Hours → micro-hours; refuses finer than 0.000001 h."""
    try:
        return to_micro(Decimal(str(value)))
    except InexactHours as exc:
        raise ScenarioError(path, str(exc)) from None


def _opt_date(data: dict, key: str, path: tuple) -> dt.date | None:
    return date_at(data[key], (*path, key)) if key in data else None


def parse_employee(data: dict) -> EmployeeFacts:
    p = ("employee",)
    start = date_at(data["service_start"], (*p, "service_start"))
    title = Decimal(str(data.get("title_full_time_hours_per_week", max(full_time_weeks()))))
    schedule = data.get("work_schedule") or {}
    week = Decimal(str(data["schedule_hours_per_week"])) if "schedule_hours_per_week" in data else None
    if schedule:
        total = sum((Decimal(str(v)) for v in schedule.values()), Decimal(0))
        if week is not None and total != week:
            raise ScenarioError((*p, "work_schedule"), f"the work schedule adds up to {total} hours, not schedule_hours_per_week {week}")
        week = total
    if week is not None and week > title:
        raise ScenarioError((*p, "schedule_hours_per_week"), f"{week} hours a week is more than the title's full-time {title} hours")
    if week is not None and week <= 0:
        raise ScenarioError((*p, "work_schedule"), "a work schedule needs some hours")
    breaks = []
    for i, b in enumerate(data.get("service_breaks", [])):
        bp = (*p, "service_breaks", i)
        left, back = date_at(b["left"], (*bp, "left")), date_at(b["returned"], (*bp, "returned"))
        if back <= left:
            raise ScenarioError((*bp, "returned"), f"returned {back} is not after left {left}")
        if left < start:
            raise ScenarioError((*bp, "left"), f"left {left} is before service_start {start}")
        breaks.append(ServiceBreak(left, back, bool(b.get("prior_service_approved", False))))
    status = data.get("status", "full_time" if week is None or week == title else "part_time")
    facts = EmployeeFacts(
        service_start=start,
        title_full_time_hours_per_week=title,
        schedule_hours_per_week=week,
        status=status,
        hire_date=_opt_date(data, "hire_date", p),
        on_payroll_2011_09_01=data.get("on_payroll_2011_09_01"),
        prior_relevant_experience_years=(Decimal(str(data["prior_relevant_experience_years"]))
                                         if "prior_relevant_experience_years" in data else None),
        prior_experience_approved=bool(data.get("prior_experience_approved", False)),
        service_breaks=tuple(breaks),
        service_adjustment_days=int(data.get("service_adjustment_days", 0)),
        probation_end=_opt_date(data, "probation_end", p),
        emergency_personnel=bool(data.get("emergency_personnel", False)),
        work_schedule={k: Decimal(str(v)) for k, v in schedule.items()},
        separation_date=_opt_date(data, "separation_date", p),
        enhanced_accrual_from=_opt_date(data, "enhanced_accrual_from", p),
        unit_entry_date=_opt_date(data, "unit_entry_date", p),
    )
    if facts.separation_date and facts.separation_date < start:
        raise ScenarioError((*p, "separation_date"), f"separation_date {facts.separation_date} is before service_start {start}")
    if facts.status == "full_time" and facts.weekly_hours < title:
        raise ScenarioError((*p, "status"), f"status full_time with {facts.weekly_hours} of {title} hours a week")
    return facts


def parse_events(items: list[dict], facts: EmployeeFacts) -> tuple[list[object], list[tuple]]:
    """Events and, for each, its path (so a later error can name the event's line)."""
    events: list[object] = []
    paths: list[tuple] = []
    last: dt.date | None = None
    seen_openings: dict[tuple[str, int, dt.date], tuple] = {}
    for i, item in enumerate(items):
        path = ("events", i)
        kinds = [k for k in item if k in EVENT_KINDS]
        if len(kinds) != 1:
            raise ScenarioError(path, f"an event needs exactly one of {', '.join(EVENT_KINDS)}")
        kind = kinds[0]
        ev, when = _event(kind, item, path, facts)
        if last is not None and when < last:
            raise ScenarioError(path, f"events must be in date order: {when} comes after {last}")
        last = when
        if isinstance(ev, OpeningBalance):  # one opening balance per leave type and vintage (the year earned)
            vintage = vintage_of(ev.leave, ev.on, ev.earned_year)
            if (ev.leave, vintage, ev.on) in seen_openings:
                first = seen_openings[(ev.leave, vintage, ev.on)]
                raise ScenarioError((*path, kind), f"a second {ev.leave} opening balance earned in {vintage} on {ev.on} "
                                                   f"(the first is events[{first[1]}]); give each vintage once")
            seen_openings[(ev.leave, vintage, ev.on)] = path
        events.append(ev)
        paths.append((*path, kind))
    return events, paths


def _event(kind: str, item: dict, path: tuple, facts: EmployeeFacts) -> tuple[object, dt.date]:
    body = item[kind]
    kp = (*path, kind)
    want = "period_including" if kind in PERIOD_EVENTS else "date"
    other = "date" if want == "period_including" else "period_including"
    if other in item:
        raise ScenarioError((*path, other), f"{kind} takes `{want}`, not `{other}`")
    if kind == "unpaid_leave":
        start, end = date_at(body["from"], (*kp, "from")), date_at(body["to"], (*kp, "to"))
        if end < start:
            raise ScenarioError((*kp, "to"), f"to {end} is before from {start}")
        _after_start(start, (*kp, "from"), facts, whole_period=False)
        return UnpaidLeave(body["kind"], start, end), start
    if kind == "fmla_leave":
        if "date" in item:
            raise ScenarioError((*path, "date"), "fmla_leave takes from/to, not `date`")
        start, end = date_at(body["from"], (*kp, "from")), date_at(body["to"], (*kp, "to"))
        if end < start:
            raise ScenarioError((*kp, "to"), f"to {end} is before from {start}")
        _after_start(start, (*kp, "from"), facts, whole_period=False)
        return ContinuousFmla(start, end), start
    if want not in item:
        raise ScenarioError(path, f"{kind} needs `{want}`")
    when = date_at(item[want], (*path, want))
    _after_start(when, (*path, want), facts, whole_period=(want == "period_including"))
    if kind == "hours_paid":
        return HoursPaid(when, hours_at(body, kp)), when
    if kind == "unpaid_hours":
        return UnpaidHours(when, hours_at(body, kp)), when
    if kind == "fmla_intermittent":
        given = [k for k in ("days", "hours") if k in (body or {})]
        if len(given) != 1:
            raise ScenarioError(kp, "fmla_intermittent needs days or hours (one of them)")
        if given[0] == "days":
            days = Decimal(str(body["days"]))
            if days <= 0:
                raise ScenarioError((*kp, "days"), "days must be more than zero")
            return IntermittentFmla(when, days=days), when
        micro = hours_at(body["hours"], (*kp, "hours"))
        if micro <= 0:
            raise ScenarioError((*kp, "hours"), "hours must be more than zero")
        return IntermittentFmla(when, micro=micro), when
    if kind == "personal_carry_over":
        return PersonalCarryOver(when.year, str((body or {}).get("reason", ""))), when
    hours = hours_at(body["hours"], (*kp, "hours"))
    if kind == "opening_balance":
        return OpeningBalance(when, body["leave"], hours, _earned_year(body, kp, body["leave"], when),
                              body.get("cite", "opening balance")), when
    if kind == "transfer_in":
        return TransferIn(when, body["leave"], hours, body.get("cite", ""), _earned_year(body, kp, body["leave"], when)), when
    if kind == "leave_taken":
        return LeaveTaken(when, body["leave"], hours, str(body.get("purpose", ""))), when
    if kind == "adjustment":
        return Adjustment(when, body["leave"], hours, body["reason"], body["cite"]), when
    raise ScenarioError(kp, f"unknown event {kind}")  # pragma: no cover - the schema lists the kinds


def _earned_year(body: dict, path: tuple, leave: str, when: dt.date) -> int | None:
    """``earned_year`` (or its other name ``vintage``): the year the credit was earned — for vacation the vacation
    year (Sec. 9.1, 9.8), for the other leave types the calendar year. Not after the year of ``date`` itself."""
    given = [k for k in ("earned_year", "vintage") if k in body]
    if len(given) > 1:
        raise ScenarioError((*path, "vintage"), "give earned_year or vintage (the same thing), not both")
    if not given:
        return None
    year = int(body[given[0]])
    latest = vintage_of(leave, when)
    if year > latest:
        what = "vacation year" if leave == "vacation" else "year"
        raise ScenarioError((*path, given[0]), f"{leave} earned in {year} is in the future: {when} is in {what} {latest}")
    return year


def _after_start(day: dt.date, path: tuple, facts: EmployeeFacts, whole_period: bool) -> None:
    """A fact dated before the service start is impossible (for a pay period: one that ends before it)."""
    last = period_containing(day).end if whole_period else day
    if last < facts.service_start:
        raise ScenarioError(path, f"{day} is before service_start {facts.service_start}")
