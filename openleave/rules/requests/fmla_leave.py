"""Family and medical leave, Sec. 8.7.2 — the two FMLA kinds of request, checked with the rules core
(``openleave.rules.fmla``).

``fmla_family`` (8.7.2.A): unpaid leave in conjunction with the birth, adoption or placement of a child, up to
``fmla.max_weeks`` weeks within the look-back period, concluding within ``fmla.family_window_months`` months
following the birth or placement (ceasing with a foster placement, A.1). ``fmla_medical`` (8.7.2.B): the
employee's own serious health condition, or care of a spouse, child or parent; continuous, intermittent, or a
modified work schedule (B.4) — intermittent and modified-schedule time draws the ``fmla.intermittent_days``
days first (B.4.a, with satisfactory medical documentation); beyond them only if operations allow (B.4.c) → a
human decides. Eligibility: ``fmla_eligibility`` — a ``waiver_possible`` employee's leave needs the Appointing
Authority's waiver (A.2/B.2; the fact ``waiver_granted`` records it). The FMLA leave already taken comes in
``RequestContext.fmla_taken`` (``ContinuousFmla`` / ``IntermittentFmla``). The leave is unpaid (charged as
``fmla``) unless the employee chooses accrued credits for it (A.4/B.5, ``charge_excess_to``); sick and
vacation accrue only for the first weeks of the unpaid leave (A.6).
"""

from __future__ import annotations

import datetime as dt

from openleave.rules import fmla
from openleave.rules.params import figure
from openleave.rules.requests.common import Draft, cap_total, first_day, h, last_day
from openleave.rules.requests.model import FactDeclaration, Finding, KindDeclaration, RequestError

CREDITS = ("sick", "vacation", "personal", "comp_time")


def _check(d: Draft, reason: str) -> Finding:
    ask, ctx, facts = d.ask, d.ctx, d.facts
    days = d.by_day()
    requested = sum(days.values())
    start, end = first_day(ask.start), last_day(ask.end)
    d.visible = "family and medical leave"
    d.protected = reason == "medical"
    d.ground("fmla_not_eligible", "fmla_exhausted")
    discretionary = False
    # eligibility (A.1/B.1, A.2/B.2)
    elig = fmla.fmla_eligibility(facts, start, d.tree)
    if elig.value == "not_eligible":
        for r in elig.reasons:
            d.say(r, *elig.citations)
        return d.finish(requested, 0)
    if elig.value == "waiver_possible":
        if ask.fact("waiver_granted"):
            d.say("The Appointing Authority waived the remaining wait (catastrophic illness or problematic pregnancy); "
                  "the leave is charged against the FMLA entitlement.", *elig.citations)
        else:
            for r in elig.reasons:
                d.human(r, *elig.citations)
            discretionary = True
    else:
        d.say(elig.reasons[0], *elig.citations)
    # entitlement (A.1, B.1, B.4)
    mode = ask.fact("mode") or "continuous"
    if reason == "family" and mode != "continuous":
        raise RequestError("family leave (Sec. 8.7.2.A) is taken as a continuous leave; intermittent leave and "
                           "modified schedules are medical leave (Sec. 8.7.2.B.4)")
    try:
        ent = fmla.fmla_entitlement(
            facts, start, ctx.fmla_taken, reason=reason, tree=d.tree,
            extension_granted=bool(ask.fact("extension_granted")) and mode == "continuous",
            extension_used_before=bool(ask.fact("extension_used_before")),
            intermittent_determination=bool(ask.fact("intermittent_determination")))
    except fmla.FmlaError as exc:
        raise RequestError(str(exc)) from None
    e = ent.value
    d.say(ent.reasons[0], *ent.citations[:2])
    d.say(f"Before {start}: {figure(e.weeks_used)} weeks used, {figure(e.weeks_remaining)} weeks "
          f"({h(e.hours_remaining)}) left of {figure(e.weeks_allowed)}; a week is the employee's own workweek "
          "(Sec. 8.9, prorated for part-time).", "Sec. 8.9")
    if reason == "family":
        ev, ev_date = ask.event, ask.event_date
        if ev not in fmla.EVENTS or ev_date is None:
            raise RequestError("family leave needs event: birth | adoption | foster_placement and event_date")
        window = fmla.family_leave_last_day(ev, ev_date, ask.placement_end, d.tree)
        for r in window.reasons:
            (d.human if window.extra["needs_human"] else d.say)(r, *window.citations)
        days_in = {k: v for k, v in days.items() if ev_date <= k <= window.value}
        if len(days_in) < len(days):
            d.say(f"Only the days {ev_date} … {window.value} are within the period for family leave.",
                  *window.citations)
    else:
        days_in = dict(days)
        if ask.relation not in d.value("fmla_medical.relations"):
            raise RequestError(f"medical leave is for the employee's own serious health condition or to care for a "
                               f"spouse, child or parent; {ask.relation!r} is not among them")
    if mode == "continuous":
        week = fmla.weekly_micro(facts)
        cal_days = e.hours_remaining * 7 // week
        last = start + dt.timedelta(days=cal_days - 1)
        got = {k: v for k, v in days_in.items() if k <= last}
        if len(got) < len(days_in):
            d.say(f"Continuous leave counts by calendar weeks: the {figure(e.weeks_remaining)} weeks left run "
                  f"{start} … {last}.", *ent.citations[:2])
        if e.extension_weeks_available and reason == "medical":
            d.say(f"On satisfactory medical evidence of an existing catastrophic illness, up to "
                  f"{figure(e.extension_weeks_available)} more weeks of non-intermittent leave, once "
                  "(extension_granted).", "Sec. 8.7.2.B.1")
    else:
        d.ground("fmla_intermittent_operations", "fmla_no_certification")
        within = cap_total(days_in, e.intermittent_hours_remaining)
        inside = sum(within.values())
        got = cap_total(days_in, e.hours_remaining)
        day = fmla.fmla_day_micro(facts)
        d.say(f"{'Intermittent' if mode == 'intermittent' else 'Modified-schedule'} time draws the "
              f"{figure(e.intermittent_days_allowed)} intermittent days of the allotment: "
              f"{figure(e.intermittent_days_used)} used, {figure(e.intermittent_days_remaining)} left "
              f"(a day is {h(day)}); {h(inside)} of {h(sum(days_in.values()))} asked fit within them.",
              "Sec. 8.7.2.B.4.a")
        if sum(got.values()) > inside:
            d.human(f"Beyond the {figure(e.intermittent_days_allowed)} days ({h(sum(got.values()) - inside)} of this "
                    "request), intermittent leave continues only if operations allow and the weeks are not exhausted: "
                    "the Appointing Authority decides (or offers full-time leave, a change of duties or an alternative "
                    "work option).", "Sec. 8.7.2.B.4.b", "Sec. 8.7.2.B.4.c")
            discretionary = True
        if not ask.fact("certified"):
            d.human("Intermittent leave and modified schedules need satisfactory medical documentation (D-1 or D-2).",
                    "Sec. 8.7.2.B.4.a", "Sec. 8.1.K.2")
            discretionary = True
    allowed = sum(got.values())
    if allowed == 0:
        d.say("No FMLA entitlement is left for these dates.", *ent.citations[:2])
        return d.finish(requested, 0)
    # notice (A.3/B.3)
    notice = fmla.fmla_deadline("advance_notice_due", start, tree=d.tree)
    if ctx.submitted_at is not None and ctx.submitted_at.date() > notice.value:
        d.human(f"Notice given {ctx.submitted_at.date()}, after {notice.value} ({notice.reasons[0]}); if earlier "
                "notice was not possible, it is due as soon as practicable.", *notice.citations)
    # pay and accruals (A.4/B.5, A.6, A.7/B.8)
    pay = fmla.fmla_pay_and_accruals(start, end, reason, d.tree)
    for r in pay.reasons:
        d.say(r, *pay.citations)
    d.extra["accrues_until"] = pay.value
    paid = d.charge_others(allowed, no_approval=CREDITS) if ask.charge_excess_to else 0
    if allowed - paid > 0:
        d.charges.append(("fmla", allowed - paid))
    d.extra["weeks_remaining_before"] = figure(e.weeks_remaining)
    d.extra["intermittent_days_remaining_before"] = figure(e.intermittent_days_remaining)
    return d.finish(requested, allowed, discretionary=discretionary, days=got)


def check_family(d: Draft) -> Finding:
    return _check(d, "family")


def check_medical(d: Draft) -> Finding:
    return _check(d, "medical")


WAIVER = FactDeclaration("waiver_granted", "bool", "The Appointing Authority waived the remaining wait (Sec. 8.7.2.A.2, B.2)")
FAMILY = KindDeclaration(
    code="fmla_family", label="FMLA family leave (Sec. 8.7.2.A)", cite="Sec. 8.7.2.A", check=check_family,
    facts=(
        FactDeclaration("event", "choice", "Event", choices=(
            ("birth", "Birth"), ("adoption", "Adoption"), ("foster_placement", "Foster placement"))),
        FactDeclaration("event_date", "date", "Date of the birth, adoption or placement"),
        FactDeclaration("placement_end", "date", "End of the foster placement, if it has ended"),
        WAIVER,
    ),
    credits=CREDITS,
    help="Unpaid; you may choose to use accrued credits for it. Give the Appointing Authority written notice "
         "of the dates in advance.",
)
MEDICAL = KindDeclaration(
    code="fmla_medical", label="FMLA medical leave (Sec. 8.7.2.B)", cite="Sec. 8.7.2.B", check=check_medical,
    facts=(
        FactDeclaration("relation", "choice", "Whose serious health condition", choices_param=("fmla_medical.relations",)),
        FactDeclaration("mode", "choice", "How the leave is taken", choices=(
            ("continuous", "Continuous"), ("intermittent", "Intermittent"),
            ("modified_schedule", "Modified work schedule"))),
        FactDeclaration("certified", "bool", "Satisfactory medical documentation (D-1 or D-2) was provided"),
        FactDeclaration("extension_granted", "bool", "Catastrophic-illness extension granted (Sec. 8.7.2.B.1)"),
        FactDeclaration("extension_used_before", "bool", "The catastrophic-illness extension was granted before"),
        FactDeclaration("intermittent_determination", "bool", "Intermittent leave was ended (Sec. 8.7.2.B.4.e)"),
        WAIVER,
    ),
    credits=CREDITS,
    help="Unpaid; you may choose to use accrued credits for it. The reason is never shown to your supervisor.",
)
DECLARATIONS = (FAMILY, MEDICAL)
