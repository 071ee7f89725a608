"""The kinds of leave, from their declarations: each ``rules/requests/<kind>.py`` ends with its
``KindDeclaration`` (code, label, citation, facts, the earlier usage that counts against its caps, the
credits it may draw). Everything else — the checks by kind, ``KINDS``, the usage keys of
``RequestContext``, the shell's forms, parser, labels and API schema, the scenario schema — is derived
from ``DECLARATIONS`` here and in ``openleave.kinds``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from openleave.rules.requests import (
    bereavement,
    civic,
    comp_time,
    domestic_violence,
    educational,
    emergency,
    family_paid,
    family_unpaid,
    fmla_leave,
    lwop,
    military,
    personal,
    sick,
    union,
    vacation,
    voting,
)
from openleave.rules.requests.model import KindDeclaration, UsageDeclaration

DECLARATIONS: tuple[KindDeclaration, ...] = (
    sick.DECLARATION, personal.DECLARATION, vacation.DECLARATION, bereavement.DECLARATION, voting.DECLARATION,
    civic.DECLARATION, military.DECLARATION, family_paid.DECLARATION, family_unpaid.DECLARATION, *fmla_leave.DECLARATIONS,
    educational.DECLARATION, lwop.DECLARATION, domestic_violence.DECLARATION, comp_time.DECLARATION,
    *union.DECLARATIONS, emergency.DECLARATION,
)
BY_CODE: dict[str, KindDeclaration] = {d.code: d for d in DECLARATIONS}
assert len(BY_CODE) == len(DECLARATIONS), "a kind of leave is declared twice"

KINDS: tuple[str, ...] = tuple(BY_CODE)
CHECKS = {d.code: d.check for d in DECLARATIONS}
MEASURES = {"hours": "used_hours", "days_in_year": "used_days", "days": "used_days", "requests": "used_days",
            "given": "used_days", "event": "used_for_event"}


def _keys(target: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for d in DECLARATIONS:
        for u in d.usage:
            if MEASURES[u.measure] == target:
                out.setdefault(u.key, u.description)
    return out


USED_HOURS_KEYS = _keys("used_hours")  # RequestContext.used_hours: micro-hours used in the calendar year
USED_DAYS_KEYS = _keys("used_days")  # RequestContext.used_days: days (or releases) used; period in the text


def declaration(kind: str) -> KindDeclaration:
    return BY_CODE[kind]


@dataclass(frozen=True)
class Earlier:
    """An earlier live request of the same kind, as plain values: its facts (JSON form), the micro-hours it
    draws per leave type, its first day and the dates it covers."""

    facts: Mapping[str, Any]
    charges: Mapping[str, int]
    start: dt.date
    days: tuple[dt.date, ...] = ()


def counts_across_years(kind: str) -> bool:
    """Whether earlier requests of any year count (a pool per death or birth), not only the leave's year."""
    return any(u.measure == "event" for u in BY_CODE[kind].usage)


def usage(kind: str, year: int, facts: Mapping[str, Any], earlier: Iterable[Earlier]) -> tuple[dict, dict, int]:
    """``used_hours``, ``used_days`` (calendar year ``year``) and ``used_for_event`` from the earlier requests
    of the same kind, as the kind's usage declarations say."""
    used_hours: dict[str, int] = {}
    used_days: dict[str, int] = {}
    used_event = 0
    decls: tuple[UsageDeclaration, ...] = BY_CODE[kind].usage
    for r in earlier:
        for u in decls:
            if not u.counts(r.facts):
                continue
            if u.measure == "hours" and r.start.year == year:
                used_hours[u.key] = used_hours.get(u.key, 0) + int(r.charges.get(u.credit, 0))
            elif u.measure == "days_in_year":
                used_days[u.key] = used_days.get(u.key, 0) + sum(1 for d in r.days if d.year == year)
            elif u.measure == "days":
                used_days[u.key] = used_days.get(u.key, 0) + len(r.days)
            elif u.measure == "requests":
                used_days[u.key] = used_days.get(u.key, 0) + 1
            elif u.measure == "event" and all(r.facts.get(k) == facts.get(k) for k in u.same):
                used_event += int(r.charges.get(u.credit, 0))
    return used_hours, used_days, used_event


def usage_of_credit(credit: str, facts: Mapping[str, Any]) -> list[str]:
    """The ``used_hours`` keys an earlier use of ``credit`` with these facts counts against (a scenario's
    ``leave_taken`` event: leave ``sick`` with a purpose)."""
    return [u.key for d in DECLARATIONS for u in d.usage
            if u.measure == "hours" and u.credit == credit and u.when and u.counts(facts)]
