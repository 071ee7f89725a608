"""Bereavement leave, Sec. 8.3 — hand-worked cases (37.5-hour title: a day is 7.5 h)."""

import datetime as dt
from decimal import Decimal

from openleave.rules.facts import EmployeeFacts
from openleave.rules.requests import LeaveAsk, RequestContext, check_request
from openleave.rules.units import MICRO

EMP = EmployeeFacts(service_start=dt.date(2010, 1, 4), title_full_time_hours_per_week=Decimal("37.5"))
H = MICRO


def bereave(start, end, relation, death, **kw):
    return LeaveAsk("bereavement", start, end, relation=relation, date_of_death=death, **kw)


def test_parent_four_days_of_a_five_day_ask():
    # parent → 8.3.B: 4 days × 7.5 = 30 h; asks Mon 4 – Fri 8 March = 37.5 h → 30 h, one day refused
    f = check_request(EMP, bereave(dt.date(2024, 3, 4), dt.date(2024, 3, 8), "parent", dt.date(2024, 3, 1)))
    assert f.outcome == "partly_allowed" and f.allowed_micro == 30 * H
    assert f.charges == (("bereavement", 30 * H),)
    assert "Sec. 8.3.B" in f.citations and f.needs_human  # evidence satisfactory to the AA


def test_excess_day_charged_to_vacation_at_the_employees_request():
    # the 5th day (7.5 h) to vacation on request; vacation needs the AA's approval (Sec. 9.8/9.9)
    f = check_request(EMP, bereave(dt.date(2024, 3, 4), dt.date(2024, 3, 8), "parent", dt.date(2024, 3, 1),
                                   charge_excess_to=("vacation",)),
                      RequestContext(balances={"vacation": 40 * H}))
    assert f.allowed_micro == 37_500_000 and f.outcome == "needs_decision"
    assert f.charges == (("bereavement", 30 * H), ("vacation", 7_500_000))


def test_spouse_ninety_day_window():
    # death 1 Jan 2024; last day = 1 Jan + 90 = 31 Mar 2024; asks Fri 29 Mar – Tue 2 Apr → only Fri 29 Mar: 7.5 h
    f = check_request(EMP, bereave(dt.date(2024, 3, 29), dt.date(2024, 4, 2), "spouse", dt.date(2024, 1, 1)))
    assert f.allowed_micro == 7_500_000 and "Sec. 8.3.A" in f.citations


def test_child_thirty_day_window():
    # death 1 Mar 2024; last day = 31 Mar; asks Fri 29 Mar – Tue 2 Apr → 7.5 h of 22.5 h
    f = check_request(EMP, bereave(dt.date(2024, 3, 29), dt.date(2024, 4, 2), "child", dt.date(2024, 3, 1)))
    assert (f.allowed_micro, f.requested_micro) == (7_500_000, 22_500_000)


def test_in_law_gets_the_funeral_day_only():
    # brother-in-law → 8.3.C: 1 day to attend the funeral (Tue 5 Mar); asks Mon–Tue → 7.5 h
    f = check_request(EMP, bereave(dt.date(2024, 3, 4), dt.date(2024, 3, 5), "brother_in_law", dt.date(2024, 3, 2),
                                   funeral_date=dt.date(2024, 3, 5)))
    assert f.allowed_micro == 7_500_000 and "Sec. 8.3.C" in f.citations


def test_step_child_outside_household_counts_as_child_of_spouse():
    # 8.3.A names a step child living in the household; otherwise "child of spouse" under 8.3.B (4 days)
    f = check_request(EMP, bereave(dt.date(2024, 3, 4), dt.date(2024, 3, 8), "step_child", dt.date(2024, 3, 1)))
    assert f.allowed_micro == 30 * H and "Sec. 8.3.B" in f.citations
    f = check_request(EMP, bereave(dt.date(2024, 3, 4), dt.date(2024, 3, 8), "step_child", dt.date(2024, 3, 1),
                                   household=True))
    assert f.allowed_micro == 37_500_000 and "Sec. 8.3.A" in f.citations


def test_days_already_used_for_the_same_death():
    # 22.5 h of the 30 h already taken for this death → 7.5 h left
    f = check_request(EMP, bereave(dt.date(2024, 3, 11), dt.date(2024, 3, 12), "sister", dt.date(2024, 3, 1)),
                      RequestContext(used_for_event=22_500_000))
    assert f.allowed_micro == 7_500_000


def test_part_time_days_are_prorated():
    # 24 h/week in a 40 h title, Mon/Wed/Fri 8 h: a day = 8 × 24/40 = 4.8 h (Sec. 8.9); 4 days = 19.2 h
    pt = EmployeeFacts(service_start=dt.date(2010, 1, 4), status="part_time", schedule_hours_per_week=Decimal(24),
                       work_schedule={"mon": Decimal(8), "wed": Decimal(8), "fri": Decimal(8)})
    f = check_request(pt, bereave(dt.date(2024, 3, 4), dt.date(2024, 3, 8), "grandparent", dt.date(2024, 3, 1)))
    assert (f.requested_micro, f.allowed_micro) == (24 * H, 19_200_000)


def test_relation_not_covered():
    f = check_request(EMP, bereave(dt.date(2024, 3, 4), dt.date(2024, 3, 4), "cousin", dt.date(2024, 3, 1)))
    assert f.outcome == "not_allowed" and "vacation" in f.alternatives
