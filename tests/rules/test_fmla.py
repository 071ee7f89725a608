"""Family and medical leave, Sec. 8.7.2 and 8.1.M — the rules core (openleave.rules.fmla), worked by hand.

Every expected figure below is worked from the contract text (cited beside it), never copied from the code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openleave.rules import fmla
from openleave.rules.facts import EmployeeFacts
from openleave.rules.fmla import ContinuousFmla, FmlaError, IntermittentFmla
from openleave.rules.holidays import Designation, contract_holidays
from openleave.rules.requests import LeaveAsk, RequestContext, RequestError, check_request
from openleave.rules.units import MICRO

day = dt.date
FULL = EmployeeFacts(service_start=day(2015, 1, 5), title_full_time_hours_per_week=D("37.5"))


def holidays(*years):
    return frozenset(h.date for y in years for h in contract_holidays(y))


# --- eligibility: Sec. 8.7.2.A.1/B.1, A.2/B.2 -------------------------------------------------------------


def test_without_probation_eligible_after_three_consecutive_months():
    # B.1: "if there is no probationary period, who has been employed at least three (3) consecutive months".
    # Hired 2026-01-31: three months later is 2026-04-30 (April has no 31st).
    f = EmployeeFacts(service_start=day(2026, 1, 31))
    assert fmla.fmla_eligibility(f, day(2026, 4, 29)).value == "not_eligible"
    d = fmla.fmla_eligibility(f, day(2026, 4, 30))
    assert d.value == "eligible" and "Sec. 8.7.2.B.1" in d.citations and d.extra["eligible_from"] == day(2026, 4, 30)


def test_within_probation_a_waiver_may_be_asked_after_six_full_months_and_a_human_decides():
    # A.2/B.2: hired Mon 2026-01-05, six full months run to the end of 2026-07-04; probation to 2026-10-05.
    f = EmployeeFacts(service_start=day(2026, 1, 5), probation_end=day(2026, 10, 5))
    early = fmla.fmla_eligibility(f, day(2026, 7, 4))
    assert early.value == "not_eligible" and early.extra["waiver_from"] == day(2026, 7, 5)
    w = fmla.fmla_eligibility(f, day(2026, 7, 5))
    assert w.value == "waiver_possible" and w.extra["needs_human"] is True
    assert {"Sec. 8.7.2.A.2", "Sec. 8.7.2.B.2"} <= set(w.citations)
    assert any("catastrophic illness" in r and "problematic pregnancy" in r for r in w.reasons)
    assert any("Appointing Authority's decision" in r for r in w.reasons)
    assert fmla.fmla_eligibility(f, day(2026, 10, 5)).value == "eligible"  # probation completed


def test_eligibility_before_service_is_an_error():
    with pytest.raises(FmlaError, match="before the employee's service"):
        fmla.fmla_eligibility(FULL, day(2014, 12, 31))


# --- entitlement: A.1, B.1, B.4 ---------------------------------------------------------------------------


def test_the_window_is_the_52_weeks_before_the_date():
    # B.4.c "within the previous 52 week period": on 2026-06-01 the 364 days 2025-06-02 … 2026-05-31 count.
    first, last, _ = fmla.lookback_window(day(2026, 6, 1))
    assert (first, last) == (day(2025, 6, 2), day(2026, 5, 31))
    on_edge = [IntermittentFmla(day(2025, 6, 2), days=D(1))]  # the first day of the window counts
    outside = [IntermittentFmla(day(2025, 6, 1), days=D(1))]  # the day before does not
    assert fmla.fmla_entitlement(FULL, day(2026, 6, 1), on_edge).value.intermittent_days_used == 1
    assert fmla.fmla_entitlement(FULL, day(2026, 6, 1), outside).value.intermittent_days_used == 0


def test_continuous_weeks_and_intermittent_days_in_the_employees_own_week():
    # 37.5 h week, 7.5 h day (Sec. 8.9). Continuous 2026-01-05 … 2026-02-15 = 42 days = 6 weeks;
    # 59 intermittent days × 7.5 = 442.5 h = 11.8 weeks → 17.8 used, 26 − 17.8 = 8.2 left; 1 intermittent day left.
    taken = [ContinuousFmla(day(2026, 1, 5), day(2026, 2, 15)),
             *[IntermittentFmla(day(2026, 3, 2) + dt.timedelta(days=i), days=D(1)) for i in range(59)]]
    e = fmla.fmla_entitlement(FULL, day(2026, 6, 1), taken).value
    assert (e.weeks_used, e.weeks_remaining) == (D("17.8"), D("8.2"))
    assert (e.intermittent_days_used, e.intermittent_days_remaining) == (D(59), D(1))
    assert e.hours_allowed == 975 * MICRO and e.hours_used == 667_500_000  # 26 × 37.5; 225 + 442.5
    assert e.intermittent_hours_remaining == 7_500_000 and not e.intermittent_beyond_needs_decision


def test_at_sixty_intermittent_days_more_needs_a_decision():
    # B.4.a: "up to 60 days of their FMLA allotment"; B.4.c: beyond them only "if operations allow".
    taken = [IntermittentFmla(day(2026, 1, 5), days=D(60))]
    d = fmla.fmla_entitlement(FULL, day(2026, 6, 1), taken)
    assert d.value.intermittent_days_remaining == 0 and d.value.intermittent_beyond_needs_decision
    assert d.value.weeks_remaining == 14  # 60 days × 7.5 = 450 h = 12 weeks; 26 − 12 = 14
    assert {"Sec. 8.7.2.B.4.a", "Sec. 8.7.2.B.4.c"} <= set(d.citations)


def test_part_time_entitlement_is_prorated():
    # Sec. 8.9 ¶2: a 20 h week on a 40 h title → the week is 20 h, the day 4 h; 26 × 20 = 520 h allowed.
    # 4 weeks continuous (28 days) = 80 h, plus 10 intermittent days × 4 h = 40 h = 2 weeks → 6 used, 20 left.
    pt = EmployeeFacts(service_start=day(2015, 1, 5), title_full_time_hours_per_week=D(40),
                       schedule_hours_per_week=D(20), status="part_time")
    taken = [ContinuousFmla(day(2026, 1, 5), day(2026, 2, 1)), IntermittentFmla(day(2026, 3, 2), days=D(10))]
    e = fmla.fmla_entitlement(pt, day(2026, 6, 1), taken).value
    assert e.hours_allowed == 520 * MICRO and e.hours_used == 120 * MICRO
    assert (e.weeks_used, e.weeks_remaining, e.intermittent_days_used) == (D(6), D(20), D(10))


def test_the_catastrophic_extension_once_non_intermittent_and_not_after_an_intermittent_determination():
    # B.1: "on a one-time basis, up to an additional twenty-six (26) weeks of non-intermittent FMLA leave";
    # B.4.f: after an intermittent determination "shall not be eligible for the Catastrophic leave extension".
    taken = [ContinuousFmla(day(2026, 1, 5), day(2026, 7, 5))]  # 182 days = 26 weeks: exhausted
    plain = fmla.fmla_entitlement(FULL, day(2026, 7, 6), taken).value
    assert plain.weeks_remaining == 0 and plain.extension_weeks_available == 26
    granted = fmla.fmla_entitlement(FULL, day(2026, 7, 6), taken, extension_granted=True).value
    assert (granted.weeks_allowed, granted.weeks_remaining, granted.extension_weeks_available) == (52, 26, 0)
    assert granted.intermittent_days_remaining == 0  # the extension is non-intermittent
    after = fmla.fmla_entitlement(FULL, day(2026, 7, 6), taken, intermittent_determination=True)
    assert after.value.extension_weeks_available == 0 and "Sec. 8.7.2.B.4.f" in after.citations
    for kw in ({"intermittent_determination": True}, {"extension_used_before": True}, {"reason": "family"}):
        with pytest.raises(FmlaError, match="extension is not available"):
            fmla.fmla_entitlement(FULL, day(2026, 7, 6), taken, extension_granted=True, **kw)
    assert fmla.fmla_entitlement(FULL, day(2026, 7, 6), taken, reason="family").value.extension_weeks_available == 0


def test_family_leave_concludes_within_twelve_months_and_ends_with_a_foster_placement():
    # A.1: "concludes within twelve (12) months following the birth or placement": birth 2026-03-02 → by 2027-03-01.
    d = fmla.family_leave_last_day("birth", day(2026, 3, 2))
    assert d.value == day(2027, 3, 1) and d.citations == ("Sec. 8.7.2.A.1",)
    # "The ability to take leave ceases when a foster placement ceases" (unless directly connected: a human).
    f = fmla.family_leave_last_day("foster_placement", day(2026, 3, 2), placement_end=day(2026, 5, 1))
    assert f.value == day(2026, 5, 1) and f.extra["needs_human"] is True


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 500), st.integers(0, 40)), max_size=6),
       st.lists(st.tuples(st.integers(0, 500), st.integers(1, 8)), max_size=12))
def test_used_plus_remaining_is_the_allowance_and_more_leave_never_leaves_more(periods, days_off):
    on = day(2026, 6, 1)
    base = on - dt.timedelta(days=520)
    taken = [ContinuousFmla(base + dt.timedelta(days=s), base + dt.timedelta(days=s + n)) for s, n in periods]
    taken += [IntermittentFmla(base + dt.timedelta(days=s), micro=h * MICRO) for s, h in days_off]
    e = fmla.fmla_entitlement(FULL, on, taken).value
    assert e.hours_remaining == max(0, e.hours_allowed - e.hours_used) >= 0
    assert 0 <= e.intermittent_hours_remaining <= e.hours_remaining
    more = fmla.fmla_entitlement(FULL, on, [*taken, IntermittentFmla(on - dt.timedelta(days=1), days=D(1))]).value
    assert more.hours_remaining <= e.hours_remaining and more.hours_used > e.hours_used


# --- deadlines: 8.1.M, B.1, A.3/B.3, B.4.g-h --------------------------------------------------------------


def test_eligibility_notice_five_business_days_across_thanksgiving():
    # 8.1.M: from Wed 2026-11-25; Thu 26 is Thanksgiving (Sec. 10.1, 4th Thursday), 28/29 the weekend:
    # Fri 27 (1), Mon 30 (2), Tue Dec 1 (3), Wed 2 (4), Thu 3 (5).
    d = fmla.fmla_deadline("eligibility_notice_due", day(2026, 11, 25))
    assert d.value == day(2026, 12, 3) and d.citations == ("Sec. 8.1.M", "Art. 10")
    assert any("Thanksgiving" in r for r in d.reasons)


def test_certification_request_counts_weekdays_only_without_a_holiday():
    # B.1: from Fri 2026-12-04: Mon 7, Tue 8, Wed 9, Thu 10, Fri 11 (no holiday in between).
    assert fmla.fmla_deadline("certification_request_due", day(2026, 12, 4)).value == day(2026, 12, 11)


def test_an_employer_designation_moves_the_holiday_skipped():
    # Sec. 10.2: Thanksgiving 2026 designated on Mon 12-07 instead: from Wed 11-25, Thu 26 is a business day:
    # Thu 26 (1), Fri 27 (2), Mon 30 (3), Tue Dec 1 (4), Wed 2 (5) — a day earlier than with Thanksgiving on the 26th.
    moved = (Designation("Thanksgiving Day", 2026, day(2026, 12, 7)),)
    d = fmla.fmla_deadline("eligibility_notice_due", day(2026, 11, 25), designations=moved)
    assert d.value == day(2026, 12, 2) and not any("Thanksgiving" in r for r in d.reasons)
    assert not fmla.is_business_day(day(2026, 12, 7), designations=moved)
    assert fmla.is_business_day(day(2026, 11, 26), designations=moved)


def test_calendar_day_deadlines():
    # 8.1.M / Appendix D-1: D-1 within 15 calendar days of receipt; A.3/B.3: 30 days in advance; B.4.h: 10 calendar
    # days for the Union's request of expedited review; B.4.g: 10 days' notice of a transfer.
    assert fmla.fmla_deadline("certification_due", day(2026, 12, 3)).value == day(2026, 12, 18)
    adv = fmla.fmla_deadline("advance_notice_due", day(2027, 3, 1))
    assert adv.value == day(2027, 1, 30) and set(adv.citations) == {"Sec. 8.7.2.A.3", "Sec. 8.7.2.B.3"}
    assert fmla.fmla_deadline("expedited_review_request_due", day(2026, 11, 25)).value == day(2026, 12, 5)
    assert fmla.fmla_deadline("transfer_notice_due", day(2026, 12, 14)).value == day(2026, 12, 4)
    with pytest.raises(FmlaError, match="unknown deadline"):
        fmla.fmla_deadline("soon", day(2026, 1, 1))


def test_no_d1_when_back_within_eight_working_days_of_an_unanticipated_illness():
    # 8.1.M / B.1. Absent from Mon 2026-11-23: working days Nov 23, 24, 25, (26 Thanksgiving), 27, 30, Dec 1, 2.
    hol = holidays(2026)
    back_thu = fmla.d1_required(FULL, day(2026, 11, 23), day(2026, 12, 3), hol)  # 7 working days absent
    assert back_thu.value is False and back_thu.extra["working_days_absent"] == 7
    assert fmla.d1_required(FULL, day(2026, 11, 23), day(2026, 12, 4), hol).value is False  # 8: still within
    late = fmla.d1_required(FULL, day(2026, 11, 23), day(2026, 12, 7), hol)  # + Dec 3, 4 = 9
    assert late.value is True and late.citations == ("Sec. 8.1.M", "Sec. 8.7.2.B.1")


def test_intermittent_termination_gives_the_union_ten_calendar_days_and_full_time_leave_for_the_rest():
    e = fmla.fmla_entitlement(FULL, day(2026, 11, 25), [IntermittentFmla(day(2026, 6, 1), days=D(65))]).value
    d = fmla.intermittent_termination(day(2026, 11, 25), e)
    # 65 days × 7.5 = 487.5 h = 13 weeks used → 13 weeks left; review by 2026-11-25 + 10 = 2026-12-05 (B.4.h)
    assert d.value == day(2026, 12, 5) and d.extra["weeks_remaining"] == 13
    assert {"Sec. 8.7.2.B.4.e", "Sec. 8.7.2.B.4.f", "Sec. 8.7.2.B.4.h"} <= set(d.citations)


# --- pay and accruals: A.4/B.5, A.6, A.7/B.8, B.7 ---------------------------------------------------------


def test_accrual_only_for_the_first_eight_weeks_and_the_health_insurance_note():
    # A.6: 8 weeks from Mon 2026-01-05 = 56 days → the last accruing day is Sun 2026-03-01.
    d = fmla.fmla_pay_and_accruals(day(2026, 1, 5), day(2026, 6, 1))
    assert d.value == day(2026, 3, 1)
    assert {"Sec. 8.7.2.B.5", "Sec. 8.7.2.A.6", "Sec. 8.7.2.A.7", "Sec. 8.7.2.B.8"} <= set(d.citations)
    assert "employee share of the premium" in d.extra["health_insurance"]
    assert any("chooses" in r for r in d.reasons)
    assert fmla.fmla_pay_and_accruals(day(2026, 1, 5), day(2026, 1, 30), "family").value == day(2026, 1, 30)


def test_no_holiday_pay_when_back_less_than_two_weeks_between_unpaid_periods():
    # B.7: back Mon 2026-11-23 … Fri 2026-12-04 = 12 days < 14: Thanksgiving 11-26 earns no holiday pay or comp time.
    short = fmla.holiday_between_unpaid_periods(day(2026, 11, 23), day(2026, 12, 4), day(2026, 11, 26))
    assert short.value is False and "Sec. 8.7.2.B.7" in short.citations
    # back Mon 2026-11-16 … Sun 2026-11-29 = 14 days: not less than two weeks → credited under Art. 10.
    assert fmla.holiday_between_unpaid_periods(day(2026, 11, 16), day(2026, 11, 29), day(2026, 11, 26)).value is True


# --- the FMLA request kinds -------------------------------------------------------------------------------


def medical(start, end, **facts):
    return LeaveAsk(kind="fmla_medical", start=start, end=end, relation=facts.pop("relation", "self"),
                    facts={"mode": "continuous", **facts})


def test_medical_leave_is_protected_from_the_supervisor():
    f = check_request(FULL, medical(day(2026, 6, 1), day(2026, 6, 5)))
    # Mon–Fri = 5 × 7.5 = 37.5 h, no history → allowed, unpaid (charged as fmla)
    assert f.outcome == "allowed" and f.allowed_micro == 37_500_000 and f.charge_totals() == {"fmla": 37_500_000}
    assert f.protected and f.supervisor_view()["reasons"] == ("Protected leave: the reason is not shown.",)


def test_intermittent_without_documentation_needs_a_human():
    f = check_request(FULL, medical(day(2026, 6, 1), day(2026, 6, 1), mode="intermittent"))
    assert f.outcome == "needs_decision" and "Sec. 8.7.2.B.4.a" in f.citations


def test_the_employee_chooses_credits_for_the_leave():
    # A.4/B.5: 37.5 h of leave, 15 h of sick leave chosen → 15 h sick, 22.5 h unpaid.
    ask = LeaveAsk(kind="fmla_medical", start=day(2026, 6, 1), end=day(2026, 6, 5), relation="self",
                   charge_excess_to=("sick",), facts={"mode": "continuous"})
    f = check_request(FULL, ask, RequestContext(balances={"sick": 15 * MICRO}))
    assert f.charge_totals() == {"sick": 15 * MICRO, "fmla": 22_500_000} and f.allowed_micro == 37_500_000


def test_a_probationer_needs_the_waiver_and_family_leave_is_continuous():
    f = EmployeeFacts(service_start=day(2026, 1, 5), probation_end=day(2026, 10, 5))
    ask = LeaveAsk(kind="fmla_family", start=day(2026, 7, 6), end=day(2026, 7, 10), event="birth",
                   event_date=day(2026, 7, 1))
    assert check_request(f, ask).outcome == "needs_decision"
    waived = LeaveAsk(**{**ask.__dict__, "facts": {"waiver_granted": True}})
    assert check_request(f, waived).outcome == "allowed"
    early = LeaveAsk(**{**ask.__dict__, "start": day(2026, 6, 1), "end": day(2026, 6, 5), "event_date": day(2026, 6, 1)})
    assert check_request(f, early).outcome == "not_allowed"
    with pytest.raises(RequestError, match="continuous"):
        check_request(FULL, LeaveAsk(**{**ask.__dict__, "facts": {"mode": "intermittent"}}))


def test_history_in_the_context_limits_the_request():
    # 25 weeks taken 2025-12-01 … 2026-05-24 (175 days); 1 week left from Mon 2026-06-01 → 7 calendar days →
    # Mon–Fri 1–5 June (37.5 h) of the two weeks asked (75 h).
    ctx = RequestContext(fmla_taken=(ContinuousFmla(day(2025, 12, 1), day(2026, 5, 24)),))
    f = check_request(FULL, medical(day(2026, 6, 1), day(2026, 6, 12)), ctx)
    assert f.outcome == "partly_allowed" and (f.requested_micro, f.allowed_micro) == (75 * MICRO, 37_500_000)
    assert max(d for d, _ in f.days) == day(2026, 6, 5)
