"""Vacation leave, Art. 9 — Sec. 9.10 charging, Sec. 9.8 scheduling and seniority order.

The Appointing Authority "shall grant vacation leave in the vacation year in which it becomes
available, unless in his/her opinion it is impossible or impracticable to do so because of work
schedules or emergencies" (9.8): the timing is the AA's judgement → ``needs_decision``, and the
only grounds to refuse are those of 9.8 (or no credits). When requests by employees in the same
title conflict, preference goes by years of employment with the Commonwealth, subject to
operational needs (9.8): ``seniority_order``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from openleave.rules.params import figure
from openleave.rules.requests.common import Draft, h
from openleave.rules.requests.model import Finding, KindDeclaration


def check(d: Draft) -> Finding:
    days = d.by_day()
    requested = sum(days.values())
    d.ground("vacation_impracticable", "vacation_conflict_seniority", "insufficient_credits")
    covered = d.charge_balance("vacation", requested, "Sec. 9.10")
    if covered < requested:
        d.say(f"{h(covered)} of {h(requested)} can be charged to vacation "
              f"({h(d.ctx.balances.get('vacation', 0))} available, charged hour-for-hour in "
              f"{figure(d.value('vacation.charge_unit_minutes'))}-minute units).",
              "Sec. 9.10")
        d.offer("personal", "comp_time")
    more = d.charge_others(requested - covered, exclude=("vacation", "sick"))
    d.say("Vacation must be granted in the year it becomes available unless the Appointing Authority finds it "
          "impossible or impracticable because of work schedules or emergencies; conflicting requests in the same "
          "title go by years of employment with the Commonwealth.", "Sec. 9.8")
    return d.finish(requested, covered + more, discretionary=True)


@dataclass(frozen=True)
class VacationClaim:
    """One of several conflicting vacation requests (Sec. 9.8)."""

    request_id: str
    employee: str
    title: str
    employment_start: dt.date  # start of employment with the Commonwealth
    days_not_employed: int = 0  # breaks in Commonwealth employment since then, in days


@dataclass(frozen=True)
class SeniorityRank:
    request_id: str
    employee: str
    title: str
    rank: int  # 1 = first preference within the title; equal ranks are ties
    employment_days: int
    reasons: tuple[str, ...]
    citations: tuple[str, ...] = ("Sec. 9.8",)


def seniority_order(conflicting_requests: Iterable[VacationClaim], as_of: dt.date) -> list[SeniorityRank]:
    """Order conflicting vacation requests by years of employment with the Commonwealth (Sec. 9.8).

    Preference applies only among employees in the same title; requests in different titles do not
    compete under 9.8 and are ranked within their own title. Equal employment is a tie the contract
    does not break: the Appointing Authority decides. Preference is "subject to the operational needs
    of the Department/Agency" — shown, never applied by the system.
    """
    claims = list(conflicting_requests)
    out: list[SeniorityRank] = []
    titles = sorted({c.title for c in claims})
    for title in titles:
        group = sorted(
            (c for c in claims if c.title == title),
            key=lambda c: (-_employment_days(c, as_of), c.request_id),
        )
        prev_days, rank = None, 0
        for i, c in enumerate(group):
            days = _employment_days(c, as_of)
            if days != prev_days:
                rank = i + 1
            prev_days = days
            years = days / 365.25
            reasons = [f"{c.employee}: {years:.1f} years of employment with the Commonwealth as of {as_of}."]
            ties = [o.employee for o in group if o is not c and _employment_days(o, as_of) == days]
            if ties:
                reasons.append(f"Tied with {', '.join(ties)}: the contract gives no tie-break; the Appointing "
                               "Authority decides.")
            elif rank == 1 and len(group) > 1:
                reasons.append(f"Most years of employment among the {len(group)} conflicting requests in title "
                               f"{title}: preference under Sec. 9.8.")
            reasons.append("Preference is subject to the operational needs of the Department/Agency.")
            out.append(SeniorityRank(c.request_id, c.employee, title, rank, days, tuple(reasons)))
    return out


def _employment_days(c: VacationClaim, as_of: dt.date) -> int:
    return max(0, (as_of - c.employment_start).days - c.days_not_employed)


DECLARATION = KindDeclaration(
    code="vacation", label="Vacation (Art. 9)", cite="Art. 9", check=check, credits=("personal", "comp_time"),
    help="Your supervisor schedules vacation; conflicting requests in the same title go by seniority (Sec. 9.8).",
)
