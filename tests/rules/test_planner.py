"""The leave planner's pure core (``openleave.rules.planner.project``): no Django, no clock. Figures worked by hand
from the contract parameters, the arithmetic beside them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openleave.rules.facts import EmployeeFacts
from openleave.rules.ledger import OpeningBalance, simulate
from openleave.rules.params import default_tree
from openleave.rules.planner import Pending, PlannedLeave, horizon, project
from openleave.rules.units import to_micro

TREE = default_tree()
TODAY = dt.date(2027, 6, 1)
# 40-hour title (80 h bi-weekly), service since 2018-01-07: 9.5 years on 2027-07-07, in fiscal year 2028, so the
# 9.5–19.5 band (6.15392 h a period, Sec. 9.2.A) starts in the pay period including 2027-07-01: 06-27..07-10 (Sec. 9.4).
FACTS = EmployeeFacts(service_start=dt.date(2018, 1, 7), title_full_time_hours_per_week=Decimal(40))


def history(vacation="100", earned=2025, personal="24", sick="50"):
    on = dt.date(2027, 5, 16)
    events = [OpeningBalance(on, "vacation", to_micro(vacation), earned), OpeningBalance(on, "sick", to_micro(sick)),
              OpeningBalance(on, "personal", to_micro(personal))]
    return simulate(FACTS, events, TODAY - dt.timedelta(days=1), TREE)


def week(kind="vacation", start=dt.date(2027, 7, 12), end=dt.date(2027, 7, 16), **kw):
    return PlannedLeave(kind, start, end, **kw)


def test_the_higher_vacation_band_starts_in_the_period_including_july_first():
    p = project(FACTS, history(), today=TODAY, tree=TREE, until=dt.date(2027, 7, 31))
    accruals = {e.effective: e.amount for e, projected in p.entries if projected and e.kind == "accrual" and e.leave == "vacation"}
    assert accruals == {dt.date(2027, 6, 12): 4_615_440, dt.date(2027, 6, 26): 4_615_440,  # 4.5–9.5 years
                        dt.date(2027, 7, 10): 6_153_920, dt.date(2027, 7, 24): 6_153_920}  # 9.5–19.5 years
    assert [c for _, c in p.notes] == ["Sec. 9.4"] and "2027-06-27..2027-07-10" in p.notes[0][0]


def test_nothing_is_projected_for_a_period_the_ledger_already_credited():
    h = history()
    p = project(FACTS, h, today=TODAY, tree=TREE, until=dt.date(2027, 6, 12))
    # the period 05-16..05-29 is in the history (credited 05-29); the first projected one ends 06-12
    assert [e.effective for e, projected in p.entries if projected and e.kind == "accrual"] == [dt.date(2027, 6, 12)] * 2
    assert p.opening["vacation"] == 100_000_000 + 4_615_440


def test_planned_leave_uses_the_oldest_credit_first_and_saves_it_from_forfeiture():
    end = dt.date(2028, 1, 8)  # the end of vacation year 2027 (Sec. 9.1)
    without = project(FACTS, history(), today=TODAY, tree=TREE, until=end)
    with_week = project(FACTS, history(), today=TODAY, tree=TREE, rows=[week()], until=end)
    # Sec. 9.8: the 100 h earned in 2025 forfeit at the end of vacation year 2027 unless used; the 40 h week
    # uses them first: 100 → 60 h forfeited
    assert [(e.effective, -e.amount) for e in without.forfeitures() if e.leave == "vacation"] == [(end, 100_000_000)]
    assert [(e.effective, -e.amount) for e in with_week.forfeitures() if e.leave == "vacation"] == [(end, 60_000_000)]
    assert with_week.balance("vacation", end) == without.balance("vacation", end)  # 40 h used, 40 h less forfeited


def test_a_row_beyond_the_projected_balance_is_stopped_with_sec_8_1_n():
    # personal: 24 h; four days (32 h) asked → 24 h can be charged, 8 h not
    p = project(FACTS, history(), today=TODAY, tree=TREE,
                rows=[week("personal", dt.date(2027, 8, 2), dt.date(2027, 8, 5))])
    [row] = p.rows
    assert (row.requested, row.allowed, row.stopped) == (32_000_000, 24_000_000, True)
    assert row.stops[0][1] == "Sec. 8.1.N"


def test_the_second_row_sees_the_first_and_a_pending_request():
    # a pending request holds 60 h from 2027-06-14; row 1 takes 40 h on 07-12; row 2 (40 h from 07-19) may draw
    # 100 + 4.61544 (05-29, in the history) + 4.61544 (06-12) + 4.61544 (06-26) + 6.15392 (07-10) − 60 − 40
    # = 20.00024 h (the credit of 07-24 comes after its first day): stopped, and only whole 15-minute units of
    # it can be charged (Sec. 9.10): 20 h
    h = history(vacation="100")
    p = project(FACTS, h, today=TODAY, tree=TREE, pending=[Pending(dt.date(2027, 6, 14), {"vacation": 60_000_000}, "request 7")],
                rows=[week(), week(start=dt.date(2027, 7, 19), end=dt.date(2027, 7, 23))])
    first, second = p.rows
    assert not first.stopped and first.allowed == 40_000_000
    assert second.available["vacation"] == 100_000_000 + 4_615_440 + 4_615_440 + 4_615_440 + 6_153_920 - 60_000_000 - 40_000_000
    assert second.available["vacation"] == 20_000_240
    assert second.stopped and second.allowed == 20_000_000


def test_days_already_covered_by_a_live_request_stop_the_row():
    p = project(FACTS, history(), today=TODAY, tree=TREE, rows=[week()], covered={dt.date(2027, 7, 13): "request 9"})
    [row] = p.rows
    assert row.stopped and "request 9" in row.stops[0][0] and row.allowed == 0 and row.charges == ()


def test_a_row_the_rules_cannot_check_is_refused_with_the_reason():
    p = project(FACTS, history(), today=TODAY, tree=TREE, rows=[week(start=dt.date(2027, 7, 17), end=dt.date(2027, 7, 18))])
    [row] = p.rows  # Saturday and Sunday: no scheduled hours
    assert row.outcome == "refused" and "no scheduled hours" in row.stops[0][0]


def test_a_forfeiture_already_posted_is_kept_and_not_computed_again():
    end = dt.date(2028, 1, 8)
    base = project(FACTS, history(), today=TODAY, tree=TREE, until=end)
    posted = [e for e in base.forfeitures() if e.leave == "vacation"]
    again = project(FACTS, history() + posted, today=TODAY, tree=TREE, until=end)
    assert [e for e in again.forfeitures() if e.leave == "vacation"] == posted
    assert again.balance("vacation", end) == base.balance("vacation", end)


def test_the_horizon_reaches_the_year_end_after_the_last_day_planned():
    # the last row ends in 2027: the later of the end of vacation year 2027 (2028-01-08) and the Sec. 8.2.B day
    assert horizon(TODAY, [week()], TREE) == dt.date(2028, 1, 8)


@pytest.mark.parametrize("leave", ["sick", "vacation", "personal", "emergency_day"])
def test_days_give_the_balance_after_each_change(leave):
    p = project(FACTS, history(), today=TODAY, tree=TREE, rows=[week()])
    for day, balances, _ in p.days():
        assert balances[leave] == p.balance(leave, day)
