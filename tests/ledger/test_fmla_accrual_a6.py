"""Sec. 8.7.2.A.6 in the biweekly accrual run: sick and vacation accrue only for the first eight weeks of unpaid
FMLA leave — worked by hand from the contract.

The employee of every test: 40 h title, full-time, Mon–Fri 8 h, service from 2020-05-01 (6.5 years: the
Sec. 9.2.A 4.5–9.5 band). A full period (80 h paid) earns sick 4.61544 h (Sec. 8.1.A) and vacation 4.61544 h
(Sec. 9.2.A); with p hours paid each is 4.61544 × p / 80 (Sec. 8.1.D, 9.3). Pay periods (anchor 2017-07-09):
09-06..09-19, 09-20..10-03, 10-04..10-17, 10-18..10-31, 11-01..11-14 (2026). Art. 10 holidays inside them:
Labor Day 09-07, Columbus Day 10-12, Veterans Day 11-11 — a holiday needs no leave, so it is not in the
request's approved days. Eight weeks of unpaid leave, in the employee's workweek, are 8 × 40 = 320 h (A.6).
"""

from __future__ import annotations

import datetime as dt

import pytest
from ledger_helpers import credits

from openleave.ledger.models import Leave, LedgerEntry, PeriodUnpaidHours

pytestmark = pytest.mark.django_db(transaction=False)

H = 1_000_000
HOLIDAYS = {dt.date(2026, 9, 7), dt.date(2026, 10, 12), dt.date(2026, 11, 11)}
SCHED = {d: "8" for d in ("mon", "tue", "wed", "thu", "fri")}
RATE = 4_615_440  # µh per full 80 h period, sick and vacation alike here


def weekdays(first: dt.date, last: dt.date) -> list[dt.date]:
    out, d = [], first
    while d <= last:
        if d.weekday() < 5 and d not in HOLIDAYS:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def fmla_request(employee, days: list[dt.date], *, unpaid: int | None = None, kind: str = "fmla_medical",
                 status: str = "approved", credit: tuple[str, int] | None = None, hours: int = 8):
    """An approved FMLA request of ``hours`` a day on ``days``, charged ``unpaid`` µh as ``fmla`` (default: all)."""
    from openleave.leave.models import LeaveRequest, RequestCharge

    total = hours * H * len(days)
    r = LeaveRequest.objects.create(employee=employee, kind=kind, start_date=days[0], end_date=days[-1], status=status,
                                    requested_micro=total, allowed_micro=total, approved_micro=total, protected=True,
                                    days={d.isoformat(): hours * H for d in days})
    RequestCharge.objects.create(request=r, leave_type="fmla", micro=total if unpaid is None else unpaid)
    if credit:
        RequestCharge.objects.create(request=r, leave_type=credit[0], micro=credit[1])
    return r


@pytest.fixture
def worker(make_employee):
    return make_employee(start=dt.date(2020, 5, 1), schedule=SCHED)


@pytest.fixture(params=["insert", "copy"])
def method(request, db):
    from django.db import connection

    if request.param == "copy" and connection.vendor != "postgresql":
        pytest.skip("the binary COPY path is PostgreSQL's")
    return request.param


def run(accrue, method, day):
    return accrue(day, method=method)


def period_credits(employee, start: dt.date) -> dict[str, int]:
    return {("sick" if e.leave == Leave.SICK else "vacation"): e.micro
            for e in LedgerEntry.objects.filter(employee=employee, period_start=start)}


def test_ten_weeks_unpaid_weeks_one_to_eight_accrue_in_full_then_without_pay(worker, make_employee, accrue, method):
    # Continuous unpaid FMLA 2026-09-06 (Sun) … 11-14 (Sat): 10 calendar weeks, five pay periods.
    fmla_request(worker, weekdays(dt.date(2026, 9, 6), dt.date(2026, 11, 14)))
    other = make_employee(start=dt.date(2020, 5, 1), schedule=SCHED)  # no leave: full credits, no A.6 cited
    # Period 10-18..10-31 (weeks 7–8): 10 unpaid days = 80 h; before it 09-08..10-16 = 4+5+5+5+5+4 = 28 days =
    # 224 h; 224 + 80 = 304 h ≤ 320 h → all 80 h count as paid (A.6): 4.61544 h each.
    run(accrue, method, dt.date(2026, 10, 18))
    assert period_credits(worker, dt.date(2026, 10, 18)) == {"sick": RATE, "vacation": RATE}
    # Period 11-01..11-14 (weeks 9–10): unpaid days 11-02..06 and 09, 10, 12, 13 = 9 days = 72 h. Before it
    # 304 h, so 320 − 304 = 16 h (11-02, 11-03; the two holidays of weeks 1–8 were not leave) still count; the
    # other 72 − 16 = 56 h are without pay → paid 80 − 56 = 24 h → 4.61544 × 24/80 = 1.384632 h (Sec. 8.1.D, 9.3).
    run(accrue, method, dt.date(2026, 11, 1))
    assert period_credits(worker, dt.date(2026, 11, 1)) == {"sick": 1_384_632, "vacation": 1_384_632}
    assert period_credits(other, dt.date(2026, 11, 1)) == {"sick": RATE, "vacation": RATE}
    for e in LedgerEntry.objects.filter(employee=worker):
        assert "Sec. 8.7.2.A.6" in e.citations()
    for e in LedgerEntry.objects.filter(employee=other):
        assert "Sec. 8.7.2.A.6" not in e.citations()
    sick = LedgerEntry.objects.get(employee=worker, period_start=dt.date(2026, 11, 1), leave=Leave.SICK)
    assert "Sec. 8.1.D" in sick.citations()
    assert sick.paid_micro == 24 * H


def test_period_wholly_after_the_eight_weeks_accrues_nothing(worker, accrue, method):
    # Unpaid FMLA 2026-08-24 … 11-13 (weekdays; Labor Day, Columbus Day, Veterans Day are not leave). Before
    # 11-01: 08-24..10-30 = 10 weeks less 2 holidays = 48 days = 384 h ≥ 320 h → in 11-01..11-14 every one of
    # the 9 unpaid days (72 h) is without pay; the period's 8 h of Veterans Day remain paid: 80 − 72 = 8 h →
    # 4.61544 × 8/80 = 0.461544 h.
    fmla_request(worker, weekdays(dt.date(2026, 8, 24), dt.date(2026, 11, 13)))
    run(accrue, method, dt.date(2026, 11, 1))
    assert period_credits(worker, dt.date(2026, 11, 1)) == {"sick": 461_544, "vacation": 461_544}


def test_credits_chosen_come_first_and_the_unpaid_rest_starts_the_clock(worker, accrue, method):
    # 2026-08-24 … 11-13 (48 + 9 = 57 days = 456 h): the employee used 176 h of vacation first (A.4/B.5), the
    # unpaid rest is 456 − 176 = 280 h = the last 35 days: 11-02..13 are 9, 10-19..30 are 10, 10-13..16 are 4,
    # 10-05..09 are 5 (28), then 09-24, 25, 28, 29, 30, 10-01, 02 (7): the unpaid leave starts 09-24.
    # Before 11-01 the unpaid days 09-24..10-30 are 26 days = 208 h; 320 − 208 = 112 h ≥ the period's 72 h →
    # all of 11-01..11-14 counts as paid: full credits (A.6), cited.
    fmla_request(worker, weekdays(dt.date(2026, 8, 24), dt.date(2026, 11, 13)), unpaid=280 * H,
                 credit=("vacation", 176 * H))
    run(accrue, method, dt.date(2026, 11, 1))
    assert period_credits(worker, dt.date(2026, 11, 1)) == {"sick": RATE, "vacation": RATE}
    assert all("Sec. 8.7.2.A.6" in e.citations() for e in LedgerEntry.objects.filter(employee=worker))


def test_intermittent_days_count_by_their_hours_in_the_look_back(worker, accrue, method):
    # Intermittent unpaid FMLA: 39 whole days in 2026-01-05 … 2026-03-02 (312 h) — then in 11-01..11-14 two days,
    # 11-04 and 11-05 (16 h). The look-back from 11-04 is 2025-11-05 … 11-03: 312 h before → 320 − 312 = 8 h of
    # 11-04 counts; 11-05's 8 h are without pay → paid 80 − 8 = 72 h → 4.61544 × 72/80 = 4.153896 h.
    early = weekdays(dt.date(2026, 1, 5), dt.date(2026, 3, 2))[:39]
    fmla_request(worker, early)
    fmla_request(worker, [dt.date(2026, 11, 4), dt.date(2026, 11, 5)])
    run(accrue, method, dt.date(2026, 11, 1))
    assert period_credits(worker, dt.date(2026, 11, 1)) == {"sick": 4_153_896, "vacation": 4_153_896}


def test_cancelled_request_and_hours_outside_the_look_back_do_not_count(worker, accrue, method):
    # 2025-06-02 … 2025-09-26 (far more than 320 h) is before the look-back of 11-02 (2025-11-03 … 2026-11-01):
    # the 11-02..11-06 unpaid days (40 h) are within the first weeks again → full credits. A cancelled request
    # 11-09..11-13 charges nothing.
    fmla_request(worker, weekdays(dt.date(2025, 6, 2), dt.date(2025, 9, 26)))
    fmla_request(worker, weekdays(dt.date(2026, 11, 2), dt.date(2026, 11, 6)))
    fmla_request(worker, weekdays(dt.date(2026, 11, 9), dt.date(2026, 11, 13)), status="cancelled")
    run(accrue, method, dt.date(2026, 11, 1))
    assert period_credits(worker, dt.date(2026, 11, 1)) == {"sick": RATE, "vacation": RATE}


def test_loaded_unpaid_hours_add_to_the_unpaid_fmla_beyond_the_weeks(worker, accrue, method):
    # As the first test's 11-01 period (56 h of FMLA without pay) plus 8 h the payroll loaded (Sec. 8.1.D):
    # paid 80 − 56 − 8 = 16 h → 4.61544 × 16/80 = 0.923088 h.
    fmla_request(worker, weekdays(dt.date(2026, 9, 6), dt.date(2026, 11, 14)))
    PeriodUnpaidHours.objects.create(employee=worker, period_start=dt.date(2026, 11, 1), unpaid_micro=8 * H)
    run(accrue, method, dt.date(2026, 11, 1))
    assert period_credits(worker, dt.date(2026, 11, 1)) == {"sick": 923_088, "vacation": 923_088}


def test_mid_period_separation_goes_to_the_rules_core_with_a6(make_employee, accrue):
    # Separated 2026-11-13 (Fri): the period is partly out of service → the pure rules with the same A.6 hours.
    # Unpaid FMLA 08-24 … 11-13 as above: the 9 days of 11-01..11-13 (72 h) all beyond the weeks → paid
    # 80 − 72 = 8 h (the rules core takes the scheduled hours of the whole period for sick, Sec. 8.1.A) →
    # 4.61544 × 8/80 = 0.461544 h sick, cited with A.6.
    e = make_employee(start=dt.date(2020, 5, 1), schedule=SCHED, separation=dt.date(2026, 11, 13))
    fmla_request(e, weekdays(dt.date(2026, 8, 24), dt.date(2026, 11, 13)))
    accrue(dt.date(2026, 11, 1))
    sick = LedgerEntry.objects.get(employee=e, period_start=dt.date(2026, 11, 1), leave=Leave.SICK)
    assert sick.micro == 461_544
    assert "Sec. 8.7.2.A.6" in sick.citations() and "8.7.2.A.6" in sick.reason
    assert credits(e)["sick"] == 461_544


def test_part_time_weeks_are_the_employees_own_workweek(make_employee, accrue, method):
    # Regular part-time 20 of 40 h (Mon–Fri 4 h), service from 2016-01-01 (band 9.5–19.5: 6.15392 h per 80 h,
    # Sec. 9.2.A/9.5; sick 4.61544 h per 80 h, Sec. 8.1.B). A.6's eight weeks in her workweek: 8 × 20 = 160 h.
    # Unpaid FMLA 09-06 … 11-14 at 4 h a day: before 11-01, 38 days × 4 = 152 h → 8 h of the period still count;
    # the period's 9 days = 36 h, so 36 − 8 = 28 h without pay → paid 40 − 28 = 12 h:
    # sick 4.61544 × 12/80 = 0.692316 h (Sec. 8.1.I), vacation 6.15392 × 12/80 = 0.923088 h (Sec. 9.6).
    e = make_employee(start=dt.date(2016, 1, 1), weekly="20", status="part_time",
                      schedule={d: "4" for d in ("mon", "tue", "wed", "thu", "fri")})
    fmla_request(e, weekdays(dt.date(2026, 9, 6), dt.date(2026, 11, 14)), hours=4)
    run(accrue, method, dt.date(2026, 11, 1))
    assert period_credits(e, dt.date(2026, 11, 1)) == {"sick": 692_316, "vacation": 923_088}
    cites = {x.leave: x.citations() for x in LedgerEntry.objects.filter(employee=e)}
    assert "Sec. 8.1.I" in cites[Leave.SICK] and "Sec. 9.6" in cites[Leave.VACATION]
    assert all("Sec. 8.7.2.A.6" in c for c in cites.values())
