"""The plain values a leave check takes and returns: LeaveAsk, RequestContext, Finding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

KINDS = (
    "sick", "personal", "vacation", "bereavement", "voting", "civic", "military", "family_paid",
    "family_unpaid", "educational", "lwop", "domestic_violence", "comp_time", "union_paid",
    "union_unpaid", "emergency",
)
OUTCOMES = ("allowed", "partly_allowed", "not_allowed", "needs_decision")

# Keys of RequestContext.used_hours (micro-hours already used in the calendar year of the leave).
USED_HOURS_KEYS = {
    "sick.family_care": "sick leave for family care and parental leave, Sec. 8.1.C.2 (a and b together)",
    "sick.adoption_prep": "sick leave for adoption preparations, Sec. 8.1.C.3",
    "sick.adoption_total": "sick leave for all adoption-related purposes, Sec. 8.1.C.2.b + 8.1.C.3",
    "sick.foster_care": "sick leave for DCF foster care, Sec. 8.1.C.7",
    "domestic_violence": "paid domestic violence leave, Sec. 8.12",
}
# Keys of RequestContext.used_days (days already used; period in the description).
USED_DAYS_KEYS = {
    "military.annual_tour": "days of annual reserve tour with pay this calendar year, Sec. 8.6.B",
    "family_unpaid.intermittent": "days of the 10 non-FMLA family leave days already taken, Sec. 8.8.B",
    "union.exec_board": "work days of paid release for Executive Board meetings this calendar year, Sec. 5.3",
    "union.steward_training_12_months": "steward-training releases in the last 12 months, Sec. 5.3",
    "union.convention": "convention leave days used by the Union this year (all delegates), Sec. 5.3",
}


class RequestError(ValueError):
    """A request that cannot be checked as asked: a clear, specific message for the employee."""


@dataclass(frozen=True)
class LeaveAsk:
    """What the employee asks for. ``start``/``end`` are dates (whole days, inclusive) or datetimes.

    ``hours`` is the time off asked when it is less than the scheduled hours of the range (e.g. a
    2-hour voting leave on election day). The other fields are the facts a kind needs; unused
    fields are ignored.
    """

    kind: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    hours: Decimal | None = None
    purpose: str | None = None  # the sub-kind: sick purpose, civic jury/witness, union purpose, ...
    relation: str | None = None  # family member concerned (8.1.C.2, 8.3, 8.8)
    household: bool = False  # that person lives in the employee's household
    date_of_death: dt.date | None = None  # 8.3
    funeral_date: dt.date | None = None  # 8.3.C
    event: str | None = None  # "birth" | "adoption" | "foster_placement" (8.1.C.2.b, 8.7.1)
    event_date: dt.date | None = None  # date of the birth, adoption or placement
    placement_end: dt.date | None = None  # end of a foster placement shorter than 10 days (8.7.1)
    charge_excess_to: tuple[str, ...] = ()  # other credits for the rest, in the employee's order
    # civic duty 8.5
    summons_presented: bool = True
    summoned_by: str | None = None  # "commonwealth" | "municipal" | "federal" | "private" | "court" (jury)
    arises_from_other_employment: bool = False
    defendant_or_personal_litigation: bool = False
    jury_fees: Decimal | None = None  # per diem for the period, without expenses (8.5.C)
    regular_pay: Decimal | None = None  # regular compensation for the same period
    # voting 8.4
    election_date: dt.date | None = None
    hours_preclude_voting: bool | None = None
    # sick 8.1.C
    in_counselling_program: bool | None = None  # 8.1.C.6
    hrd_waiver: bool = False  # 8.1.C.7 waiver of the 10-day foster-care limit
    # military 8.6: "state" (A), "annual_tour" (B), "reserve_other" (C), "resigned_for_service" (D)
    military_service: str | None = None
    # 8.8, 8.10, 8.11
    intends_to_return: bool | None = None
    intermittent: bool = False
    written_request: bool = True
    physician_certificate: bool = False
    # 8.12
    employee_is_perpetrator: bool = False
    # MOU State of Emergency
    documented_hardship: bool = False


@dataclass(frozen=True)
class RequestContext:
    """Plain values around a request, supplied by the caller (Django shell or scenario).

    ``balances``: leave type → micro-hours available as of the leave dates. ``used_hours`` /
    ``used_days``: usage so far, keys in USED_HOURS_KEYS / USED_DAYS_KEYS, for the calendar year
    of the leave's first day. ``used_for_event``: micro-hours already taken for the same death,
    birth, adoption or placement (8.3, 8.7.1). ``auto_approve``: leave types the organisation has
    switched to automatic approval of discretionary grants.
    """

    balances: Mapping[str, int] = field(default_factory=dict)
    used_hours: Mapping[str, int] = field(default_factory=dict)
    used_days: Mapping[str, int] = field(default_factory=dict)
    used_for_event: int = 0
    submitted_at: dt.datetime | None = None
    holidays: frozenset[dt.date] = frozenset()
    shift_starts: Mapping[str, dt.time] = field(default_factory=dict)
    single_shift_agency: bool = False
    auto_approve: frozenset[str] = frozenset()
    medical_evidence_required: bool = False  # a written 8.1.K.1 requirement is in force
    state_of_emergency: bool = False  # a declared state of emergency covers the leave dates


@dataclass(frozen=True)
class Ground:
    """A contractual ground on which a human may deny or partly approve."""

    code: str
    text: str
    cite: str


@dataclass(frozen=True)
class Finding:
    """What the contract says about one request. Hours are integer micro-hours.

    ``allowed_micro`` is the time off the contract allows (for ``needs_decision``: the most a human
    may grant); ``charges`` are the credits it draws, in charging units (leave type, micro-hours).
    ``reasons`` are for the employee and the decider; a supervisor sees ``supervisor_view()``.
    """

    kind: str
    outcome: str
    requested_micro: int
    allowed_micro: int
    charges: tuple[tuple[str, int], ...] = ()
    citations: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    visible_to_supervisor: str = ""
    protected: bool = False
    grounds_for_denial: tuple[Ground, ...] = ()
    needs_human: bool = False
    alternatives: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def supervisor_view(self) -> dict[str, Any]:
        """What a supervisor may see: for protected leave only the category and the hours."""
        if self.protected:
            return {
                "kind": self.visible_to_supervisor, "outcome": self.outcome,
                "requested_micro": self.requested_micro, "allowed_micro": self.allowed_micro,
                "citations": (), "reasons": ("Protected leave: the reason is not shown.",),
            }
        return {
            "kind": self.visible_to_supervisor, "outcome": self.outcome,
            "requested_micro": self.requested_micro, "allowed_micro": self.allowed_micro,
            "citations": self.citations, "reasons": self.reasons,
        }
