"""Personal 8.2, vacation Art. 9 (with 9.8 seniority), compensatory time 7.2.G — hand-worked cases."""

import datetime as dt
from decimal import Decimal

from openleave.rules.facts import EmployeeFacts
from openleave.rules.requests import (
    LeaveAsk,
    RequestContext,
    VacationClaim,
    check_request,
    comp_time_earned,
    seniority_order,
)
from openleave.rules.units import MICRO

EMP = EmployeeFacts(service_start=dt.date(2010, 1, 4), title_full_time_hours_per_week=Decimal("37.5"))
H = MICRO
MON, FRI = dt.date(2024, 3, 4), dt.date(2024, 3, 8)


def test_personal_leave_half_hour_units_and_approval():
    # 13:00–14:10 = 1.166666 h off → charged 3 × ½ h = 1.5 h (Sec. 8.2.B); approval is the AA's (8.2.A)
    f = check_request(EMP, LeaveAsk("personal", dt.datetime(2024, 3, 4, 13), dt.datetime(2024, 3, 4, 14, 10)),
                      RequestContext(balances={"personal": 10 * H}))
    assert f.outcome == "needs_decision" and f.needs_human
    assert f.charges == (("personal", 1_500_000),)
    assert {"Sec. 8.2.A", "Sec. 8.2.B"} <= set(f.citations)


def test_personal_leave_within_balance():
    # balance 1.2 h → whole ½-hour units: 1 h; asks 2 h → at most 1 h may be granted
    f = check_request(EMP, LeaveAsk("personal", dt.datetime(2024, 3, 4, 13), dt.datetime(2024, 3, 4, 15)),
                      RequestContext(balances={"personal": 1_200_000}))
    assert f.outcome == "needs_decision" and f.allowed_micro == 1 * H and f.requested_micro == 2 * H


def test_personal_leave_auto_approval_names_the_setting():
    f = check_request(EMP, LeaveAsk("personal", MON, MON),
                      RequestContext(balances={"personal": 10 * H}, auto_approve=frozenset({"personal"})))
    assert f.outcome == "allowed" and f.allowed_micro == 7_500_000
    assert any("auto_approve[personal]" in r for r in f.reasons)


def test_vacation_week_short_of_balance_needs_decision():
    # Mon–Fri 5 × 7.5 = 37.5 h; balance 30 h → at most 30 h (Sec. 9.10); scheduling is the AA's (Sec. 9.8)
    f = check_request(EMP, LeaveAsk("vacation", MON, FRI), RequestContext(balances={"vacation": 30 * H}))
    assert f.outcome == "needs_decision"
    assert (f.requested_micro, f.allowed_micro) == (37_500_000, 30 * H)
    assert f.charges == (("vacation", 30 * H),)
    codes = [g.code for g in f.grounds_for_denial]
    assert "vacation_impracticable" in codes and "vacation_conflict_seniority" in codes


def test_vacation_with_personal_leave_in_conjunction():
    # 30 h vacation + 7.5 h personal at the employee's request (Sec. 8.2.B "in conjunction with vacation")
    f = check_request(EMP, LeaveAsk("vacation", MON, FRI, charge_excess_to=("personal",)),
                      RequestContext(balances={"vacation": 30 * H, "personal": 10 * H}))
    assert f.allowed_micro == 37_500_000
    assert f.charges == (("vacation", 30 * H), ("personal", 7_500_000))


def test_seniority_order_by_years_with_the_commonwealth_in_the_same_title():
    claims = [
        VacationClaim("r1", "Ana", "Clerk III", dt.date(2005, 3, 1)),
        VacationClaim("r2", "Ben", "Clerk III", dt.date(2010, 6, 1)),
        VacationClaim("r3", "Cy", "Nurse II", dt.date(2001, 1, 1)),
        VacationClaim("r4", "Dee", "Clerk III", dt.date(2004, 3, 1), days_not_employed=365),  # 1 Mar 2004 → 1 Mar 2005 is 365 days
    ]
    ranks = {r.employee: r for r in seniority_order(claims, dt.date(2024, 7, 1))}
    # Ana and Dee: same employment (2004-03-01 + a 365-day break ≡ 2005-03-01) → tied first; Ben third
    assert ranks["Ana"].rank == ranks["Dee"].rank == 1 and ranks["Ben"].rank == 3
    assert any("no tie-break" in r for r in ranks["Ana"].reasons)
    # Cy is in another title: ranked alone, no preference over Clerk III requests
    assert ranks["Cy"].rank == 1 and ranks["Cy"].title == "Nurse II"
    assert all("Sec. 9.8" in r.citations for r in ranks.values())


def test_comp_time_earned_at_time_and_a_half_up_to_the_cap():
    # 10 h overtime × 1.5 = 15 h; balance 110 h, cap 120 h → 10 h banked;
    # the 5 h of comp time that does not fit = 5 / 1.5 = 3.333334 h (rounded up) of overtime paid (Sec. 7.2.G, 7.2.A)
    d = comp_time_earned(10 * H, 110 * H, dt.date(2024, 3, 4))
    assert d.value == 10 * H
    assert d.extra["overtime_paid_micro"] == 3_333_334
    assert "Sec. 7.2.G" in d.citations
    assert comp_time_earned(4 * H, 0, dt.date(2024, 3, 4)).value == 6 * H


def test_comp_time_use_in_half_hours_needs_a_human_for_disruption():
    # balance 3.2 h → 3 h in ½-hour units; asks 4 h
    f = check_request(EMP, LeaveAsk("comp_time", dt.datetime(2024, 3, 4, 9), dt.datetime(2024, 3, 4, 13)),
                      RequestContext(balances={"comp_time": 3_200_000}))
    assert f.outcome == "needs_decision" and f.allowed_micro == 3 * H
    assert [g.code for g in f.grounds_for_denial][0] == "comp_time_undue_disruption"
