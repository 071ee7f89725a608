"""The union-wide limits of Art. 5 (Sec. 5.3, 5.4), counted across every member — hand-worked from the contract.

A 37.5-hour title, Mon–Fri: a day is 7.5 h (Sec. 8.9). Union leave of Sec. 5.3/5.4 needs HRD's prior approval,
so a request within a limit is ``needs_decision`` with the hours the limit leaves."""

import datetime as dt
from decimal import Decimal

import pytest

from openleave.rules.facts import EmployeeFacts
from openleave.rules.params import default_tree
from openleave.rules.requests import LeaveAsk, RequestContext, RequestError, check_request
from openleave.rules.requests.model import UnionUsage
from openleave.rules.requests.union_limits import (
    Row,
    full_time_allowed,
    reduce,
    summary,
    training_clash,
    window,
)
from openleave.rules.units import MICRO

EMP = EmployeeFacts(service_start=dt.date(2010, 1, 4), title_full_time_hours_per_week=Decimal("37.5"))
DAY = 7_500_000
EARLY = dt.datetime(2027, 1, 4)  # weeks ahead of every leave below: no notice flag


NONE = UnionUsage()


def union(purpose, start, end=None, usage=NONE, submitted=EARLY, kind="union_paid"):
    return check_request(EMP, LeaveAsk(kind, start, end or start, purpose=purpose),
                         RequestContext(union_usage=usage, submitted_at=submitted))


# -- convention leave, Sec. 5.3: "shall not exceed a total of one hundred seventy-five (175) days per year" ----------
def test_convention_174_used_two_asked_one_over_partly():
    # 174 + 2 = 176 > 175 → 1 over; 175 − 174 = 1 day left → Mon 1 Mar 2027 only, 7.5 h of 15 h
    f = union("convention", dt.date(2027, 3, 1), dt.date(2027, 3, 2), UnionUsage(convention_days={2027: 174}))
    assert f.outcome == "needs_decision" and f.requested_micro == 2 * DAY and f.allowed_micro == DAY
    assert dict(f.days) == {dt.date(2027, 3, 1): DAY}
    assert any("174 of 175 days used across the unit in 2027; 2 requested; 1 over — Sec. 5.3" in r for r in f.reasons)
    assert "Sec. 5.3" in f.citations and "union_limit_reached" in {g.code for g in f.grounds_for_denial}


def test_convention_173_used_three_asked_one_over():
    # the example: 173 + 3 = 176 → 1 over; 2 days = 15 h allowed (Mon 1, Tue 2 Mar)
    f = union("convention", dt.date(2027, 3, 1), dt.date(2027, 3, 3), UnionUsage(convention_days={2027: 173}))
    assert f.allowed_micro == 2 * DAY
    assert any("173 of 175 days used across the unit in 2027; 3 requested; 1 over" in r for r in f.reasons)


def test_convention_limit_reached_refuses():
    f = union("convention", dt.date(2027, 3, 1), usage=UnionUsage(convention_days={2027: 175}))
    assert f.outcome == "not_allowed" and f.allowed_micro == 0


def test_convention_usage_of_another_year_does_not_count():
    # 2026's 175 days do not touch a request in 2027 (the limit is "per year")
    f = union("convention", dt.date(2027, 3, 1), usage=UnionUsage(convention_days={2026: 175}))
    assert f.allowed_micro == DAY and any("0 of 175" in r for r in f.reasons)


# -- Executive Board, Sec. 5.3: "not ... more frequently than ten (10) work days per calendar year" ----------------
TEN = frozenset(dt.date(2027, m, 11) if dt.date(2027, m, 11).weekday() < 5 else dt.date(2027, m, 12) for m in range(1, 11))


def test_exec_board_nine_days_used_two_new_days_one_allowed():
    nine = frozenset(sorted(TEN)[:9])
    # Mon 1 – Tue 2 Nov 2027: 9 + 2 = 11 > 10 → 1 over; the first new day (Mon 1 Nov) 7.5 h
    f = union("exec_board", dt.date(2027, 11, 1), dt.date(2027, 11, 2), UnionUsage(exec_board_dates=nine))
    assert f.outcome == "needs_decision" and f.allowed_micro == DAY
    assert any("9 of 10 work days used across the unit in 2027; 2 requested; 1 over" in r for r in f.reasons)


def test_exec_board_same_meeting_day_is_no_new_day():
    day = sorted(TEN)[4]
    f = union("exec_board", day, usage=UnionUsage(exec_board_dates=TEN))
    assert f.allowed_micro == DAY and any("already counted for the same meeting" in r for r in f.reasons)
    f = union("exec_board", dt.date(2027, 11, 15), usage=UnionUsage(exec_board_dates=TEN))
    assert f.outcome == "not_allowed"


def test_exec_board_answer_two_business_days_before_skipping_a_holiday():
    # meeting Tue 16 Feb 2027; Mon 15 Feb is Washington's Birthday (3rd Monday, Sec. 10.1) — not a business day;
    # Fri 12 Feb is the 1st business day before, Thu 11 Feb the 2nd → the Employer answers by 2027-02-11
    f = union("exec_board", dt.date(2027, 2, 16))
    assert f.extra["answer_by"] == "2027-02-11"
    # meeting Mon 8 Mar 2027: Fri 5 (1st), Thu 4 (2nd)
    assert union("exec_board", dt.date(2027, 3, 8)).extra["answer_by"] == "2027-03-04"


def test_exec_board_request_less_than_seven_days_ahead_is_flagged():
    # asked Wed 3 Mar for Mon 8 Mar: 5 calendar days ahead < 7 (Sec. 5.3) → a human checks the parties agreed
    f = union("exec_board", dt.date(2027, 3, 8), submitted=dt.datetime(2027, 3, 3))
    assert f.needs_human and any("less than 7 calendar days" in r for r in f.reasons)
    f = union("exec_board", dt.date(2027, 3, 8), submitted=dt.datetime(2027, 3, 1))  # exactly 7 days: in time
    assert not any("less than 7 calendar days" in r for r in f.reasons)


# -- steward training, Sec. 5.3: "one (1) day", "no more than once in any twelve (12) month period" ---------------
def test_steward_training_within_twelve_months_refused_with_next_date():
    # training on 15 Jun 2026; 14 Jun 2027 < 15 Jun 2026 + 12 months → both in one twelve months → refused
    f = union("steward_training", dt.date(2027, 6, 14), usage=UnionUsage(steward_training_dates=frozenset({dt.date(2026, 6, 15)})))
    assert f.outcome == "not_allowed" and any("on or after 2027-06-15" in r for r in f.reasons)


def test_steward_training_twelve_months_later_allowed_one_day():
    # 15 Jun 2027 is 12 months after: allowed; 2 days asked → at most 1 day = 7.5 h
    f = union("steward_training", dt.date(2027, 6, 15), dt.date(2027, 6, 16),
              UnionUsage(steward_training_dates=frozenset({dt.date(2026, 6, 15)})))
    assert f.outcome == "needs_decision" and f.allowed_micro == DAY


def test_steward_training_a_later_scheduled_training_also_counts_and_same_day_is_same_request():
    later = frozenset({dt.date(2027, 9, 1)})
    assert union("steward_training", dt.date(2027, 3, 1), usage=UnionUsage(steward_training_dates=later)).outcome == "not_allowed"
    assert union("steward_training", dt.date(2027, 9, 1), usage=UnionUsage(steward_training_dates=later)).allowed_micro == DAY
    assert training_clash(dt.date(2028, 9, 1), later, 12) is None  # 12 months after: free


# -- the President's assistants, Sec. 5.3: 35 h a week × six Union Official equivalents, units 1, 3 and 6 -----------
MON = dt.date(2027, 3, 1)


def test_president_assist_union_total_for_the_week():
    # 6 × 35 = 210 h a week; 200 used → 10 h left; the member has 0 of 35 → room min(35, 10) = 10 h of 37.5 h
    f = union("president_assist", MON, dt.date(2027, 3, 5), UnionUsage(president_assist_hours={MON: 200 * MICRO}))
    assert f.allowed_micro == 10 * MICRO
    assert dict(f.days) == {MON: DAY, dt.date(2027, 3, 2): 2_500_000}
    assert any("200 h of 210 h used" in r and "27.5 h over" in r for r in f.reasons)


def test_president_assist_own_weekly_hours():
    # the member already has 30 of 35 h this week; union 100 of 210 → room min(5, 110) = 5 h
    f = union("president_assist", MON, dt.date(2027, 3, 5),
              UnionUsage(president_assist_hours={MON: 100 * MICRO}, president_assist_own_hours={MON: 30 * MICRO}))
    assert f.allowed_micro == 5 * MICRO
    # nothing used: a full 37.5-h week is more than one equivalent's 35 h → 35 h, 2.5 h over
    assert union("president_assist", MON, dt.date(2027, 3, 5)).allowed_micro == 35 * MICRO


def test_president_assist_each_week_on_its_own():
    # Fri 5 – Mon 8 Mar: week of 1 Mar full (210 of 210), week of 8 Mar free → Mon 8 Mar's 7.5 h
    f = union("president_assist", dt.date(2027, 3, 5), dt.date(2027, 3, 8),
              UnionUsage(president_assist_hours={MON: 210 * MICRO}))
    assert dict(f.days) == {dt.date(2027, 3, 8): DAY}


# -- full-time union leave, Sec. 5.4: "not to exceed one per each 1,000 employees in the bargaining unit" ----------
def test_full_time_one_per_thousand_whole_thousands():
    assert full_time_allowed(2500, 1000) == 2  # 2,500 // 1,000
    assert full_time_allowed(999, 1000) == 0
    assert full_time_allowed(3000, 1000) == 3


def test_full_time_two_allowed_two_held_part_of_the_period():
    # 2,500 employees → 2 at a time. Others: one all year, one to Fri 8 Jan 2027. Mon 4 – Fri 8 Jan: 2 held, no
    # room; Mon 11 – Fri 15 Jan: 1 held → 5 days × 7.5 h = 37.5 h of 75 h
    usage = UnionUsage(unit_employees=2500, full_time_leaves=((dt.date(2026, 7, 1), dt.date(2027, 6, 30)),
                                                              (dt.date(2026, 1, 11), dt.date(2027, 1, 8))))
    f = union("full_time_union", dt.date(2027, 1, 4), dt.date(2027, 1, 15), usage, kind="union_unpaid",
              submitted=dt.datetime(2026, 12, 1))
    assert f.requested_micro == 10 * DAY and f.allowed_micro == 5 * DAY
    assert min(dict(f.days)) == dt.date(2027, 1, 11)
    assert any("2,500 employees in the unit → at most 2" in r for r in f.reasons) and "Sec. 5.4" in f.citations


def test_full_time_none_for_fewer_than_a_thousand():
    f = union("full_time_union", dt.date(2027, 1, 4), usage=UnionUsage(unit_employees=999), kind="union_unpaid",
              submitted=dt.datetime(2026, 12, 1))
    assert f.outcome == "not_allowed"


def test_full_time_unknown_unit_size_left_to_a_human():
    f = union("full_time_union", dt.date(2027, 1, 4), kind="union_unpaid", submitted=dt.datetime(2026, 12, 1))
    assert f.needs_human and f.allowed_micro == DAY


# -- reduce, window, summary -----------------------------------------------------------------------------------------
def test_reduce_counts_every_member_and_this_members_own():
    rows = [Row(1, MON, MON, {MON: DAY}), Row(2, MON, dt.date(2027, 3, 2), {MON: DAY, dt.date(2027, 3, 2): DAY})]
    u = reduce("convention", rows, member_id=1)
    assert u.convention_days == {2027: 3} and u.own == 1
    u = reduce("exec_board", rows, member_id=1)
    assert u.exec_board_dates == {MON, dt.date(2027, 3, 2)}  # two members at the 1 Mar meeting: one day
    u = reduce("president_assist", rows, member_id=2)
    assert u.president_assist_hours == {MON: 3 * DAY} and u.president_assist_own_hours == {MON: 2 * DAY}


def test_windows():
    tree = default_tree()
    assert window("convention", MON, MON, tree) == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert window("steward_training", MON, MON, tree) == (dt.date(2026, 3, 2), dt.date(2028, 2, 29))
    assert window("president_assist", dt.date(2027, 3, 3), dt.date(2027, 3, 3), tree) == (MON, dt.date(2027, 3, 7))


def test_summary_figures():
    usage = {"convention": UnionUsage(convention_days={2027: 174}),
             "exec_board": UnionUsage(exec_board_dates=frozenset(sorted(TEN)[:3])),
             "president_assist": UnionUsage(president_assist_hours={MON: 200 * MICRO}),
             "full_time_union": UnionUsage(unit_employees=2500, full_time_leaves=((dt.date(2027, 1, 1), dt.date(2027, 12, 31)),))}
    s = {x["purpose"]: x for x in summary(dt.date(2027, 3, 3), usage, default_tree())}
    assert (s["convention"]["used"], s["convention"]["remaining"]) == (174, 1)  # 175 − 174
    assert (s["exec_board"]["used"], s["exec_board"]["remaining"]) == (3, 7)  # 10 − 3
    assert s["president_assist"]["remaining_micro"] == 10 * MICRO  # 210 − 200
    assert (s["full_time_union"]["limit"], s["full_time_union"]["remaining"]) == (2, 1)  # 2,500 → 2; 1 held
    assert s["steward_training"]["remaining"] == 1


def test_bad_purpose_refused():
    with pytest.raises(RequestError, match="purpose must be one of"):
        union("conventions", MON)
    with pytest.raises(ValueError, match="not a limited union purpose"):
        window("grievance", MON, MON, default_tree())
