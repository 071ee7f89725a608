"""The employee's work schedule → scheduled hours on a date or over a date/time range.

Leave is charged only for hours the employee was scheduled to work: a day off or a holiday
costs nothing (holidays come in as a set of dates; Art. 10 is applied elsewhere). The "day"
in which the contract states its day-figures is Sec. 8.9 / 9.16 (``calendar.day_hours``, a fifth
of the title's full-time week), prorated for regular part-time employees.

Partial days: when a request is given as datetimes, a day's hours are the overlap of the asked
interval with the shift (``shift_starts`` gives each weekday's start time; the shift runs for the
scheduled hours). Without a known shift start, a partial day counts the clock time asked,
never more than the hours scheduled that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from openleave.rules.facts import WEEKDAYS, EmployeeFacts
from openleave.rules.units import div_half_up, to_micro

Day = dt.date | dt.datetime


def weekday_key(day: dt.date) -> str:
    """'mon' … 'sun'."""
    return WEEKDAYS[day.weekday()]


def weekly_schedule(facts: EmployeeFacts) -> dict[str, Decimal]:
    """Hours per weekday. Without a recorded schedule: Monday–Friday, the weekly hours / 5 (Sec. 7.1)."""
    if facts.work_schedule:
        return {k: Decimal(str(facts.work_schedule.get(k, 0))) for k in WEEKDAYS}
    per_day = facts.weekly_hours / 5
    return {k: (per_day if k in WEEKDAYS[:5] else Decimal(0)) for k in WEEKDAYS}


def day_micro(facts: EmployeeFacts, prorate: bool = True) -> int:
    """The contract's "day" in micro-hours (Sec. 8.9, 9.16).

    A fifth of the title's full-time week (``calendar.day_hours``); for a regular part-time employee and
    ``prorate`` it is prorated by scheduled/full-time weekly hours ("all paid leave time shall be
    prorated", Sec. 8.9 ¶2), i.e. the employee's weekly hours / 5.
    """
    if prorate and facts.is_part_time:
        return div_half_up(to_micro(facts.weekly_hours), 5)
    return to_micro(facts.day_hours())


def scheduled_micro_on(facts: EmployeeFacts, day: dt.date, holidays: Iterable[dt.date] = ()) -> int:
    """Hours (micro) the employee is scheduled to work on ``day``; 0 on a day off or a holiday."""
    if day in set(holidays):
        return 0
    if facts.separation_date and day > facts.separation_date:
        return 0
    if day < facts.service_start:
        return 0
    return to_micro(weekly_schedule(facts)[weekday_key(day)])


def _dates(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    d = start
    while d <= end:
        yield d
        d += dt.timedelta(days=1)


def as_bounds(start: Day, end: Day) -> tuple[dt.datetime, dt.datetime]:
    """A date start means 00:00 of that day; a date end means the end of that day (inclusive)."""
    s = start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time())
    e = end if isinstance(end, dt.datetime) else dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    return s, e


def scheduled_days(facts: EmployeeFacts, start: Day, end: Day, holidays: Iterable[dt.date] = ()) -> list[dt.date]:
    """The dates in the range on which the employee is scheduled to work (holidays excluded)."""
    hol = frozenset(holidays)
    s, e = as_bounds(start, end)
    last = (e - dt.timedelta(microseconds=1)).date()
    return [d for d in _dates(s.date(), last) if scheduled_micro_on(facts, d, hol) > 0]


def micro_by_day(
    facts: EmployeeFacts,
    start: Day,
    end: Day,
    holidays: Iterable[dt.date] = (),
    shift_starts: Mapping[str, dt.time] | None = None,
) -> dict[dt.date, int]:
    """Scheduled hours (micro) falling inside [start, end], per scheduled date with hours > 0."""
    hol = frozenset(holidays)
    s, e = as_bounds(start, end)
    if e <= s:
        raise ValueError(f"the leave ends ({end}) before it starts ({start})")
    out: dict[dt.date, int] = {}
    for d in _dates(s.date(), (e - dt.timedelta(microseconds=1)).date()):
        full = scheduled_micro_on(facts, d, hol)
        if full == 0:
            continue
        day_start = dt.datetime.combine(d, dt.time())
        seg_s, seg_e = max(s, day_start), min(e, day_start + dt.timedelta(days=1))
        if seg_s == day_start and seg_e == day_start + dt.timedelta(days=1):
            got = full
        elif shift_starts and weekday_key(d) in shift_starts:
            shift_s = dt.datetime.combine(d, shift_starts[weekday_key(d)])
            shift_e = shift_s + dt.timedelta(microseconds=full * 3600)  # µh → µs: ×3600
            overlap = min(seg_e, shift_e) - max(seg_s, shift_s)
            got = max(0, _td_micro(overlap))
        else:
            got = min(full, _td_micro(seg_e - seg_s))
        if got > 0:
            out[d] = got
    return out


def scheduled_micro_between(
    facts: EmployeeFacts,
    start: Day,
    end: Day,
    holidays: Iterable[dt.date] = (),
    shift_starts: Mapping[str, dt.time] | None = None,
) -> int:
    """Total scheduled hours (micro) inside [start, end]; dates are inclusive whole days."""
    return sum(micro_by_day(facts, start, end, holidays, shift_starts).values())


def _td_micro(td: dt.timedelta) -> int:
    """A clock duration as micro-hours (1 h = 3,600,000,000 µs = 1,000,000 µh); exact to the µs/3600."""
    us = td.days * 86_400_000_000 + td.seconds * 1_000_000 + td.microseconds
    return us // 3600


def working_days(facts: EmployeeFacts, start: dt.date, holidays: Iterable[dt.date] = (), *, count: int = 1,
                 step: int = 1, within: int = 366) -> list[dt.date]:
    """The first ``count`` days from ``start`` (inclusive), going forward (``step`` 1) or back (−1), on which
    the employee is scheduled to work and no Art. 10 holiday is observed; at most ``within`` days are searched."""
    if step not in (1, -1):
        raise ValueError("step is 1 (forward) or -1 (back)")
    hol = frozenset(holidays)
    out: list[dt.date] = []
    d = start
    for _ in range(within):
        if scheduled_micro_on(facts, d, hol) > 0:
            out.append(d)
            if len(out) == count:
                return out
        d += dt.timedelta(days=step)
    raise ValueError(f"fewer than {count} scheduled working days within {within} days of {start}")


def working_run(facts: EmployeeFacts, start: dt.date, holidays: Iterable[dt.date] = (), *, days: int,
                within: int = 366) -> list[dt.date]:
    """The first ``days`` consecutive calendar days, on or after ``start``, that are all scheduled working
    days with no holiday among them (e.g. Monday–Wednesday of a week with no holiday)."""
    hol = frozenset(holidays)
    run: list[dt.date] = []
    d = start
    for _ in range(within):
        run = run + [d] if scheduled_micro_on(facts, d, hol) > 0 else []
        if len(run) == days:
            return run
        d += dt.timedelta(days=1)
    raise ValueError(f"no run of {days} working days within {within} days of {start}")
