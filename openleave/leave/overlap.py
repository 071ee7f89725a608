"""One scheduled hour, one live request: the overlap check of a new (or amended, or approved) request.

A scheduled hour is covered by at most one live request (pending, approved, partly approved or taken):
the same day is never charged twice (leave is charged only for hours the employee was scheduled to
work, and each of them once). Cancelled, denied, amended and corrected requests cover nothing.

On each scheduled day of the new request, it overlaps a live one when

* the hours of both (and of every other live request that day) add up to more than the hours
  scheduled that day — a whole day leaves no room; two half days may share it; or
* both give clock times (a partial day) and their times cross by at least a minute
  (09:00–12:00 and 11:30–13:00 overlap; 09:00–12:00 and 12:00–15:00 do not).

The caller holds the lock on the employee row (``select_for_update``), the same lock as the balance
check, so two submissions for the same hours are checked one after the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from openleave.rules.schedule import micro_by_day, scheduled_micro_on

from .models import LeaveRequest

Window = tuple[dt.datetime, dt.datetime] | None  # clock times on one day; None: the whole day


def _bounds(start_date: dt.date, end_date: dt.date, start_time: dt.time | None,
            end_time: dt.time | None) -> tuple[dt.datetime, dt.datetime]:
    s = dt.datetime.combine(start_date, start_time or dt.time())
    e = (dt.datetime.combine(end_date, end_time) if end_time is not None
         else dt.datetime.combine(end_date + dt.timedelta(days=1), dt.time()))
    return s, e


def window_on(day: dt.date, start_date: dt.date, end_date: dt.date, start_time: dt.time | None,
              end_time: dt.time | None) -> Window:
    """The clock window a request covers on ``day``: None when it covers the whole day (no times given,
    or a middle day of a multi-day request)."""
    s, e = _bounds(start_date, end_date, start_time, end_time)
    day_s = dt.datetime.combine(day, dt.time())
    day_e = day_s + dt.timedelta(days=1)
    ws, we = max(s, day_s), min(e, day_e)
    if ws == day_s and we == day_e:
        return None
    return ws, we


def _cross(a: Window, b: Window) -> bool:
    """Whether two partial-day windows share at least one minute (touching ends do not)."""
    if a is None or b is None:
        return False
    return min(a[1], b[1]) - max(a[0], b[0]) >= dt.timedelta(minutes=1)


def _days_of(req: LeaveRequest, facts, holidays: frozenset[dt.date], first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """Hours (micro) a live request covers per date in [first, last]: the hours fixed with it (``days``), or,
    for a request stored without them, its scheduled hours."""
    if req.days:
        out = {dt.date.fromisoformat(d): int(m) for d, m in req.days.items()}
        return {d: m for d, m in out.items() if first <= d <= last and m > 0}
    s, e = _bounds(req.start_date, req.end_date, req.start_time, req.end_time)
    s = max(s, dt.datetime.combine(first, dt.time()))
    e = min(e, dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
    if e <= s:
        return {}
    return micro_by_day(facts, s, e, holidays)


def overlapping(*, employee, start_date: dt.date, end_date: dt.date, start_time: dt.time | None,
                end_time: dt.time | None, days: dict[str, int], holidays: Iterable[dt.date],
                exclude: Iterable[int] = (), statuses: Iterable[str]) -> LeaveRequest | None:
    """The first live request of ``employee`` (in ``statuses``) that covers any of the hours ``days``
    (ISO date → micro-hours) of the new request, or None. ``exclude``: requests that do not count (the
    request being amended, the request being decided)."""
    wanted = {dt.date.fromisoformat(d): int(m) for d, m in days.items() if int(m) > 0}
    if not wanted:
        return None
    hol = frozenset(holidays)
    first, last = min(wanted), max(wanted)
    others = list(LeaveRequest.objects.filter(employee_id=employee.pk, status__in=list(statuses),
                                              start_date__lte=last, end_date__gte=first)
                  .exclude(pk__in=[pk for pk in exclude if pk])
                  .only("id", "employee_id", "kind", "status", "start_date", "end_date", "start_time", "end_time",
                        "days", "protected", "visible_kind")
                  .order_by("start_date", "id"))
    if not others:
        return None
    facts = employee.facts()
    covered = [(r, _days_of(r, facts, hol, first, last)) for r in others]
    for day in sorted(wanted):
        here = [(r, m[day]) for r, m in covered if m.get(day)]
        if not here:
            continue
        mine = window_on(day, start_date, end_date, start_time, end_time)
        if wanted[day] + sum(m for _, m in here) > scheduled_micro_on(facts, day, hol):
            return here[0][0]
        for r, _ in here:
            if _cross(mine, window_on(day, r.start_date, r.end_date, r.start_time, r.end_time)):
                return r
    return None
