"""The plain values a leave check takes and returns (LeaveAsk, RequestContext, Finding), and the shape of the
one declaration each kind of leave makes of itself (KindDeclaration, FactDeclaration, UsageDeclaration)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openleave.rules.units import hours_str

OUTCOMES = ("allowed", "partly_allowed", "not_allowed", "needs_decision")
# KINDS, USED_HOURS_KEYS and USED_DAYS_KEYS are derived from the kinds' declarations: rules/requests/registry.py.


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
    # facts a kind declares that have no field above (read them with ``fact``)
    facts: Mapping[str, Any] = field(default_factory=dict)

    def fact(self, name: str, default: Any = None) -> Any:
        """A declared fact: its field, or its value in ``facts``."""
        if name != "facts" and name in LeaveAsk.__dataclass_fields__:
            return getattr(self, name)
        return self.facts.get(name, default)


@dataclass(frozen=True)
class UnionUsage:
    """The union-wide usage of the Art. 5 limits around one union-leave request, across ALL members (requests
    pending or granted, the request itself left out), for the limit's window. Computed by the shell from the
    leave requests (``leave.selectors.union_usage``, reduced by ``rules.requests.union_limits.reduce``) or
    stated by a scenario; never typed in by the member.

    ``convention_days``: calendar year → delegate-days of convention leave (Sec. 5.3, a total for the Union).
    ``exec_board_dates``: the Executive Board meeting days already requested (Sec. 5.3 counts the Union's work
    days: several members at one meeting are one day). ``steward_training_dates``: the steward-training days
    (Sec. 5.3: one request in any twelve months). ``president_assist_hours`` / ``president_assist_own_hours``:
    the Monday of a week → micro-hours of President's-assistant time that week, every member of the units /
    this member (Sec. 5.3). ``full_time_leaves``: (first, last day) of the other members' full-time union leaves
    (Sec. 5.4); ``unit_employees``: employees in the bargaining unit (None: not known). ``own``: this member's
    days in the same window (shown, not capped, except the President's-assistant hours)."""

    convention_days: Mapping[int, int] = field(default_factory=dict)
    exec_board_dates: frozenset[dt.date] = frozenset()
    steward_training_dates: frozenset[dt.date] = frozenset()
    president_assist_hours: Mapping[dt.date, int] = field(default_factory=dict)
    president_assist_own_hours: Mapping[dt.date, int] = field(default_factory=dict)
    full_time_leaves: tuple[tuple[dt.date, dt.date], ...] = ()
    unit_employees: int | None = None
    own: int = 0


@dataclass(frozen=True)
class RequestContext:
    """Plain values around a request, supplied by the caller (Django shell or scenario).

    ``balances``: leave type → micro-hours available as of the leave dates. ``used_hours`` /
    ``used_days``: usage so far, keys in USED_HOURS_KEYS / USED_DAYS_KEYS, for the calendar year
    of the leave's first day. ``used_for_event``: micro-hours already taken for the same death,
    birth, adoption or placement (8.3, 8.7.1). ``auto_approve``: leave types the organisation has
    switched to automatic approval of discretionary grants. ``fmla_taken``: the FMLA leave already taken
    (``rules.fmla.ContinuousFmla`` / ``IntermittentFmla``; only what falls in the look-back window counts).
    ``union_usage``: the union-wide usage of the Art. 5 limits (``UnionUsage``) for a union-leave request.
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
    fmla_taken: tuple[Any, ...] = ()  # FMLA leave already taken: rules.fmla.ContinuousFmla / IntermittentFmla (8.7.2)
    union_usage: UnionUsage = field(default_factory=UnionUsage)  # the Art. 5 limits' usage across all members


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
    ``requested_days`` / ``days``: the micro-hours asked / allowed on each date, computed once here (the
    allowed hours fall on the days the leave itself covers — its window, cap or whole days — then on the
    other days asked, first days first); the shell fixes them with the charges. ``as_json()`` is the one
    JSON form of the finding (the web's snapshot, the API, the scenario command).
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
    requested_days: tuple[tuple[dt.date, int], ...] = ()
    days: tuple[tuple[dt.date, int], ...] = ()

    def charge_totals(self) -> dict[str, int]:
        """Micro-hours charged per leave type (a type charged twice is summed)."""
        out: dict[str, int] = {}
        for t, m in self.charges:
            out[t] = out.get(t, 0) + int(m)
        return out

    def as_json(self) -> dict[str, Any]:
        """The finding as JSON (the web's stored snapshot, the API's answer, the scenario's answer)."""
        return {
            "kind": self.kind, "outcome": self.outcome,
            "requested_micro": self.requested_micro, "allowed_micro": self.allowed_micro,
            "requested": hours_str(self.requested_micro), "allowed": hours_str(self.allowed_micro),
            "charges": self.charge_totals(), "citations": list(self.citations), "reasons": list(self.reasons),
            "visible_to_supervisor": self.visible_to_supervisor, "protected": self.protected,
            "grounds": [{"code": g.code, "text": g.text, "cite": g.cite} for g in self.grounds_for_denial],
            "needs_human": self.needs_human, "alternatives": list(self.alternatives),
            "extra": {k: (v if isinstance(v, (str, int, bool, type(None))) else str(v)) for k, v in self.extra.items()},
            "days": {d.isoformat(): m for d, m in self.days},
        }

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


# --- what a kind of leave is: one declaration per kind, at the end of its module --------------------

FACT_TYPES = ("choice", "bool", "date", "money", "credits")


@dataclass(frozen=True)
class FactDeclaration:
    """One fact a kind of leave takes: its name, its type, and what may be given.

    ``name``: a ``LeaveAsk`` field, or a new name (the check reads it with ``ask.fact(name)``).
    ``type``: ``choice`` (a category), ``bool``, ``date``, ``money`` (dollars), ``credits`` (a list of
    leave types, for the rest). Allowed values of a choice: ``choices`` (code, label), or the contract
    parameters ``choices_param`` (names under ``use.``: their lists, or the keys of their tables) — never a copy of the
    contract in code. ``open``: other categories are accepted too and the check answers whether they
    count (a relative living in the household, a relation the contract does not cover).
    """

    name: str
    type: str
    label: str
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    choices_param: tuple[str, ...] = ()
    open: bool = False

    def __post_init__(self):
        if self.type not in FACT_TYPES:
            raise ValueError(f"fact {self.name}: type {self.type!r} is not one of {', '.join(FACT_TYPES)}")
        if self.name == "facts" or not self.name.isidentifier():
            raise ValueError(f"fact {self.name!r}: not a usable name")


@dataclass(frozen=True)
class UsageDeclaration:
    """Earlier usage that counts against a cap of the kind: a key of ``RequestContext.used_hours`` (``measure``
    ``hours``: the ``credit`` charged by requests of the kind that begin in the year) or ``used_days``
    (``days_in_year``: their days in the year; ``days``: all their days; ``requests``: how many), or the
    ``used_for_event`` pool (``event``: the ``credit`` charged for the same event, the facts ``same``).
    ``when``: the facts of an earlier request that make it count, fact → allowed values (all must hold)."""

    key: str
    measure: str
    description: str = ""
    credit: str = ""
    when: Mapping[str, tuple] = field(default_factory=dict)
    same: tuple[str, ...] = ()

    def counts(self, facts: Mapping[str, Any]) -> bool:
        return all(facts.get(k) in v for k, v in self.when.items())


@dataclass(frozen=True)
class KindDeclaration:
    """What a kind of leave is, declared once in its module: the shell's forms, input parser, labels, usage
    counting and API schema, and the scenario schema, are derived from it (rules/requests/registry.py)."""

    code: str
    label: str
    cite: str
    check: Callable[..., Finding]
    facts: tuple[FactDeclaration, ...] = ()
    usage: tuple[UsageDeclaration, ...] = ()
    credits: tuple[str, ...] = ()  # other credits the rest may be charged to (``charge_excess_to``)
    help: str = ""  # shown on the request form

    def fact(self, name: str) -> FactDeclaration | None:
        return next((f for f in self.all_facts() if f.name == name), None)

    def all_facts(self) -> tuple[FactDeclaration, ...]:
        """The declared facts, plus ``charge_excess_to`` when the kind may draw other credits."""
        if not self.credits:
            return self.facts
        return self.facts + (FactDeclaration(
            "charge_excess_to", "credits", "Charge the rest, in this order, to",
            "Only if the leave itself does not cover all of it.",
            choices=tuple((c, CREDIT_LABELS.get(c, c)) for c in self.credits)),)


CREDIT_LABELS = {"sick": "Sick leave", "vacation": "Vacation", "personal": "Personal leave",
                 "comp_time": "Compensatory time"}
