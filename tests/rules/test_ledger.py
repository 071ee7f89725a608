"""Ledger arithmetic, forfeitures (Sec. 8.2.B, 9.8, MOU) worked by hand, and properties."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rules_helpers import d, employee, h

from openleave.rules.accrual import sick_accrual, vacation_accrual
from openleave.rules.calendar import period_containing
from openleave.rules.facts import EmployeeFacts
from openleave.rules.ledger import (
    LEAVE_TYPES,
    InsufficientBalance,
    LeaveTaken,
    PersonalCarryOver,
    UnpaidHours,
    UnpaidLeave,
    append_idempotent,
    balance,
    reversal,
    simulate,
)
from openleave.rules.params import default_tree


def forfeited(entries, leave, on):
    return -sum(e.amount for e in entries if e.kind == "forfeiture" and e.leave == leave and e.effective == on)


def test_vacation_earned_in_2019_is_forfeited_at_the_end_of_vacation_year_2021(tree):
    # start 2019-01-06 (first full pay period of 2019): 26 × 3.07696 = 80.00096 h earned in vacation year 2019;
    # 10 h taken in 2020 come out of the oldest credit (FIFO) → 70.00096 h of the 2019 credit left;
    # Sec. 9.8: not used by the last pay period including 2021-12-31 (ends 2022-01-01) → forfeited
    events = [LeaveTaken(d("2020-03-02"), "vacation", h("10"))]
    entries = simulate(employee("2019-01-06"), events, d("2022-01-10"), tree)
    assert forfeited(entries, "vacation", d("2021-01-02")) == 0  # end of vacation year 2020: nothing yet
    assert forfeited(entries, "vacation", d("2022-01-01")) == h("70.00096")


def test_vacation_used_late_still_saves_the_oldest_credit(tree):
    # all of 2019's 80.00096 h used in 2021 before the year ends → nothing forfeited at its end
    events = [LeaveTaken(d("2021-11-01"), "vacation", h("80.00096"))]
    entries = simulate(employee("2019-01-06"), events, d("2022-01-10"), tree)
    assert forfeited(entries, "vacation", d("2022-01-01")) == 0


def test_personal_leave_not_taken_is_forfeited_on_the_last_saturday(tree):
    # 2019 credit 24 h (Sec. 8.2.B), 8 h taken → 16 h forfeited on Saturday 2020-01-04
    events = [LeaveTaken(d("2019-05-01"), "personal", h("8"))]
    entries = simulate(employee("2019-01-06"), events, d("2020-01-10"), tree)
    assert forfeited(entries, "personal", d("2020-01-04")) == h("16")
    assert balance(entries, "personal", d("2020-01-04")) == 0
    assert balance(entries, "personal", d("2020-01-05")) == h("24")  # the 2020 credit


def test_one_personal_day_carries_over_only_when_operational_needs_prevented_use(tree):
    # carry-over of one day (8 h for a 40 h title): 16 left → 8 forfeited, 8 carried;
    # in 2020 nothing is taken → 8 carried + 24 credited = 32 h forfeited on 2021-01-02
    events = [LeaveTaken(d("2019-05-01"), "personal", h("8")), PersonalCarryOver(2019, "Nov/Dec staffing")]
    entries = simulate(employee("2019-01-06"), events, d("2021-01-10"), tree)
    assert forfeited(entries, "personal", d("2020-01-04")) == h("8")
    assert forfeited(entries, "personal", d("2021-01-02")) == h("32")


def test_carried_day_is_used_first(tree):
    # FIFO: 8 h taken in 2020 use the carried day; the 2020 credit of 24 h is then forfeited whole
    events = [PersonalCarryOver(2019), LeaveTaken(d("2020-02-03"), "personal", h("8"))]
    entries = simulate(employee("2019-01-06"), events, d("2021-01-10"), tree)
    assert forfeited(entries, "personal", d("2020-01-04")) == h("16")
    assert forfeited(entries, "personal", d("2021-01-02")) == h("24")


def test_emergency_day_forfeited_if_not_taken(tree):
    facts = replace(employee("2019-01-06"), emergency_personnel=True)
    entries = simulate(facts, [], d("2020-01-10"), tree)
    assert forfeited(entries, "emergency_day", d("2020-01-04")) == h("8")


def test_leave_beyond_the_balance_is_refused(tree):
    with pytest.raises(InsufficientBalance):
        simulate(employee("2019-01-06"), [LeaveTaken(d("2019-02-01"), "vacation", h("40"))], d("2019-03-01"), tree)


def test_first_eight_weeks_of_unpaid_family_medical_leave_still_accrue(tree):
    # Sec. 8.7.2.A.6: unpaid family/medical leave from 2019-03-03: accrual through 2019-04-27 (8 weeks);
    # the period 2019-04-28..05-11 is wholly after it → no credit; 2019-03-03..03-16 → full 4.61544 h
    events = [UnpaidLeave("family_medical", d("2019-03-03"), d("2019-06-30"))]
    entries = simulate(employee("2018-01-07"), events, d("2019-07-31"), tree)
    sick = {e.period_start: e.amount for e in entries if e.kind == "accrual" and e.leave == "sick"}
    assert sick[d("2019-03-03")] == h("4.61544")
    assert sick[d("2019-04-14")] == h("4.61544")  # 04-14..04-27 ends on the last day of week 8
    assert d("2019-04-28") not in sick
    # 2019-06-23..07-06: Mon 06-24..Fri 06-28 unpaid (leave ends Sunday 06-30), Jul 1–5 paid →
    # 40 h paid × 0.057693 = 2.30772 h (Sec. 8.1.D)
    assert sick[d("2019-06-23")] == h("2.30772")


def test_reversal_cancels_and_keys_make_posting_idempotent(tree):
    entries = simulate(employee("2019-01-06"), [], d("2019-03-01"), tree)
    assert append_idempotent(entries, entries) == entries
    rev = reversal(entries[0], d("2019-03-01"), "posted in error")
    assert balance([entries[0], rev], entries[0].leave, d("2019-03-01")) == 0


# --- properties ----------------------------------------------------------------------------

TREE = default_tree()
starts = st.dates(min_value=dt.date(2017, 7, 9), max_value=dt.date(2021, 12, 31))
weeks = st.sampled_from([Decimal("37.5"), Decimal("40")])


@st.composite
def employees(draw):
    title = draw(weeks)
    share = draw(st.sampled_from([Decimal(1), Decimal("0.5"), Decimal("0.8"), Decimal("0.6")]))
    return EmployeeFacts(service_start=draw(starts), title_full_time_hours_per_week=title,
                         schedule_hours_per_week=title * share, status="full_time" if share == 1 else "part_time",
                         emergency_personnel=draw(st.booleans()))


@settings(max_examples=30, deadline=None)
@given(employees(), st.integers(min_value=0, max_value=80))
def test_accrual_is_never_negative_and_part_time_never_exceeds_full_time(facts, unpaid):
    period = period_containing(facts.service_start + dt.timedelta(days=20))
    full = replace(facts, schedule_hours_per_week=None, status="full_time")
    paid = max(0, h(str(facts.weekly_hours * 2)) - h(str(unpaid)))
    for rule in (sick_accrual, vacation_accrual):
        part_value = rule(facts, period, TREE, hours_paid=paid).value
        assert part_value >= 0
        assert part_value <= rule(full, period, TREE).value


@settings(max_examples=15, deadline=None)
@given(employees(), st.lists(st.integers(min_value=1, max_value=16), max_size=5))
def test_ledger_sums_equal_balances_and_resimulating_changes_nothing(facts, unpaid):
    events = [UnpaidHours(facts.service_start + dt.timedelta(days=30 * i), h(str(u))) for i, u in enumerate(unpaid)]
    until = facts.service_start + dt.timedelta(days=800)
    first = simulate(facts, events, until, TREE)
    again = simulate(facts, events, until, TREE)
    assert first == again
    assert append_idempotent(first, again) == first
    assert len({e.key for e in first}) == len(first)
    for leave in LEAVE_TYPES:
        assert balance(first, leave, until) == sum(e.amount for e in first if e.leave == leave)
        assert balance(first, leave, until) >= 0
    assert all(e.amount > 0 for e in first if e.kind in ("accrual", "annual_credit"))
