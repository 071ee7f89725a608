"""Family and medical leave, Sec. 8.7.2 (with Sec. 8.1.M and Appendices D-1/D-2) — the pure rules core.

Plain values in, cited ``Decision`` out; every date is an argument (no clock), every figure a contract
parameter under ``contract/<agreement>/fmla/``. The case workflow (Django) calls these:

``fmla_eligibility(facts, on)``
    ``eligible`` / ``not_eligible`` / ``waiver_possible`` (A.1/B.1, A.2/B.2). ``waiver_possible`` is a
    request the employee may make; granting it is the Appointing Authority's decision with reasons — the
    core never decides it (``extra['needs_human']``).
``fmla_entitlement(facts, on, taken, ...)``
    weeks and intermittent days used in the look-back period before ``on`` and what remains (A.1, B.1,
    B.4.a–f), as an :class:`Entitlement` in ``Decision.value``.
``fmla_deadline(kind, from_, ...)`` / ``d1_required(...)`` / ``business_days_after(...)``
    the dates of Sec. 8.1.M, 8.7.2.A.3/B.1/B.3/B.4.g–h; business days skip weekends and the Art. 10
    holidays as observed (``holidays.contract_holidays``, with the Employer's designations).
``family_leave_last_day(...)``, ``intermittent_termination(...)``, ``fmla_pay_and_accruals(...)``,
``holiday_between_unpaid_periods(...)``
    the rest of A.1, B.4.e–h, A.4/B.5, A.6 (reusing ``accrual.unpaid_leave_accrual_until``), A.7/B.8, B.7.

Readings (where the text leaves room, the one a steward would defend; each is also said in the reasons):
    1. The look-back (B.4.c "within the previous 52 week period") is rolling, measured backward from the
       date asked: leave taken on the days ``on − lookback_weeks`` … ``on − 1`` counts.
    2. Entitlement is counted in the employee's own workweek (part-time proration, Sec. 8.9 ¶2): a
       continuous period counts its calendar days / 7 as weeks (a holiday inside it counts); intermittent
       time counts its hours over the employee's weekly hours. An intermittent "day" is the Sec. 8.9 day,
       prorated for regular part-time employees.
    3. The intermittent days (B.4.a) are "of their FMLA allotment": they are counted in the same look-back
       period as the weeks. Beyond them intermittent leave continues only "if operations allow" (B.4.c) —
       a human decision — and never beyond the weeks left.
    4. The catastrophic-illness extension (B.1) is once only, non-intermittent, for medical leave, and not
       available after an intermittent determination (B.4.f).
    5. "Returns to work within 8 working days of the beginning of their absence" (8.1.M, B.1): the absence
       covered at most that many of the employee's working days (start day included, holidays excluded).
    6. A deadline "within N business days" of a day is the Nth business day after it (the day itself is
       not counted); "within 15 days of receipt" is calendar days (Appendix D-1: "at least 15 calendar days").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from openleave.rules.accrual import unpaid_leave_accrual_until
from openleave.rules.decision import Decision, merge_citations
from openleave.rules.facts import EmployeeFacts
from openleave.rules.holidays import Designation, contract_holidays
from openleave.rules.params import Param, ParameterTree, default_tree, figure
from openleave.rules.schedule import day_micro, scheduled_micro_on
from openleave.rules.service import add_months
from openleave.rules.units import MICRO, div_half_up, hours_str, to_micro

REASONS = ("family", "medical")  # Sec. 8.7.2.A (birth, adoption, placement) / B (serious health condition)
MODES = ("continuous", "intermittent", "modified_schedule")  # B.4: intermittent or a modified work schedule
EVENTS = ("birth", "adoption", "foster_placement")
ELIGIBILITY = ("eligible", "not_eligible", "waiver_possible")
DEADLINES = ("eligibility_notice_due", "certification_request_due", "certification_due", "advance_notice_due",
             "expedited_review_request_due", "transfer_notice_due")


class FmlaError(ValueError):
    """Facts that cannot be reasoned about (an end before a start, an unknown kind): a clear message."""


# --- plain values in -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContinuousFmla:
    """FMLA leave already taken as one continuous period, ``start`` … ``end`` inclusive (calendar days)."""

    start: dt.date
    end: dt.date

    def __post_init__(self):
        if self.end < self.start:
            raise FmlaError(f"FMLA leave from {self.start} ends ({self.end}) before it starts")


@dataclass(frozen=True)
class IntermittentFmla:
    """Intermittent FMLA time taken on one day (or a modified-schedule reduction): ``days`` of the Sec. 8.9 day,
    or ``micro`` hours (micro-hours). Exactly one is given."""

    on: dt.date
    days: Decimal | None = None
    micro: int | None = None

    def __post_init__(self):
        if (self.days is None) == (self.micro is None):
            raise FmlaError(f"intermittent FMLA on {self.on}: give days or hours, not both or neither")
        if (self.days is not None and self.days <= 0) or (self.micro is not None and self.micro <= 0):
            raise FmlaError(f"intermittent FMLA on {self.on}: the time taken must be more than zero")


Taken = ContinuousFmla | IntermittentFmla


@dataclass(frozen=True)
class Entitlement:
    """The FMLA entitlement on ``on``: the look-back window, and weeks / intermittent days used and remaining.

    Weeks and days are Decimals (4 places at most); hours are micro-hours. ``extension_weeks_available`` is the
    catastrophic-illness extension still open (0 when used, for family leave, or after an intermittent
    determination); ``extension_weeks_granted`` is the extension counted in ``weeks_allowed``."""

    on: dt.date
    window_from: dt.date
    window_to: dt.date
    weeks_allowed: Decimal
    weeks_used: Decimal
    weeks_remaining: Decimal
    hours_allowed: int
    hours_used: int
    hours_remaining: int
    intermittent_days_allowed: Decimal
    intermittent_days_used: Decimal
    intermittent_days_remaining: Decimal
    intermittent_hours_remaining: int
    extension_weeks_granted: Decimal = Decimal(0)
    extension_weeks_available: Decimal = Decimal(0)
    intermittent_beyond_needs_decision: bool = False

    def as_json(self) -> dict:
        out = {}
        for k, v in asdict(self).items():
            if isinstance(v, dt.date):
                out[k] = v.isoformat()
            elif isinstance(v, Decimal):
                out[k] = figure(v)
            elif k.startswith("hours_") or k.endswith("_hours_remaining"):
                out[k] = hours_str(v)
            else:
                out[k] = v
        return out


# --- helpers ---------------------------------------------------------------------------------------


def _p(tree: ParameterTree, name: str, on: dt.date) -> Param:
    return tree.get("fmla." + name, on)


def cites(p: Param) -> tuple[str, ...]:
    """A parameter's citation as a tuple ("Sec. 8.1.M; Appendix D-1" → two citations)."""
    return tuple(c.strip() for c in p.cite.split(";") if c.strip())


def _n(p: Param) -> int:
    return int(p.value)


def _q(value: Decimal) -> Decimal:
    """Four decimal places at most, half up, trailing zeros dropped (10.4, not 10.4000)."""
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize() + Decimal(0)


def weekly_micro(facts: EmployeeFacts) -> int:
    """The employee's own workweek in micro-hours (Sec. 8.9: part-time prorated by the schedule)."""
    return to_micro(facts.weekly_hours)


def fmla_day_micro(facts: EmployeeFacts) -> int:
    """An intermittent "day" (B.4.a) as the Sec. 8.9 day, prorated for regular part-time employees."""
    return day_micro(facts, prorate=True)


def _taken_micro(t: Taken, facts: EmployeeFacts) -> int:
    if isinstance(t, IntermittentFmla):
        return t.micro if t.micro is not None else to_micro(t.days) * fmla_day_micro(facts) // MICRO
    return div_half_up(((t.end - t.start).days + 1) * weekly_micro(facts), 7)


def _clip(t: Taken, first: dt.date, last: dt.date) -> Taken | None:
    if isinstance(t, IntermittentFmla):
        return t if first <= t.on <= last else None
    s, e = max(t.start, first), min(t.end, last)
    return ContinuousFmla(s, e) if s <= e else None


# --- eligibility (A.1/B.1, A.2/B.2) ------------------------------------------------------------------


def fmla_eligibility(facts: EmployeeFacts, on: dt.date, tree: ParameterTree | None = None) -> Decision:
    """Whether the employee may take family or medical leave on ``on``.

    ``eligible``: the probationary period is completed (``probation_end`` on or before ``on``, as the other
    leave rules read it), or with no probationary period (``probation_end`` None) employed at least
    ``fmla.eligibility_months`` consecutive months. ``waiver_possible``: still within probation but past
    ``fmla.waiver_after_months`` full months — the employee may ask the Appointing Authority to waive the rest
    of the wait on satisfactory medical evidence of a catastrophic illness or a problematic pregnancy; a
    human decides, with reasons. Otherwise ``not_eligible``. ``extra``: ``eligible_from``, ``waiver_from``,
    ``needs_human``."""
    tree = tree or default_tree()
    if on < facts.service_start:
        raise FmlaError(f"{on} is before the employee's service ({facts.service_start})")
    if facts.probation_end is None:
        p = _p(tree, "eligibility_months", on)
        since = add_months(facts.service_start, _n(p))
        if since <= on:
            return Decision("eligible", cites(p), (f"No probationary period: employed since {facts.service_start}, at "
                                                   f"least {figure(p.value)} consecutive months by {since}.",),
                            unit="fmla_eligibility", extra={"eligible_from": since, "needs_human": False})
        return Decision("not_eligible", cites(p), (f"No probationary period: {figure(p.value)} consecutive months of "
                                                   f"employment are needed; employed since {facts.service_start}, "
                                                   f"eligible from {since}.",),
                        unit="fmla_eligibility", extra={"eligible_from": since, "needs_human": False})
    p = _p(tree, "max_weeks", on)
    if facts.probation_end <= on:
        return Decision("eligible", cites(p), (f"Probationary period completed ({facts.probation_end}).",),
                        unit="fmla_eligibility", extra={"eligible_from": facts.probation_end, "needs_human": False})
    w = _p(tree, "waiver_after_months", on)
    waiver_from = add_months(facts.service_start, _n(w))
    if waiver_from <= on:
        return Decision(
            "waiver_possible", merge_citations(cites(p), cites(w)),
            (f"Still within the probationary period (it ends {facts.probation_end}): not yet eligible.",
             f"{figure(w.value)} full months of employment completed (employed since {facts.service_start}; from "
             f"{waiver_from}): the employee may ask the Appointing Authority to waive the remaining wait, with "
             "satisfactory medical evidence of an existing catastrophic illness or a problematic pregnancy that "
             "prevents her from performing the functions of her position.",
             "Granting the waiver is the Appointing Authority's decision, with reasons; leave under it is charged "
             "against the FMLA entitlement."),
            unit="fmla_eligibility",
            extra={"eligible_from": facts.probation_end, "waiver_from": waiver_from, "needs_human": True})
    return Decision(
        "not_eligible", merge_citations(cites(p), cites(w)),
        (f"Within the probationary period (it ends {facts.probation_end}): not yet eligible.",
         f"A waiver may be asked only after {figure(w.value)} full months of employment (from {waiver_from})."),
        unit="fmla_eligibility", extra={"eligible_from": facts.probation_end, "waiver_from": waiver_from,
                                        "needs_human": False})


# --- entitlement (A.1, B.1, B.4) ---------------------------------------------------------------------


def lookback_window(on: dt.date, tree: ParameterTree | None = None) -> tuple[dt.date, dt.date, Param]:
    """The days whose FMLA leave counts on ``on``: ``on − lookback_weeks`` … ``on − 1`` (reading 1)."""
    tree = tree or default_tree()
    p = _p(tree, "lookback_weeks", on)
    return on - dt.timedelta(weeks=_n(p)), on - dt.timedelta(days=1), p


def fmla_entitlement(
    facts: EmployeeFacts,
    on: dt.date,
    taken: Iterable[Taken] = (),
    *,
    reason: str = "medical",
    extension_granted: bool = False,
    extension_used_before: bool = False,
    intermittent_determination: bool = False,
    tree: ParameterTree | None = None,
) -> Decision:
    """The FMLA weeks and intermittent days used in the look-back window before ``on`` and what remains.

    ``taken``: FMLA leave already taken (``ContinuousFmla`` / ``IntermittentFmla``; outside the window it is
    ignored). ``extension_granted``: the one-time catastrophic-illness extension (B.1) has been granted and is
    counted in the weeks allowed. ``extension_used_before``: it was granted once already, for an earlier
    leave. ``intermittent_determination``: the employee's intermittent leave was ended under B.4.e and
    full-time leave follows (B.4.f: no extension). ``Decision.value`` is an :class:`Entitlement`."""
    tree = tree or default_tree()
    if reason not in REASONS:
        raise FmlaError(f"unknown FMLA reason {reason!r}; one of {', '.join(REASONS)}")
    first, last, lb = lookback_window(on, tree)
    mw, idays = _p(tree, "max_weeks", on), _p(tree, "intermittent_days", on)
    ext = _p(tree, "catastrophic_extension_weeks", on)
    week, day = weekly_micro(facts), fmla_day_micro(facts)
    if week <= 0:
        raise FmlaError("the employee has no scheduled weekly hours")
    cited = list(merge_citations(cites(mw), cites(lb)))
    reasons = []
    inside = [c for c in (_clip(t, first, last) for t in taken) if c is not None]
    used = sum(_taken_micro(t, facts) for t in inside)
    used_int = sum(_taken_micro(t, facts) for t in inside if isinstance(t, IntermittentFmla))
    ext_open = reason == "medical" and not extension_used_before and not intermittent_determination
    granted = Decimal(0)
    if extension_granted:
        if not ext_open:
            why = ("family leave" if reason == "family" else
                   "it was granted once already" if extension_used_before else "after an intermittent determination")
            raise FmlaError(f"the catastrophic-illness extension is not available: {why}")
        granted = ext.value
        ext_open = False
        cited += cites(ext)
        reasons.append(f"Catastrophic-illness extension granted (one time): {figure(ext.value)} more weeks of "
                       "non-intermittent leave.")
    weeks_allowed = mw.value + granted
    allowed = to_micro(weeks_allowed) * week // MICRO
    remaining = max(0, allowed - used)
    int_allowed = to_micro(idays.value) * day // MICRO
    int_remaining = max(0, min(int_allowed - used_int, to_micro(mw.value) * week // MICRO - used))
    cited += cites(idays)
    reasons.insert(0, f"Up to {figure(mw.value)} weeks of unpaid family or medical leave within the previous "
                      f"{figure(lb.value)} weeks: leave taken {first} … {last} counts on {on} (a rolling period "
                      "measured back from the date).")
    reasons.append(f"A week is the employee's own workweek of {hours_str(week)} h (Sec. 8.9: prorated for regular "
                   f"part-time employees); continuous leave counts by calendar weeks, intermittent time by its hours.")
    reasons.append(f"Used: {hours_str(used)} h = {_q(Decimal(used) / week)} weeks; remaining {hours_str(remaining)} h "
                   f"= {_q(Decimal(remaining) / week)} weeks.")
    reasons.append(f"Intermittent: up to {figure(idays.value)} days of the allotment (a day is {hours_str(day)} h) with "
                   f"satisfactory medical documentation; used {_q(Decimal(used_int) / day)} days, remaining "
                   f"{_q(Decimal(max(0, int_allowed - used_int)) / day)}.")
    beyond = used_int >= int_allowed and used < to_micro(mw.value) * week // MICRO
    if reason == "medical":
        cited += ["Sec. 8.7.2.B.4.c"]
        reasons.append("Beyond the intermittent days, intermittent leave may continue only if operations allow and the "
                       "weeks are not exhausted — a decision of the Appointing Authority.")
    if ext_open:
        cited += cites(ext)
        reasons.append(f"On satisfactory medical evidence of an existing catastrophic illness the Appointing Authority "
                       f"shall grant, one time, up to {figure(ext.value)} more weeks of non-intermittent leave.")
    elif reason == "medical" and intermittent_determination and not extension_granted:
        cited += ["Sec. 8.7.2.B.4.f"]
        reasons.append("After the intermittent determination, full-time continuous leave is limited to the rest of the "
                       "weeks and the catastrophic-illness extension is not available.")
    value = Entitlement(
        on=on, window_from=first, window_to=last,
        weeks_allowed=_q(weeks_allowed), weeks_used=_q(Decimal(used) / week), weeks_remaining=_q(Decimal(remaining) / week),
        hours_allowed=allowed, hours_used=used, hours_remaining=remaining,
        intermittent_days_allowed=_q(idays.value), intermittent_days_used=_q(Decimal(used_int) / day),
        intermittent_days_remaining=_q(Decimal(int_remaining) / day), intermittent_hours_remaining=int_remaining,
        extension_weeks_granted=_q(granted), extension_weeks_available=_q(ext.value) if ext_open else Decimal(0),
        intermittent_beyond_needs_decision=beyond and reason == "medical",
    )
    return Decision(value, merge_citations(cited), tuple(reasons), unit="fmla_entitlement")


def family_leave_last_day(event: str, event_date: dt.date, placement_end: dt.date | None = None,
                          tree: ParameterTree | None = None) -> Decision:
    """The last day family leave may run (A.1): it concludes within ``fmla.family_window_months`` following the
    birth or placement; for a foster placement the ability to take it ceases when the placement ceases (unless
    the need is directly connected to the placement — a human decision)."""
    tree = tree or default_tree()
    if event not in EVENTS:
        raise FmlaError(f"unknown family leave event {event!r}; one of {', '.join(EVENTS)}")
    p = _p(tree, "family_window_months", event_date)
    last = add_months(event_date, _n(p)) - dt.timedelta(days=1)
    reasons = [f"Family leave concludes within {figure(p.value)} months following the {event.replace('_', ' ')} "
               f"of {event_date}: by {last}."]
    needs_human = False
    if event == "foster_placement" and placement_end is not None and placement_end < last:
        last = placement_end
        needs_human = True
        reasons.append(f"The foster placement ceased on {placement_end}: leave ceases with it, unless the need for "
                       "more leave is directly connected to the placement (the Appointing Authority decides).")
    return Decision(last, cites(p), tuple(reasons), unit="date", extra={"needs_human": needs_human})


# --- deadlines (8.1.M, A.3/B.1/B.3, B.4.g-h) ---------------------------------------------------------


def is_business_day(day: dt.date, tree: ParameterTree | None = None, designations: Sequence[Designation] = ()) -> bool:
    """Monday–Friday and not an Art. 10 holiday as observed (Sec. 10.1, 10.2)."""
    if day.weekday() >= 5:
        return False
    return all(h.date != day for h in contract_holidays(day.year, tree, designations))


def business_days_after(day: dt.date, n: int, tree: ParameterTree | None = None,
                        designations: Sequence[Designation] = ()) -> tuple[dt.date, tuple[dt.date, ...]]:
    """The ``n``th business day after ``day`` (``day`` itself not counted), and the weekdays skipped as holidays."""
    tree = tree or default_tree()
    hol = {h.date: h for y in (day.year, day.year + 1) for h in contract_holidays(y, tree, designations)}
    d, count, skipped = day, 0, []
    while count < n:
        d += dt.timedelta(days=1)
        if d.weekday() >= 5:
            continue
        if d in hol:
            skipped.append(d)
            continue
        count += 1
    return d, tuple(skipped)


def fmla_deadline(kind: str, from_: dt.date, *, tree: ParameterTree | None = None,
                  designations: Sequence[Designation] = ()) -> Decision:
    """The date a step of the FMLA process is due, counted from ``from_``:

    * ``eligibility_notice_due`` — from the request or the Employer's knowledge: the eligibility notice within
      ``fmla.eligibility_notice_business_days`` business days, absent extenuating circumstances (8.1.M);
    * ``certification_request_due`` — from the employee's notice (for unforeseen leave: the leave's start):
      the Employer requests certification then or within ``fmla.certification_request_business_days``
      business days (B.1);
    * ``certification_due`` — from the employee's receipt of the D-1/D-2: returned within
      ``fmla.certification_return_days`` calendar days (8.1.M, Appendix D-1);
    * ``advance_notice_due`` — from the leave's first day: written notice at least ``fmla.advance_notice_days``
      days before (A.3/B.3), or as soon as practicable when that is not possible;
    * ``expedited_review_request_due`` — from the Employer's notice ending intermittent leave: the Union asks
      for expedited review within ``fmla.expedited_review_days`` calendar days (B.4.h);
    * ``transfer_notice_due`` — from a transfer's date: notice ``fmla.transfer_notice_days`` days before,
      wherever practicable (B.4.g).
    """
    tree = tree or default_tree()
    if kind in ("eligibility_notice_due", "certification_request_due"):
        p = _p(tree, "eligibility_notice_business_days" if kind == "eligibility_notice_due"
               else "certification_request_business_days", from_)
        due, skipped = business_days_after(from_, _n(p), tree, designations)
        what = ("the eligibility notice to the employee" if kind == "eligibility_notice_due"
                else "the Employer's request for medical certification")
        reasons = [f"{what[0].upper()}{what[1:]} is due within {figure(p.value)} business days of {from_}: by {due}."]
        if skipped:
            reasons.append("Not counted: weekends and the Art. 10 holidays "
                           + ", ".join(f"{d} ({_holiday_name(d, tree, designations)})" for d in skipped) + ".")
        else:
            reasons.append("Business days are Monday to Friday, Art. 10 holidays excepted.")
        if kind == "eligibility_notice_due":
            reasons.append("Absent extenuating circumstances.")
        return Decision(due, merge_citations(cites(p), ("Art. 10",)), tuple(reasons), unit="date")
    if kind == "certification_due":
        p = _p(tree, "certification_return_days", from_)
        due = from_ + dt.timedelta(days=_n(p))
        return Decision(due, cites(p), (f"The employee returns the completed certification within {figure(p.value)} "
                                        f"calendar days of receiving it ({from_}): by {due}.",
                                        "Not required after an unanticipated illness when the employee returns to work "
                                        "within the working days of Sec. 8.1.M."), unit="date")
    if kind == "advance_notice_due":
        p = _p(tree, "advance_notice_days", from_)
        due = from_ - dt.timedelta(days=_n(p))
        return Decision(due, cites(p), (f"Written notice of the intent to take the leave, its dates and expected "
                                        f"duration, at least {figure(p.value)} days before it starts ({from_}): by "
                                        f"{due}.", "If that notice is not possible, as soon as practicable."),
                        unit="date")
    if kind == "expedited_review_request_due":
        p = _p(tree, "expedited_review_days", from_)
        due = from_ + dt.timedelta(days=_n(p))
        return Decision(due, cites(p), (f"The Union may request expedited impartial review within {figure(p.value)} "
                                        f"calendar days of the notice ({from_}) that intermittent leave will be "
                                        f"terminated: by {due}.", "The status quo ante is preserved pending the "
                                        "arbitrator's decision."), unit="date")
    if kind == "transfer_notice_due":
        p = _p(tree, "transfer_notice_days", from_)
        due = from_ - dt.timedelta(days=_n(p))
        return Decision(due, cites(p), (f"Wherever practicable, {figure(p.value)} days' notice of a transfer on "
                                        f"{from_}: by {due}.",), unit="date")
    raise FmlaError(f"unknown deadline {kind!r}; one of {', '.join(DEADLINES)}")


def _holiday_name(day: dt.date, tree: ParameterTree, designations: Sequence[Designation]) -> str:
    return next((h.name for h in contract_holidays(day.year, tree, designations) if h.date == day), "holiday")


def d1_required(facts: EmployeeFacts, absence_start: dt.date, returned_on: dt.date,
                holidays: Iterable[dt.date] = (), tree: ParameterTree | None = None) -> Decision:
    """Whether the D-1 must be returned after an unanticipated illness (8.1.M, B.1): not when the employee
    returned to work within ``fmla.d1_waived_within_working_days`` working days of the absence's beginning
    (reading 5: the absence covered at most that many of the employee's working days, holidays excluded)."""
    tree = tree or default_tree()
    if returned_on <= absence_start:
        raise FmlaError(f"the return ({returned_on}) is not after the absence began ({absence_start})")
    p = _p(tree, "d1_waived_within_working_days", absence_start)
    hol = frozenset(holidays)
    n = sum(1 for i in range((returned_on - absence_start).days)
            if scheduled_micro_on(facts, absence_start + dt.timedelta(days=i), hol) > 0)
    required = n > _n(p)
    text = (f"Unanticipated illness from {absence_start}, back on {returned_on}: {n} working day(s) absent; "
            f"{'more than' if required else 'within'} {figure(p.value)} working days, so the D-1 "
            f"{'is required' if required else 'is not required'}.")
    return Decision(required, cites(p), (text,), unit="bool", extra={"working_days_absent": n})


# --- intermittent leave ended (B.4.e-h) -----------------------------------------------------------------


def intermittent_termination(notice_on: dt.date, entitlement: Entitlement, tree: ParameterTree | None = None) -> Decision:
    """What follows the Employer's written notice (to the Union and the employee) of its intent to terminate
    intermittent leave (B.4.e): the employee may ask for full-time continuous leave for the rest of the weeks
    (B.4.f, no catastrophic extension); otherwise the Union may ask for expedited review by the date given
    (B.4.h), the status quo preserved meanwhile. ``value``: the review request's last day."""
    tree = tree or default_tree()
    review = fmla_deadline("expedited_review_request_due", notice_on, tree=tree)
    weeks = entitlement.weeks_remaining
    return Decision(
        review.value, merge_citations(("Sec. 8.7.2.B.4.e", "Sec. 8.7.2.B.4.f"), review.citations),
        ("Written notice to the Union and the employee of the intent to terminate the intermittent leave, given "
         f"{notice_on}, when no alternative was agreed and operations are unduly disrupted.",
         f"The employee may instead request full-time continuous leave, with medical documentation: no denial, "
         f"limited to the {figure(weeks)} weeks left, without the catastrophic-illness extension.",
         *review.reasons),
        unit="date", extra={"weeks_remaining": weeks, "needs_human": True})


# --- pay and accruals (A.4/B.5, A.6, A.7/B.8, B.7) ---------------------------------------------------


def fmla_pay_and_accruals(start: dt.date, end: dt.date, reason: str = "medical",
                          tree: ParameterTree | None = None) -> Decision:
    """The pay rules of an unpaid FMLA leave ``start`` … ``end``: ``value`` is the last day sick and vacation
    still accrue (A.6, from ``accrual.unpaid_leave_accrual_until('family_medical', ...)`` — the accrual run
    uses the same rule); the reasons say that the employee chooses which accrued credits to use (A.4/B.5) and
    give the health-insurance continuation (A.7/B.8) as the contract's text. ``extra['health_insurance']``."""
    tree = tree or default_tree()
    if end < start:
        raise FmlaError(f"the leave ends ({end}) before it starts ({start})")
    if reason not in REASONS:
        raise FmlaError(f"unknown FMLA reason {reason!r}; one of {', '.join(REASONS)}")
    accrual = unpaid_leave_accrual_until("family_medical", start, end, tree)
    ins = _p(tree, "health_insurance", start)
    credits_cite = "Sec. 8.7.2.A.4" if reason == "family" else "Sec. 8.7.2.B.5"
    reasons = (
        "The leave is unpaid; the employee chooses whether to use accrued sick, personal, compensatory or vacation "
        "credits, as the provisions of each allow.",
        *accrual.reasons,
        str(ins.value).strip(),
    )
    return Decision(accrual.value, merge_citations((credits_cite,), accrual.citations, cites(ins)), reasons, unit="date",
                    extra={"health_insurance": str(ins.value).strip(), "accrues_until": accrual.value})


def holiday_between_unpaid_periods(back_from: dt.date, back_to: dt.date, holiday: dt.date,
                                   tree: ParameterTree | None = None) -> Decision:
    """Whether a holiday on ``holiday``, while the employee is back on the payroll ``back_from`` … ``back_to``
    between two periods of unpaid medical leave, earns holiday pay or compensatory time (B.7): not when that
    return lasts less than ``fmla.between_periods_weeks`` weeks. ``value``: True when it does."""
    tree = tree or default_tree()
    if back_to < back_from or not back_from <= holiday <= back_to:
        raise FmlaError(f"the holiday {holiday} is not within the return {back_from} … {back_to}")
    p = _p(tree, "between_periods_weeks", back_from)
    days = (back_to - back_from).days + 1
    short = days < _n(p) * 7
    text = (f"Back on the payroll {back_from} … {back_to} ({days} days) between periods of unpaid medical leave: "
            + (f"less than {figure(p.value)} weeks, so no holiday pay or compensatory time for the holiday on {holiday}."
               if short else f"at least {figure(p.value)} weeks, so the holiday on {holiday} is credited as Art. 10 says."))
    return Decision(not short, merge_citations(cites(p), ("Art. 10",)), (text,), unit="bool")


def opinions_note(on: dt.date, tree: ParameterTree | None = None) -> Decision:
    """Second and third medical opinions (B.3), as the contract's text."""
    tree = tree or default_tree()
    p = _p(tree, "second_opinion", on)
    return Decision(str(p.value).strip(), cites(p), (str(p.value).strip(),), unit="text")


__all__ = [
    "DEADLINES", "ELIGIBILITY", "EVENTS", "MODES", "REASONS", "ContinuousFmla", "Entitlement", "FmlaError",
    "IntermittentFmla", "Taken", "business_days_after", "d1_required", "family_leave_last_day", "fmla_day_micro",
    "fmla_deadline", "fmla_eligibility", "fmla_entitlement", "fmla_pay_and_accruals", "holiday_between_unpaid_periods",
    "intermittent_termination", "is_business_day", "lookback_window", "opinions_note", "weekly_micro",
]
