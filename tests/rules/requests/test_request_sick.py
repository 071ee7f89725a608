"""Sick leave, Sec. 8.1 — hand-worked cases (37.5-hour title: a day is 7.5 h, Sec. 8.9)."""

import datetime as dt
from decimal import Decimal

import pytest

from openleave.rules.facts import EmployeeFacts
from openleave.rules.requests import LeaveAsk, RequestContext, RequestError, check_request
from openleave.rules.units import MICRO

EMP = EmployeeFacts(service_start=dt.date(2010, 1, 4), title_full_time_hours_per_week=Decimal("37.5"))
H = MICRO
MON, TUE, WED = dt.date(2024, 3, 4), dt.date(2024, 3, 5), dt.date(2024, 3, 6)
PLENTY = {"sick": 500 * H, "vacation": 40 * H, "personal": 10 * H}


def ask(start, end, **kw):
    return LeaveAsk("sick", start, end, **kw)


def test_family_care_cap_two_of_three_days():
    # 58 of 60 family-care days used = 58 × 7.5 = 435 h of 450 h (Sec. 8.1.C.2); asks Mon–Wed 3 × 7.5 = 22.5 h
    # → 450 − 435 = 15 h = 2 days allowed, 1 day refused
    ctx = RequestContext(balances=PLENTY, used_hours={"sick.family_care": 435 * H})
    f = check_request(EMP, ask(MON, WED, purpose="family_care", relation="parent"), ctx)
    assert f.outcome == "partly_allowed"
    assert (f.requested_micro, f.allowed_micro) == (22_500_000, 15 * H)
    assert f.charges == (("sick", 15 * H),)
    assert "Sec. 8.1.C.2" in f.citations
    assert any("60-day family-care cap" in r for r in f.reasons)
    assert "sick_cap_reached" in [g.code for g in f.grounds_for_denial]


def test_family_care_cap_restarts_on_first_january():
    # all 450 h used in 2024; asks Tue 31 Dec 2024 and Thu 2 Jan 2025 (1 Jan a holiday)
    # → 2024 day refused, 2025 day allowed: 7.5 of 15 h (Sec. 8.1.C.2 "per calendar year")
    ctx = RequestContext(balances=PLENTY, used_hours={"sick.family_care": 450 * H},
                         holidays=frozenset({dt.date(2025, 1, 1)}))
    f = check_request(EMP, ask(dt.date(2024, 12, 31), dt.date(2025, 1, 2), purpose="family_care", relation="child"), ctx)
    assert f.allowed_micro == 7_500_000 and f.outcome == "partly_allowed"


def test_family_care_person_not_covered_is_refused():
    # a cousin not living in the household is not among 8.1.C.2.a's persons
    f = check_request(EMP, ask(MON, MON, purpose="family_care", relation="cousin"), RequestContext(balances=PLENTY))
    assert f.outcome == "not_allowed" and f.allowed_micro == 0
    # a relative living in the household counts
    f = check_request(EMP, ask(MON, MON, purpose="family_care", relation="cousin", household=True),
                      RequestContext(balances=PLENTY))
    assert f.outcome == "allowed" and f.allowed_micro == 7_500_000


def test_partial_day_charged_in_fifteen_minute_units_never_less_than_time_off():
    # 13:00–14:10 = 70 min = 1.166666 h off (µh, rounded down); charged 5 units × 15 min = 1.25 h (Sec. 8.1.F)
    f = check_request(EMP, ask(dt.datetime(2024, 3, 4, 13), dt.datetime(2024, 3, 4, 14, 10)),
                      RequestContext(balances=PLENTY))
    assert f.outcome == "allowed"
    assert f.allowed_micro == 1_166_666
    assert f.charges == (("sick", 1_250_000),)


def test_no_leave_beyond_credits_offers_sec_8_1_g():
    # own illness Mon–Wed 22.5 h; sick balance 10.1 h → whole 15-min units: 10 h (Sec. 8.1.F, 8.1.N)
    ctx = RequestContext(balances={"sick": 10_100_000, "vacation": 40 * H})
    f = check_request(EMP, ask(MON, WED), ctx)
    assert f.outcome == "partly_allowed" and f.allowed_micro == 10 * H
    assert {"Sec. 8.1.N", "Sec. 8.1.G"} <= set(f.citations)
    assert "vacation" in f.alternatives and "lwop" in f.alternatives


def test_sick_exhausted_rest_to_vacation_at_employees_discretion():
    # 10 h sick + the other 12.5 h to vacation at the employee's choice (Sec. 8.1.G: no approval needed)
    ctx = RequestContext(balances={"sick": 10_100_000, "vacation": 40 * H})
    f = check_request(EMP, ask(MON, WED, charge_excess_to=("vacation",)), ctx)
    assert f.outcome == "allowed" and f.allowed_micro == 22_500_000
    assert f.charges == (("sick", 10 * H), ("vacation", 12_500_000))


def test_parental_leave_within_twelve_months_of_birth():
    # birth 10 Jan 2024; window to 10 Jan 2025 (exclusive); asks Thu 9, Fri 10, Mon 13 Jan 2025 → only 9 Jan: 7.5 h
    f = check_request(EMP, ask(dt.date(2025, 1, 9), dt.date(2025, 1, 13), purpose="parental", event="birth",
                               event_date=dt.date(2024, 1, 10)), RequestContext(balances=PLENTY))
    assert f.allowed_micro == 7_500_000 and f.outcome == "partly_allowed"
    assert "Sec. 8.1.C.2.b" in f.citations


def test_adoption_preparation_ten_day_limit():
    # 10 days × 7.5 = 75 h (Sec. 8.1.C.3); 70 h used → 5 h of a 7.5 h day
    ctx = RequestContext(balances=PLENTY, used_hours={"sick.adoption_prep": 70 * H})
    f = check_request(EMP, ask(MON, MON, purpose="adoption_prep"), ctx)
    assert f.allowed_micro == 5 * H and f.outcome == "partly_allowed"


def test_adoption_preparation_within_sixty_day_adoption_total():
    # adoption total 60 × 7.5 = 450 h; 447.5 h already used for adoption → 2.5 h left, though prep days remain
    ctx = RequestContext(balances=PLENTY, used_hours={"sick.adoption_total": 447_500_000})
    f = check_request(EMP, ask(MON, MON, purpose="adoption_prep"), ctx)
    assert f.allowed_micro == 2_500_000


def test_foster_care_limit_and_hrd_waiver():
    # 10 days = 75 h a year (Sec. 8.1.C.7); all used → refused; with HRD's waiver → allowed
    ctx = RequestContext(balances=PLENTY, used_hours={"sick.foster_care": 75 * H})
    assert check_request(EMP, ask(MON, MON, purpose="foster_care"), ctx).outcome == "not_allowed"
    f = check_request(EMP, ask(MON, MON, purpose="foster_care", hrd_waiver=True), ctx)
    assert f.outcome == "allowed" and f.allowed_micro == 7_500_000


def test_counselling_requires_active_participation():
    ctx = RequestContext(balances=PLENTY)
    assert check_request(EMP, ask(MON, MON, purpose="counselling", in_counselling_program=False), ctx).outcome \
        == "not_allowed"
    assert check_request(EMP, ask(MON, MON, purpose="counselling", in_counselling_program=True), ctx).outcome \
        == "allowed"


def test_medical_appointment_cites_the_mou_on_travel_time():
    f = check_request(EMP, ask(dt.datetime(2024, 3, 4, 9), dt.datetime(2024, 3, 4, 11), purpose="medical_appointment"),
                      RequestContext(balances=PLENTY))
    assert f.allowed_micro == 2 * H
    assert any(c.startswith("MOU") for c in f.citations) and "Sec. 8.1.C.5" in f.citations


def test_late_notice_is_a_finding_for_a_human_not_a_refusal():
    # shift 08:00 → notice due by 07:00 (Sec. 8.1.J); called at 07:30
    ctx = RequestContext(balances=PLENTY, shift_starts={"mon": dt.time(8)},
                         submitted_at=dt.datetime(2024, 3, 4, 7, 30))
    f = check_request(EMP, ask(MON, MON), ctx)
    assert f.outcome == "allowed" and f.needs_human
    assert "sick_notice_repeatedly_late" in [g.code for g in f.grounds_for_denial]


def test_single_shift_agency_notice_within_fifteen_minutes_of_start():
    # single shift 08:00: notice by 08:15 (Sec. 8.1.J); called 08:10 → in time
    ctx = RequestContext(balances=PLENTY, shift_starts={"mon": dt.time(8)}, single_shift_agency=True,
                         submitted_at=dt.datetime(2024, 3, 4, 8, 10))
    assert not check_request(EMP, ask(MON, MON), ctx).needs_human


def test_more_than_five_consecutive_work_days_flags_medical_examination():
    # Mon 4 – Mon 11 March = 6 work days > 5 (Sec. 8.1.E)
    f = check_request(EMP, ask(MON, dt.date(2024, 3, 11)), RequestContext(balances=PLENTY))
    assert f.needs_human and "Sec. 8.1.E" in f.citations
    five = check_request(EMP, ask(MON, dt.date(2024, 3, 8)), RequestContext(balances=PLENTY))
    assert "Sec. 8.1.E" not in five.citations


def test_written_medical_evidence_requirement_is_shown():
    f = check_request(EMP, ask(MON, MON), RequestContext(balances=PLENTY, medical_evidence_required=True))
    assert f.needs_human and "Sec. 8.1.K.2" in f.citations


def test_supervisor_sees_only_the_category_of_family_sick_leave():
    f = check_request(EMP, ask(MON, MON, purpose="family_care", relation="parent"), RequestContext(balances=PLENTY))
    view = f.supervisor_view()
    assert view["kind"] == "sick leave (family)"
    assert view["citations"] == () and "parent" not in " ".join(view["reasons"])
    own = check_request(EMP, ask(MON, MON), RequestContext(balances=PLENTY))
    assert own.visible_to_supervisor == "sick leave" and not own.protected


def test_unknown_purpose_is_an_error():
    with pytest.raises(RequestError, match="unknown sick-leave purpose"):
        check_request(EMP, ask(MON, MON, purpose="hangover"), RequestContext(balances=PLENTY))
