"""Voting 8.4, civic duty 8.5, military 8.6, family leave 8.7.1/8.8, educational 8.10, LWOP 8.11,
domestic violence 8.12, union business 5.2–5.4, MOU State of Emergency — hand-worked cases.
37.5-hour title, Mon–Fri: a day is 7.5 h (Sec. 8.9)."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from openleave.rules.facts import EmployeeFacts
from openleave.rules.requests import LeaveAsk, RequestContext, RequestError, check_request
from openleave.rules.requests.model import UnionUsage
from openleave.rules.units import MICRO

EMP = EmployeeFacts(service_start=dt.date(2010, 1, 4), title_full_time_hours_per_week=Decimal("37.5"))
PT = EmployeeFacts(service_start=dt.date(2010, 1, 4), status="part_time", schedule_hours_per_week=Decimal(24),
                   work_schedule={"mon": Decimal(8), "wed": Decimal(8), "fri": Decimal(8)})
H = MICRO
MON = dt.date(2024, 3, 4)
ELECTION = dt.date(2024, 11, 5)


# -- voting 8.4 -----------------------------------------------------------------------------------
def test_voting_at_most_two_hours():
    # full election day asked (7.5 h); hours of work preclude voting → 2 h (Sec. 8.4)
    f = check_request(EMP, LeaveAsk("voting", ELECTION, ELECTION, election_date=ELECTION, hours_preclude_voting=True))
    assert f.outcome == "partly_allowed" and f.allowed_micro == 2 * H
    f = check_request(EMP, LeaveAsk("voting", ELECTION, ELECTION, hours=Decimal(2), hours_preclude_voting=True))
    assert f.outcome == "allowed" and f.charges == (("voting", 2 * H),)


def test_voting_when_hours_do_not_preclude_or_unknown():
    assert check_request(EMP, LeaveAsk("voting", ELECTION, ELECTION, hours=Decimal(1),
                                       hours_preclude_voting=False)).outcome == "not_allowed"
    assert check_request(EMP, LeaveAsk("voting", ELECTION, ELECTION, hours=Decimal(1))).outcome == "needs_decision"


# -- civic 8.5 ------------------------------------------------------------------------------------
def test_jury_duty_pays_time_lost_and_records_fee_handling():
    # Mon–Wed jury duty = 22.5 h lost from the schedule (8.5.A); fees $150 < pay $600 → remit (8.5.B.2)
    f = check_request(EMP, LeaveAsk("civic", MON, dt.date(2024, 3, 6), purpose="jury",
                                    jury_fees=Decimal(150), regular_pay=Decimal(600)))
    assert f.outcome == "allowed" and f.allowed_micro == 22_500_000
    assert f.extra["jury_fees"] == "remit_to_appointing_authority" and "Sec. 8.5.B.2" in f.citations
    f = check_request(EMP, LeaveAsk("civic", MON, MON, purpose="jury", jury_fees=Decimal(700), regular_pay=Decimal(600)))
    assert f.extra["jury_fees"] == "retain_in_lieu_of_pay"


def test_no_court_leave_for_own_litigation():
    f = check_request(EMP, LeaveAsk("civic", MON, MON, purpose="witness", summoned_by="commonwealth",
                                    defendant_or_personal_litigation=True))
    assert f.outcome == "not_allowed" and "Sec. 8.5.G" in f.citations


def test_witness_for_public_body_only():
    assert check_request(EMP, LeaveAsk("civic", MON, MON, purpose="witness", summoned_by="commonwealth")).outcome \
        == "allowed"
    assert check_request(EMP, LeaveAsk("civic", MON, MON, purpose="witness", summoned_by="private")).outcome \
        == "not_allowed"
    assert check_request(EMP, LeaveAsk("civic", MON, MON, purpose="witness", summoned_by="federal",
                                       arises_from_other_employment=True)).outcome == "not_allowed"


# -- military 8.6 ---------------------------------------------------------------------------------
def test_annual_tour_seventeen_days():
    # tour Sat 1 – Thu 20 June 2024 = 20 days; paid for the first 17 (to Mon 17 June) (Sec. 8.6.B)
    # scheduled days 3–7, 10–14 June and 17 June = 11 × 7.5 = 82.5 h of 14 × 7.5 = 105 h
    f = check_request(EMP, LeaveAsk("military", dt.date(2024, 6, 1), dt.date(2024, 6, 20), military_service="annual_tour"))
    assert (f.requested_micro, f.allowed_micro) == (105 * H, 82_500_000)
    # 10 tour days already this year → 7 left → 1–7 June → 5 work days = 37.5 h
    f = check_request(EMP, LeaveAsk("military", dt.date(2024, 6, 1), dt.date(2024, 6, 20), military_service="annual_tour"),
                      RequestContext(used_days={"military.annual_tour": 10}))
    assert f.allowed_micro == 37_500_000


def test_other_reserve_duty_is_for_a_human():
    f = check_request(EMP, LeaveAsk("military", MON, MON, military_service="reserve_other"))
    assert f.outcome == "needs_decision" and "Sec. 8.6.C" in f.citations
    assert check_request(EMP, LeaveAsk("military", MON, MON, military_service="state")).outcome == "allowed"


# -- paid family leave 8.7.1 ----------------------------------------------------------------------
def test_paid_family_leave_ten_days():
    # birth 1 Mar 2024; asks 3 weeks Mon 4 – Fri 22 March = 15 days × 7.5 = 112.5 h → 10 days = 75 h (Sec. 8.7.1)
    f = check_request(EMP, LeaveAsk("family_paid", MON, dt.date(2024, 3, 22), event="birth", event_date=dt.date(2024, 3, 1)))
    assert f.outcome == "partly_allowed" and f.allowed_micro == 75 * H
    assert "sick" in f.alternatives


def test_paid_family_leave_prorated_for_part_time_in_whole_days():
    # 10 × 4.8 h = 48 h; whole 8-hour days → 6 days = 48 h of 4 weeks × 3 days × 8 h = 96 h
    f = check_request(PT, LeaveAsk("family_paid", MON, dt.date(2024, 3, 29), event="adoption",
                                   event_date=dt.date(2024, 3, 1)))
    assert (f.requested_micro, f.allowed_micro) == (96 * H, 48 * H)


def test_paid_family_leave_not_less_than_a_day_and_within_twelve_months():
    partial = LeaveAsk("family_paid", dt.datetime(2024, 3, 4, 9), dt.datetime(2024, 3, 4, 13), event="birth",
                       event_date=dt.date(2024, 3, 1))
    assert check_request(EMP, partial).outcome == "not_allowed"
    late = LeaveAsk("family_paid", dt.date(2025, 3, 3), dt.date(2025, 3, 3), event="birth", event_date=dt.date(2024, 3, 1))
    assert check_request(EMP, late).outcome == "not_allowed"


def test_short_foster_placement_pays_its_work_days():
    # placement Mon 4 – Fri 8 March (5 days < 10) → 5 paid days = 37.5 h of a 2-week ask (75 h)
    f = check_request(EMP, LeaveAsk("family_paid", MON, dt.date(2024, 3, 15), event="foster_placement",
                                    event_date=MON, placement_end=dt.date(2024, 3, 8)))
    assert f.allowed_micro == 37_500_000


# -- non-FMLA family leave 8.8 --------------------------------------------------------------------
def test_family_unpaid_eligibility_and_household_rule():
    on_probation = EmployeeFacts(service_start=dt.date(2024, 1, 2), probation_end=dt.date(2024, 7, 2))
    ask = LeaveAsk("family_unpaid", MON, MON, relation="child", intends_to_return=True)
    assert check_request(on_probation, ask).outcome == "not_allowed"
    # grandparent counts only when living in the household
    assert check_request(EMP, LeaveAsk("family_unpaid", MON, MON, relation="grandparent",
                                       intends_to_return=True)).outcome == "not_allowed"
    f = check_request(EMP, LeaveAsk("family_unpaid", MON, MON, relation="grandparent", household=True,
                                    intends_to_return=True), RequestContext(submitted_at=dt.datetime(2024, 2, 1)))
    assert f.outcome == "needs_decision" and f.allowed_micro == 7_500_000 and not f.reasons[0].startswith("Notice")


def test_family_unpaid_ten_weeks_and_two_weeks_notice():
    # Mon 4 March – Sun 19 May = 11 weeks; 10 weeks end Sun 12 May → 50 work days × 7.5 = 375 h (Sec. 8.8.A)
    ctx = RequestContext(submitted_at=dt.datetime(2024, 2, 26, 9))  # 1 week ahead: less than 2 weeks
    f = check_request(EMP, LeaveAsk("family_unpaid", MON, dt.date(2024, 5, 19), relation="child",
                                    intends_to_return=True), ctx)
    assert (f.requested_micro, f.allowed_micro) == (412_500_000, 375 * H)
    assert f.needs_human and any("less than 2 weeks" in r for r in f.reasons)


def test_family_unpaid_intermittent_whole_days():
    # 8 of the 10 whole days used → Mon–Wed asked, 2 days = 15 h (Sec. 8.8.B)
    f = check_request(EMP, LeaveAsk("family_unpaid", MON, dt.date(2024, 3, 6), relation="child", intends_to_return=True,
                                    intermittent=True), RequestContext(used_days={"family_unpaid.intermittent": 8}))
    assert f.allowed_micro == 15 * H and "Sec. 8.8.B" in f.citations


# -- educational 8.10, LWOP 8.11 ------------------------------------------------------------------
def test_educational_leave_is_discretionary():
    f = check_request(EMP, LeaveAsk("educational", MON, MON, purpose="conference"))
    assert f.outcome == "needs_decision" and f.citations == ("Sec. 8.10",)
    # degree course work: 12 months from 1 Jan 2024 → before 1 Jan 2025
    f = check_request(EMP, LeaveAsk("educational", dt.date(2024, 1, 1), dt.date(2025, 1, 3), purpose="degree_coursework"))
    assert f.allowed_micro < f.requested_micro and f.outcome == "needs_decision"
    assert f.allowed_micro == f.requested_micro - 3 * 7_500_000  # Wed 1, Thu 2, Fri 3 Jan 2025 (no holidays given)


def test_lwop_for_illness_without_sick_credits_at_most_three_months():
    # 8.1.G: Mon 4 March + 3 months = 4 June (exclusive) → 4 March–3 June
    f = check_request(EMP, LeaveAsk("lwop", MON, dt.date(2024, 7, 3), purpose="illness_no_sick_credits",
                                    physician_certificate=True))
    full = check_request(EMP, LeaveAsk("lwop", MON, dt.date(2024, 6, 3), purpose="illness_no_sick_credits",
                                       physician_certificate=True))
    assert f.allowed_micro == full.requested_micro and f.outcome == "needs_decision"


def test_lwop_over_three_months_needs_prior_approval():
    f = check_request(EMP, LeaveAsk("lwop", MON, dt.date(2024, 7, 3), purpose="travel"))
    assert f.outcome == "needs_decision" and any("prior approval" in r for r in f.reasons)


# -- domestic violence 8.12 -----------------------------------------------------------------------
def test_domestic_violence_fifteen_days_and_protected():
    # 15 × 7.5 = 112.5 h a year; 105 h used → 7.5 h of a 2-day ask (15 h) (Sec. 8.12)
    f = check_request(EMP, LeaveAsk("domestic_violence", MON, dt.date(2024, 3, 5)),
                      RequestContext(used_hours={"domestic_violence": 105 * H}))
    assert f.outcome == "partly_allowed" and f.allowed_micro == 7_500_000
    assert f.visible_to_supervisor == "protected leave" and f.protected
    view = f.supervisor_view()
    assert view["citations"] == () and "8.12" not in " ".join(view["reasons"])
    assert check_request(EMP, LeaveAsk("domestic_violence", MON, MON, employee_is_perpetrator=True)).outcome \
        == "not_allowed"


# -- union business 5.2–5.4 -----------------------------------------------------------------------
def test_union_exec_board_ten_days_and_hrd_approval():
    # 9 of 10 Executive Board days used → 1 of 2 days (Sec. 5.3); HRD prior approval → needs_decision
    f = check_request(EMP, LeaveAsk("union_paid", MON, dt.date(2024, 3, 5), purpose="exec_board"),
                      RequestContext(union_usage=UnionUsage(exec_board_dates=frozenset(dt.date(2024, 1, d) for d in range(8, 17))),
                                     submitted_at=dt.datetime(2024, 2, 1)))
    assert f.outcome == "needs_decision" and f.allowed_micro == 7_500_000 and f.needs_human


def test_union_request_less_than_seven_days_ahead_is_flagged():
    f = check_request(EMP, LeaveAsk("union_paid", MON, MON, purpose="negotiations"),
                      RequestContext(submitted_at=dt.datetime(2024, 3, 1)))
    assert any("less than 7 calendar days" in r for r in f.reasons)


def test_union_steward_training_once_in_twelve_months():
    f = check_request(EMP, LeaveAsk("union_paid", MON, MON, purpose="steward_training"),
                      RequestContext(union_usage=UnionUsage(steward_training_dates=frozenset({dt.date(2023, 9, 1)}))))
    assert f.outcome == "not_allowed"


def test_union_unpaid_full_time_up_to_a_year():
    f = check_request(EMP, LeaveAsk("union_unpaid", dt.date(2024, 1, 1), dt.date(2025, 1, 3), purpose="full_time_union"))
    assert f.outcome == "needs_decision" and f.allowed_micro == f.requested_micro - 3 * 7_500_000  # 1–3 Jan 2025


# -- MOU State of Emergency -----------------------------------------------------------------------
def test_emergency_personal_leave_first():
    # personal 4 h first, the other 3.5 h to vacation at the employee's choice (MOU State of Emergency)
    emergency = EmployeeFacts(service_start=dt.date(2010, 1, 4), title_full_time_hours_per_week=Decimal("37.5"),
                              emergency_personnel=True)
    ctx = RequestContext(balances={"personal": 4 * H, "vacation": 40 * H}, state_of_emergency=True)
    f = check_request(emergency, LeaveAsk("emergency", MON, MON, documented_hardship=True,
                                          charge_excess_to=("vacation",)), ctx)
    assert f.outcome == "allowed" and f.charges == (("personal", 4 * H), ("vacation", 3_500_000))
    assert check_request(EMP, LeaveAsk("emergency", MON, MON, documented_hardship=True), ctx).outcome == "not_allowed"


def test_leave_ending_at_midnight_of_the_separation_day_is_within_service():
    """A request's time end is exclusive: an evening shift's leave 16:00–00:00 on the last day of service ends on
    that day, not the next (the check that leave ends by the separation, Art. 8 / 9 credits end with service)."""
    last = dt.date(2026, 12, 4)  # a Friday, the separation date
    leaving = replace(EMP, separation_date=last, work_schedule={"mon": 8, "tue": 8, "wed": 8, "thu": 8, "fri": 8})
    evening = LeaveAsk("vacation", dt.datetime(2026, 12, 4, 16), dt.datetime(2026, 12, 5, 0))
    f = check_request(leaving, evening, RequestContext(balances={"vacation": 40 * MICRO}))
    assert f.requested_micro == 8 * MICRO  # 16:00 to midnight = 8 h of the scheduled 8 h day
    with pytest.raises(RequestError, match="after the employee's separation"):
        check_request(leaving, LeaveAsk("vacation", dt.datetime(2026, 12, 4, 16), dt.datetime(2026, 12, 5, 0, 1)),
                      RequestContext(balances={"vacation": 40 * MICRO}))
