"""The plan agrees with the ledger once the planned leave is really taken (issue 12, item 6): plan a week of
vacation and some sick leave, then submit, approve and mark them taken through the leave services and run the
accrual runs for the periods in between (``ledger.services``): on every day the ledger's ``balance_parts``
(less the year-end forfeitures the ledger computes but does not post yet — ``ledger.selectors.forfeitures``)
equals the plan's projected balance, for every leave type, to the micro-hour."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from openleave.rules.calendar import periods_between

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)  # the frozen clock (tests/conftest.py)
VACATION = ("2027-02-08", "2027-02-12")  # Mon–Fri: 5 × 7.5 h = 37.5 h (no Art. 10 holiday that week)
SICK = ("2027-01-20", "2027-01-21")  # Wed–Thu: 2 × 7.5 h = 15 h
LAST = dt.date(2027, 2, 20)  # through the pay period 2027-02-07..02-20


def test_the_plan_equals_the_ledger_after_the_leave_is_taken(people, users, post_opening_balance):
    from openleave.leave import services as leave_svc
    from openleave.ledger import selectors as ledger_sel
    from openleave.ledger import services as ledger_svc
    from openleave.planner import selectors as plan_sel
    from openleave.planner import services as plan_svc

    erin = people["erin"]
    post_opening_balance(erin, sick="150", vacation="75", personal="15")
    rows = plan_svc.parse_rows([{"kind": "vacation", "start_date": VACATION[0], "end_date": VACATION[1]},
                                {"kind": "sick", "start_date": SICK[0], "end_date": SICK[1]}], today=TODAY)
    plan = plan_sel.project_plan(erin, rows)
    assert [r.stopped for r in plan.rows] == [False, False]
    # By hand: vacation 75 − 37.5 = 37.5 before accruals; sick 150 − 15; personal 15 forfeited 2027-01-09
    # (Sec. 8.2.B), 22.5 h credited 2027-01-10 (37.5-hour title, hired after 2011-09-01, Sec. 8.2.B table).
    assert plan.balance("personal", dt.date(2027, 1, 9)) == 0
    assert plan.balance("personal", dt.date(2027, 1, 10)) == 22_500_000

    # Now really take it: submit, the supervisor approves, the days pass, the runs credit the periods.
    for kind, (start, end) in (("vacation", VACATION), ("sick", SICK)):
        data = leave_svc.parse_input({"kind": kind, "start_date": start, "end_date": end, "facts": {}})
        req = leave_svc.leave_request_submit(employee=erin, user=users["employee"], data=data)
        leave_svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="approved")
    after = dt.date(2027, 3, 1)
    with time_machine.travel(dt.datetime(2027, 3, 1, 12, 0), tick=False):
        assert leave_svc.leave_request_mark_taken(today=after) == 2
        ledger_svc.accrual_run_annual(calendar=erin.pay_calendar, year=2027, today=after)
        for p in periods_between(TODAY, LAST):
            ledger_svc.accrual_run_biweekly(calendar=erin.pay_calendar, day=p.start, today=after)

    day = TODAY
    checked = 0
    while day <= LAST:
        parts = ledger_sel.balance_parts(erin, day, pending=False)
        unposted = ledger_sel.forfeitures(erin, day)
        for leave in ("sick", "vacation", "personal"):
            ledger = parts[leave].balance + sum(e.amount for e in unposted if e.leave == leave and not e.key.startswith("db:"))
            assert ledger == plan.balance(leave, day), (leave, day)
            checked += 1
        day += dt.timedelta(days=1)
    assert checked == 3 * ((LAST - TODAY).days + 1)
    # and the figures themselves, by hand (37.5-hour title: 75 scheduled hours bi-weekly): sick 4.326975 h a
    # period (Sec. 8.1.A); vacation, 12+ years of service (hired 2014-10-06): band 9.5–19.5 years, 5.7693 h a
    # period (Sec. 9.2.A). Periods ending 2026-12-12 … 2027-02-20: 12-12, 12-26, 01-09, 01-23, 02-06, 02-20 = 6.
    assert plan.balance("sick", LAST) == 150_000_000 - 15_000_000 + 6 * 4_326_975
    assert plan.balance("vacation", LAST) == 75_000_000 - 37_500_000 + 6 * 5_769_300
