"""Sick leave, Sec. 8.1 — purposes 8.1.C.1–7, caps, charging units, notice, medical evidence.

Readings (steward's): "granted, at the discretion of the Appointing Authority, ... only under the
following conditions" (8.1.C) is read as the AA judging whether a condition exists, checked through
8.1.E/J/K — not a free power to refuse leave that meets a condition; so a request that meets a
condition is ``allowed`` and the notice and evidence points come back as findings for a human.
The day-caps of 8.1.C.2/3/7 limit the use of credits the employee already earned (8.1.B prorates
the earning), so they are counted in full 8.9 days (``calendar.day_hours``), not prorated again for
part-time. 8.1.C.3's adoption-preparation days count against the adoption total
(``use.sick.adoption_total_days_per_year``), not against 8.1.C.2.
8.1.G (vacation at the employee's discretion when sick credits run out) covers the employee's own
health — 8.1.C.1, C.4, C.5; for other purposes vacation needs approval (Sec. 9.9).
"""

from __future__ import annotations

import datetime as dt

from openleave.rules.params import figure
from openleave.rules.requests.common import Draft, add_months, cap_per_year, h
from openleave.rules.requests.model import (
    FactDeclaration,
    Finding,
    KindDeclaration,
    RequestError,
    UsageDeclaration,
)

PURPOSES = {
    "own_illness": ("own illness or injury", "Sec. 8.1.C.1"),
    "family_care": ("care of a seriously ill family or household member", "Sec. 8.1.C.2.a"),
    "parental": ("parental leave for a birth or adoption", "Sec. 8.1.C.2.b"),
    "adoption_prep": ("preparations and legal requirements of an adoption", "Sec. 8.1.C.3"),
    "contagious_disease": ("exposure to a contagious disease", "Sec. 8.1.C.4"),
    "medical_appointment": ("a medical or dental appointment", "Sec. 8.1.C.5"),
    "counselling": ("absence with active participation in an approved counselling program", "Sec. 8.1.C.6"),
    "foster_care": ("preparations and legal proceedings of DCF foster care", "Sec. 8.1.C.7"),
}
OWN_HEALTH = ("own_illness", "contagious_disease", "medical_appointment", "counselling")
FAMILY = ("family_care", "parental", "adoption_prep", "foster_care")


def check(d: Draft) -> Finding:
    ask, ctx = d.ask, d.ctx
    purpose = ask.purpose or "own_illness"
    if purpose not in PURPOSES:
        raise RequestError(f"unknown sick-leave purpose {purpose!r}; one of {', '.join(PURPOSES)}")
    label, cite = PURPOSES[purpose]
    d.visible = "sick leave (family)" if purpose in FAMILY else "sick leave"
    d.protected = purpose in FAMILY
    days = d.by_day()
    requested = sum(days.values())
    d.ground("insufficient_credits", "sick_condition_not_met", "medical_evidence_not_produced", "sick_leave_abused")
    d.say(f"Sick leave for {label} is a condition of {cite}.", cite)

    _notice(d, days)
    _evidence(d, purpose, days)
    ok = _condition(d, purpose, days)
    if ok is None:
        d.offer("vacation", "personal")
        return d.finish(requested, 0)
    capped = sum(ok.values())
    if capped < requested:
        d.ground("sick_cap_reached")
        d.offer("vacation", "personal")

    covered = d.charge_balance("sick", capped, "Sec. 8.1.F")
    if covered < capped:
        d.say(
            f"Only {h(covered)} of sick leave can be charged: no leave beyond the sick leave credits "
            f"({h(ctx.balances.get('sick', 0))} available).", "Sec. 8.1.N")
        if purpose in OWN_HEALTH:
            d.say("With no sick credits left, the employee may choose to be placed on available vacation "
                  "leave, or ask in writing for leave without pay of up to "
                  f"{figure(d.value('sick.lwop_no_credits_max_months'))} months.", "Sec. 8.1.G")
            d.offer("vacation", "personal", "lwop")
        else:
            d.offer("vacation", "personal")
    rest = requested - covered
    more = d.charge_others(rest, exclude=("sick",), no_approval=("vacation",) if purpose in OWN_HEALTH else ())
    return d.finish(requested, covered + more, days=ok)


def _condition(d: Draft, purpose: str, days: dict[dt.date, int]) -> dict[dt.date, int] | None:
    """The days that meet the purpose's condition and its cap, or None when the condition fails."""
    ask, ctx = d.ask, d.ctx
    if purpose == "family_care":
        relations = d.value("sick.family_care_relations")
        if ask.relation not in relations and not (ask.household and ask.relation):
            d.say(f"Sick leave for family care covers {', '.join(relations)} or a relative living in the "
                  f"household; {ask.relation!r} is not among them.", "Sec. 8.1.C.2.a")
            return None
        return _family_cap(d, days)
    if purpose == "parental":
        if ask.event not in ("birth", "adoption") or ask.event_date is None:
            raise RequestError("parental sick leave needs event: birth|adoption and event_date")
        months = int(d.value("sick.parental_window_months"))
        end = add_months(ask.event_date, months)
        inside = {k: v for k, v in days.items() if ask.event_date <= k < end}
        if len(inside) < len(days):
            d.say(f"Parental leave must be concluded within {months} months of the {ask.event} "
                  f"({ask.event_date} up to {end}); days outside are not parental leave.", "Sec. 8.1.C.2.b")
        d.say("No medical certification is required unless the Appointing Authority has reason to believe the "
              f"{ask.event} claim is not genuine; this is in addition to the "
              f"{figure(d.tree.get('use.family_paid.days', d.on).value)} days of paid family leave.",
              "Sec. 8.1.C.2.b", "Sec. 8.7.1")
        inside = _family_cap(d, inside)
        return _adoption_total(d, inside) if ask.event == "adoption" else inside
    if purpose == "adoption_prep":
        n = d.value("sick.adoption_prep_days_per_year")
        cap = d.days_to_micro(n, prorate=False)
        got = cap_per_year(days, cap, ctx.used_hours.get("sick.adoption_prep", 0))
        _report_cap(d, days, got, f"{figure(n)}-day adoption-preparation limit", "Sec. 8.1.C.3")
        return _adoption_total(d, got)
    if purpose == "foster_care":
        n = figure(d.value("sick.foster_care_days_per_year"))
        if ask.hrd_waiver:
            d.say(f"HRD waived the {n}-day foster-care limit for a difficult placement.", "Sec. 8.1.C.7")
            return days
        cap = d.days_to_micro(d.value("sick.foster_care_days_per_year"), prorate=False)
        got = cap_per_year(days, cap, ctx.used_hours.get("sick.foster_care", 0))
        if _report_cap(d, days, got, f"{n}-day foster-care limit", "Sec. 8.1.C.7"):
            d.say(f"HRD may approve a waiver of the {n}-day limit for difficult placements; the SERV volunteer day "
                  "may also be used for foster-care activities.", "Sec. 8.1.C.7")
        return got
    if purpose == "counselling":
        if ask.in_counselling_program is False:
            d.say("Sick leave for absence due to alcohol or narcotics requires becoming and continuing to be an "
                  "active participant in an approved counselling program.", "Sec. 8.1.C.6")
            return None
        if ask.in_counselling_program is None:
            d.human("Confirm active participation in an approved counselling program.", "Sec. 8.1.C.6")
        return days
    if purpose == "medical_appointment":
        d.say("Allowed when the appointment cannot reasonably be scheduled outside normal working hours; "
              "reasonable travel time to and from the appointment counts.",
              "Sec. 8.1.C.5", "MOU Regarding Article 8, Section 1.C.4 (medical and dental appointments)")
        return days
    if purpose == "contagious_disease":
        d.say("Allowed when the employee's presence at work would jeopardize the health of others.", "Sec. 8.1.C.4")
    return days


def _family_cap(d: Draft, days: dict[dt.date, int]) -> dict[dt.date, int]:
    n = d.value("sick.family_care_days_per_year")
    cap = d.days_to_micro(n, prorate=False)
    used = d.ctx.used_hours.get("sick.family_care", 0)
    got = cap_per_year(days, cap, used)
    _report_cap(d, days, got, f"{figure(n)}-day family-care cap ({h(used)} of {h(cap)} used this year)", "Sec. 8.1.C.2")
    return got


def _adoption_total(d: Draft, days: dict[dt.date, int]) -> dict[dt.date, int]:
    n = d.value("sick.adoption_total_days_per_year")
    cap = d.days_to_micro(n, prorate=False)
    got = cap_per_year(days, cap, d.ctx.used_hours.get("sick.adoption_total", 0))
    _report_cap(d, days, got, f"{figure(n)}-day total for adoption-related purposes", "Sec. 8.1.C.3")
    return got


def _report_cap(d: Draft, before: dict, after: dict, what: str, cite: str) -> bool:
    a, b = sum(after.values()), sum(before.values())
    if a < b:
        d.say(f"{h(a)} of {h(b)} allowed: {what}, {cite}.", cite)
        return True
    return False


def _notice(d: Draft, days: dict[dt.date, int]) -> None:
    """Sec. 8.1.J: notice before the shift (single-shift: within minutes of the start), each day —
    ``use.sick.notice_minutes_before_shift`` and ``use.sick.notice_minutes_after_start_single_shift``."""
    ctx = d.ctx
    first = min(days)
    if len(days) > 1:
        d.say("Notice is due on each day of absence unless the Appointing Authority excuses daily notification.",
              "Sec. 8.1.J")
    if ctx.submitted_at is None:
        return
    start = ctx.shift_starts.get(("mon", "tue", "wed", "thu", "fri", "sat", "sun")[first.weekday()])
    if start is None:
        late = ctx.submitted_at.date() > first
        deadline_text = f"before {first}"
    else:
        shift = dt.datetime.combine(first, start)
        if ctx.single_shift_agency:
            deadline = shift + dt.timedelta(minutes=int(d.value("sick.notice_minutes_after_start_single_shift")))
        else:
            deadline = shift - dt.timedelta(minutes=int(d.value("sick.notice_minutes_before_shift")))
        late = ctx.submitted_at > deadline
        deadline_text = f"by {deadline:%Y-%m-%d %H:%M}"
    if late:
        d.ground("sick_notice_repeatedly_late")
        d.human(f"Notice was given {ctx.submitted_at:%Y-%m-%d %H:%M}, after the deadline ({deadline_text}). "
                "Only repeated violations may lead to denial; the Appointing Authority may excuse the notice "
                "where circumstances warrant.", "Sec. 8.1.J")


def _evidence(d: Draft, purpose: str, days: dict[dt.date, int]) -> None:
    limit = int(d.value("sick.medical_exam_after_work_days"))
    if len(days) > limit and purpose in OWN_HEALTH:
        d.human(f"Sick leave of {len(days)} consecutive work days (more than {limit}): on return the employee may "
                "be required to undergo a medical examination by an Employer-appointed physician, at the "
                "Employer's cost.", "Sec. 8.1.E")
    if d.ctx.medical_evidence_required:
        d.human("A written requirement of medical evidence is in force: satisfactory medical evidence is due within "
                f"{figure(d.value('sick.medical_evidence_due_days'))} days of its request (for family care: a statement that the person is seriously ill and needs "
                "care on those days).", "Sec. 8.1.K.1", "Sec. 8.1.K.2")


DECLARATION = KindDeclaration(
    code="sick", label="Sick leave (Sec. 8.1)", cite="Sec. 8.1", check=check,
    help="Family-care and parental purposes are shown to your supervisor only as \"sick leave (family)\".",
    facts=(
        FactDeclaration("purpose", "choice", "Purpose", "Choose the category only. Never write a diagnosis.",
                        choices=tuple((k, f"{text[:1].upper()}{text[1:]} ({cite})") for k, (text, cite) in PURPOSES.items())),
        FactDeclaration("relation", "choice", "Family member (family care)", choices_param=("sick.family_care_relations",),
                        open=True),
        FactDeclaration("household", "bool", "The family member lives in my household"),
        FactDeclaration("event", "choice", "Event (parental leave)", choices=(("birth", "Birth"), ("adoption", "Adoption"))),
        FactDeclaration("event_date", "date", "Date of the birth or adoption"),
        FactDeclaration("in_counselling_program", "bool", "I take part in an approved counselling program (Sec. 8.1.C.6)"),
        FactDeclaration("hrd_waiver", "bool", "HRD waived the 10-day foster-care limit (Sec. 8.1.C.7)"),
    ),
    usage=(
        UsageDeclaration("sick.family_care", "hours", "sick leave for family care and parental leave, Sec. 8.1.C.2 "
                         "(a and b together)", credit="sick", when={"purpose": ("family_care", "parental")}),
        UsageDeclaration("sick.adoption_prep", "hours", "sick leave for adoption preparations, Sec. 8.1.C.3",
                         credit="sick", when={"purpose": ("adoption_prep",)}),
        UsageDeclaration("sick.adoption_total", "hours", "sick leave for all adoption-related purposes, "
                         "Sec. 8.1.C.2.b + 8.1.C.3", credit="sick", when={"purpose": ("adoption_prep",)}),
        UsageDeclaration("sick.adoption_total", "hours", credit="sick",
                         when={"purpose": ("parental",), "event": ("adoption",)}),
        UsageDeclaration("sick.foster_care", "hours", "sick leave for DCF foster care, Sec. 8.1.C.7", credit="sick",
                         when={"purpose": ("foster_care",)}),
    ),
    credits=("vacation", "personal", "comp_time"),
)
