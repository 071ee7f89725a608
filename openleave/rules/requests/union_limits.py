"""The union-wide limits of Art. 5, counted across every member (pure: rows and dates in, figures out).

The limits (figures: the ``use.union.*`` parameters, each with its citation):

* ``convention`` — paid leave for elected delegates to conventions: a total of days a year for the Union
  (Sec. 5.3). Counted in delegate-days: each date a member holds counts one day.
* ``exec_board`` — paid release for Executive Board meetings: the Union requests it for no more work days a
  calendar year than the limit (Sec. 5.3). Counted in the Union's meeting days: several members released
  for one meeting day are one work day. Requested some calendar days ahead; the Employer answers some
  business days before the meeting.
* ``steward_training`` — paid release for steward training: at most a day, and the Union requests it no
  more than once in any twelve months (Sec. 5.3). Counted as distinct training days across the Union: stewards
  released for the same training day are the one request.
* ``president_assist`` — time off to assist the Union President: at most some hours a week for each of a
  combined total of Union Official equivalents from units 1, 3 and 6 (Sec. 5.3). Counted in hours per week
  (Monday to Sunday): this member's against the weekly hours, every member's against the equivalents times
  those hours.
* ``full_time_union`` — unpaid leave for full-time Union duties, a year at a time: not more than one per so
  many employees in the bargaining unit (Sec. 5.4). Counted as leaves held at the same time.

``window`` says which dates of earlier requests matter to a request; ``reduce`` turns those requests (pending
or granted, of any member) into the ``UnionUsage`` the check reads; ``summary`` gives the officer's view of
each limit on a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from openleave.rules.params import ParameterTree, figure
from openleave.rules.requests.model import UnionUsage
from openleave.rules.service import add_months
from openleave.rules.units import MICRO

LIMITED = ("convention", "exec_board", "steward_training", "president_assist", "full_time_union")
KIND_OF = {"convention": "union_paid", "exec_board": "union_paid", "steward_training": "union_paid",
           "president_assist": "union_paid", "full_time_union": "union_unpaid"}
CITE = {"convention": "Sec. 5.3", "exec_board": "Sec. 5.3", "steward_training": "Sec. 5.3",
        "president_assist": "Sec. 5.3", "full_time_union": "Sec. 5.4"}
LABELS = {
    "convention": "Convention leave for elected delegates",
    "exec_board": "Executive Board meetings",
    "steward_training": "Steward training",
    "president_assist": "Assisting the Union President",
    "full_time_union": "Full-time union leave (unpaid)",
}


@dataclass(frozen=True)
class Row:
    """One live union-leave request of a purpose (pending or granted), of any member: the hours per date it
    holds (``days``) and its first and last day."""

    employee_id: int
    start: dt.date
    end: dt.date
    days: Mapping[dt.date, int] = field(default_factory=dict)


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def window(purpose: str, start: dt.date, end: dt.date, tree: ParameterTree) -> tuple[dt.date, dt.date]:
    """The dates of other requests that count against a request from ``start`` to ``end``: the calendar
    year(s) (convention, Executive Board), twelve months either side (steward training), the weeks
    (President's assistants), the request's own period (full-time leave)."""
    if purpose in ("convention", "exec_board"):
        return dt.date(start.year, 1, 1), dt.date(end.year, 12, 31)
    if purpose == "steward_training":
        months = int(tree.get("use.union.steward_training_once_in_months", start).value)
        return add_months(start, -months) + dt.timedelta(days=1), add_months(end, months) - dt.timedelta(days=1)
    if purpose == "president_assist":
        return monday(start), monday(end) + dt.timedelta(days=6)
    if purpose == "full_time_union":
        return start, end
    raise ValueError(f"{purpose!r} is not a limited union purpose (one of {', '.join(LIMITED)})")


def reduce(purpose: str, rows: Iterable[Row], member_id: int | None, unit_employees: int | None = None) -> UnionUsage:
    """The ``UnionUsage`` of one purpose from the live requests of every member (the request being checked
    already left out)."""
    rows = list(rows)
    own = sum(len(r.days) for r in rows if r.employee_id == member_id)
    if purpose == "convention":
        by_year: dict[int, int] = {}
        for r in rows:
            for d in r.days:
                by_year[d.year] = by_year.get(d.year, 0) + 1
        return UnionUsage(convention_days=by_year, own=own)
    if purpose == "exec_board":
        return UnionUsage(exec_board_dates=frozenset(d for r in rows for d in r.days), own=own)
    if purpose == "steward_training":
        return UnionUsage(steward_training_dates=frozenset(d for r in rows for d in r.days), own=own)
    if purpose == "president_assist":
        total: dict[dt.date, int] = {}
        mine: dict[dt.date, int] = {}
        for r in rows:
            for d, m in r.days.items():
                total[monday(d)] = total.get(monday(d), 0) + int(m)
                if r.employee_id == member_id:
                    mine[monday(d)] = mine.get(monday(d), 0) + int(m)
        return UnionUsage(president_assist_hours=total, president_assist_own_hours=mine, own=own)
    if purpose == "full_time_union":
        return UnionUsage(full_time_leaves=tuple(sorted((r.start, r.end) for r in rows if r.employee_id != member_id)),
                          unit_employees=unit_employees, own=own)
    raise ValueError(f"{purpose!r} is not a limited union purpose (one of {', '.join(LIMITED)})")


def full_time_allowed(unit_employees: int, per: int) -> int:
    """Sec. 5.4: "not to exceed one per each 1,000 employees" — whole thousands only (2,500 → 2; 999 → 0)."""
    return max(0, unit_employees) // per


def held_on(day: dt.date, leaves: Iterable[tuple[dt.date, dt.date]]) -> int:
    return sum(1 for a, b in leaves if a <= day <= b)


def training_clash(day: dt.date, others: Iterable[dt.date], months: int) -> dt.date | None:
    """The steward-training day within twelve months of ``day`` (so that both would fall in one twelve-month
    period), or None. The same day is the same training (one request for the stewards released for it)."""
    for t in sorted(others):
        if t != day and day < add_months(t, months) and t < add_months(day, months):
            return t
    return None


# --- the officer's view -----------------------------------------------------------------------------------

def summary(on: dt.date, usage: Mapping[str, UnionUsage], tree: ParameterTree) -> list[dict]:
    """Each limit on ``on``: its window, what is used (pending and granted across all members), what remains,
    the figures' citations. ``usage``: purpose → ``reduce`` over the window ``window(purpose, on, on)``."""
    def v(name):
        return tree.get("use.union." + name, on)

    out = []
    u = usage.get("convention", UnionUsage())
    cap = v("convention_days_per_year")
    used = u.convention_days.get(on.year, 0)
    out.append({"purpose": "convention", "label": LABELS["convention"], "window": f"calendar year {on.year}",
                "unit": "days", "limit": int(cap.value), "used": used, "remaining": max(0, int(cap.value) - used),
                "cite": cap.cite})
    u = usage.get("exec_board", UnionUsage())
    cap = v("exec_board_days_per_year")
    used = len({d for d in u.exec_board_dates if d.year == on.year})
    out.append({"purpose": "exec_board", "label": LABELS["exec_board"], "window": f"calendar year {on.year}",
                "unit": "work days", "limit": int(cap.value), "used": used,
                "remaining": max(0, int(cap.value) - used), "cite": cap.cite})
    u = usage.get("steward_training", UnionUsage())
    months = v("steward_training_once_in_months")
    near = sorted(d for d in u.steward_training_dates
                  if add_months(on, -int(months.value)) < d < add_months(on, int(months.value)))
    next_free = max((add_months(d, int(months.value)) for d in u.steward_training_dates), default=on)
    out.append({"purpose": "steward_training", "label": LABELS["steward_training"],
                "window": f"{figure(months.value)} months", "unit": "training days",
                "limit": 1, "used": len(near), "remaining": 0 if near else 1,
                "dates": [d.isoformat() for d in near], "next_possible": max(next_free, on).isoformat(),
                "cite": months.cite})
    u = usage.get("president_assist", UnionUsage())
    per = v("president_assist_hours_per_week")
    eq = v("president_assist_official_equivalents")
    cap_micro = int(per.value * MICRO) * int(eq.value)
    week = monday(on)
    used = u.president_assist_hours.get(week, 0)
    out.append({"purpose": "president_assist", "label": LABELS["president_assist"],
                "window": f"week of {week.isoformat()}", "unit": "hours", "limit_micro": cap_micro,
                "used_micro": used, "remaining_micro": max(0, cap_micro - used), "cite": eq.cite,
                "per_person_micro": int(per.value * MICRO)})
    u = usage.get("full_time_union", UnionUsage())
    per_n = v("unpaid_full_time_per_unit_employees")
    allowed = full_time_allowed(u.unit_employees or 0, int(per_n.value))
    held_now = held_on(on, u.full_time_leaves)
    out.append({"purpose": "full_time_union", "label": LABELS["full_time_union"], "window": f"on {on.isoformat()}",
                "unit": "leaves at a time", "limit": allowed, "used": held_now, "remaining": max(0, allowed - held_now),
                "unit_employees": u.unit_employees, "per": int(per_n.value), "cite": per_n.cite})
    return out
