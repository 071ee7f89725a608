"""The set-based biweekly accrual, worked by hand from the contract (pay period 2026-11-01..2026-11-14).

Sec. 9.4 in this period: the latest July 1 on or before 2026-11-14 is 2026-07-01 (FY2027, ending
2027-06-30); an employee has a band if they reach its years of service by 2027-06-30.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from ledger_helpers import PERIOD_DAY, TODAY, credits

from openleave.ledger import services
from openleave.ledger.models import AccrualRun, Leave, LedgerEntry, PeriodUnpaidHours

pytestmark = pytest.mark.django_db(transaction=False)


def test_full_time_40_hours_six_years_gets_band_two_and_sick(make_employee, accrue):
    # 40 h title, full-time, service from 2020-05-01 (6.5 years) → Sec. 9.2.A 4.5–9.5 band, 80 h bi-weekly → 4.61544 h;
    # sick Sec. 8.1.A, 80 h bi-weekly → 4.61544 h
    e = make_employee(start=dt.date(2020, 5, 1))
    accrue()
    assert credits(e) == {"sick": 4_615_440, "vacation": 4_615_440}


def test_full_time_37_5_hours_two_years(make_employee, accrue):
    # 37.5 h title, service from 2024-09-01 → reaches 4.5 years 2029-03-01, after FY2027 → band "less than 4.5":
    # 75 h bi-weekly → 2.88465 h; sick 75 h → 4.326975 h (Sec. 8.1.A)
    e = make_employee(start=dt.date(2024, 9, 1), title="t375")
    accrue()
    assert credits(e) == {"sick": 4_326_975, "vacation": 2_884_650}


def test_higher_vacation_rate_starts_in_period_including_july_first(make_employee, accrue):
    # Sec. 9.4: reaches 4.5 years on 2027-06-30 (in FY2027) → already band 2 in November 2026: 4.61544 h.
    before = make_employee(start=dt.date(2022, 12, 30))
    # reaches 4.5 years on 2027-07-01 (FY2028) → still band 1 in November 2026: 3.07696 h.
    after = make_employee(start=dt.date(2023, 1, 1))
    accrue()
    assert credits(before)["vacation"] == 4_615_440
    assert credits(after)["vacation"] == 3_076_960


def test_nineteen_and_a_half_years_band(make_employee, accrue):
    # service from 2000-01-01 → 26 years ≥ 19.5 → Sec. 9.2.A 80 h → 7.69232 h
    e = make_employee(start=dt.date(2000, 1, 1))
    accrue()
    assert credits(e)["vacation"] == 7_692_320


def test_part_time_half_schedule_is_prorated(make_employee, accrue):
    # regular part-time 20 of 40 h a week: 40 of 80 h bi-weekly. Service from 2016-01-01 reaches 9.5 years
    # 2025-07-01 → band 9.5–19.5: 6.15392 × 40/80 = 3.07696 h (Sec. 9.5); sick 4.61544 × 40/80 = 2.30772 h (Sec. 8.1.B)
    e = make_employee(start=dt.date(2016, 1, 1), weekly="20", status="part_time")
    accrue()
    assert credits(e) == {"sick": 2_307_720, "vacation": 3_076_960}
    cites = {x.leave: x.citations() for x in LedgerEntry.objects.filter(employee=e)}
    assert "Sec. 8.1.B" in cites[Leave.SICK] and "Sec. 9.5" in cites[Leave.VACATION]


def test_unpaid_hours_reduce_credit(make_employee, accrue):
    # full-time 40 h, band 4.5–9.5, 8 h without pay: 72 h paid; per hour 4.61544/80 = 0.057693 →
    # 72 × 0.057693 = 4.153896 h for sick (Sec. 8.1.D) and vacation (Sec. 9.3)
    e = make_employee(start=dt.date(2020, 5, 1))
    PeriodUnpaidHours.objects.create(employee=e, period_start=dt.date(2026, 11, 1), unpaid_micro=8_000_000)
    accrue()
    assert credits(e) == {"sick": 4_153_896, "vacation": 4_153_896}
    cites = {x.leave: x.citations() for x in LedgerEntry.objects.filter(employee=e)}
    assert "Sec. 8.1.D" in cites[Leave.SICK] and "Sec. 9.3" in cites[Leave.VACATION]


def test_enhanced_rate_for_2019_hire_with_prior_experience(make_employee, accrue):
    # Sec. 9.2.C: hired 2025-03-01 with 5 approved years of relevant experience → 4.61544 h, not 3.07696 h
    e = make_employee(start=dt.date(2025, 3, 1), prior="5", approved=True)
    not_approved = make_employee(start=dt.date(2025, 3, 1), prior="5", approved=False)
    accrue()
    assert credits(e)["vacation"] == 4_615_440
    assert credits(not_approved)["vacation"] == 3_076_960


def test_mid_period_start_prorates_vacation_not_sick(make_employee, accrue):
    # starts Wednesday 2026-11-04, Mon–Fri 8 h: in service Wed–Fri (24 h) + Mon–Fri 9–13 (40 h) = 64 of 80 h
    # → vacation 3.07696 × 64/80 = 2.461568 h (Sec. 9.2.B); sick: full period of employment 4.61544 h (Sec. 8.1.A)
    sched = {d: "8" for d in ("mon", "tue", "wed", "thu", "fri")}
    e = make_employee(start=dt.date(2026, 11, 4), schedule=sched)
    accrue()
    assert credits(e) == {"sick": 4_615_440, "vacation": 2_461_568}


def test_not_covered_and_not_employed_are_skipped_with_reasons(make_employee, accrue):
    make_employee(start=dt.date(2020, 1, 1), status="contractor")
    make_employee(start=dt.date(2020, 1, 1), status="intermittent")
    make_employee(start=dt.date(2010, 1, 1), separation=dt.date(2026, 6, 30))
    make_employee(start=dt.date(2026, 12, 1))
    r = accrue()
    assert LedgerEntry.objects.count() == 0
    assert sorted(r.skipped.values()) == [1, 1, 1, 1]
    assert any("contractor" in k for k in r.skipped) and any("not yet started" in k for k in r.skipped)


def test_running_twice_changes_nothing(make_employee, accrue):
    e = make_employee(start=dt.date(2020, 5, 1))
    accrue()
    rows = list(LedgerEntry.objects.values_list("id", "micro"))
    with pytest.raises(services.AlreadyRun):
        accrue()
    assert list(LedgerEntry.objects.values_list("id", "micro")) == rows
    assert AccrualRun.objects.count() == 1 and len(credits(e)) == 2


def test_failure_inside_the_run_leaves_nothing_and_rerun_credits_once(make_employee, accrue):
    people = [make_employee(start=dt.date(2015 + i % 10, 1, 1)) for i in range(30)]

    def boom(chunk: int) -> None:
        if chunk == 1:
            raise KeyboardInterrupt("killed halfway")

    with pytest.raises(KeyboardInterrupt):
        accrue(_after_chunk=boom)
    assert LedgerEntry.objects.count() == 0 and AccrualRun.objects.count() == 0
    accrue()
    for p in people:
        assert LedgerEntry.objects.filter(employee=p, leave=Leave.SICK).count() == 1
        assert LedgerEntry.objects.filter(employee=p, leave=Leave.VACATION).count() == 1


def test_refuses_a_period_that_has_not_ended(org):
    # the period including 2026-11-23 ends 2026-11-28, after "today"
    with pytest.raises(CommandError, match="has not ended"):
        call_command("accrue", "--period-including", "2026-11-23", "--today", TODAY.isoformat(),
                     "--calendar", org["calendar"].name)


def test_command_prints_summary(make_employee, org, capsys):
    make_employee(start=dt.date(2020, 5, 1))
    call_command("accrue", "--period-including", PERIOD_DAY.isoformat(), "--today", TODAY.isoformat(),
                 "--calendar", org["calendar"].name)
    out = capsys.readouterr().out
    assert "1 employees" in out and "4.61544" in out


def test_annual_credit_personal_and_emergency(make_employee, org):
    # Sec. 8.2.B: hired after 2011-09-01, 40 h → 24 h in the first full pay period of January 2026 (starts 2026-01-11);
    # Sec. 8.2.A: on the payroll 2011-09-01, 37.5 h → 37.5 h; MOU: emergency personnel, one 8 h day.
    a = make_employee(start=dt.date(2015, 1, 1), emergency=True)
    b = make_employee(start=dt.date(2005, 1, 1), title="t375")
    services.accrual_run_annual(calendar=org["calendar"], year=2026, today=TODAY)
    got = {(x.employee_id, x.leave): x.micro for x in LedgerEntry.objects.all()}
    assert got == {(a.pk, Leave.PERSONAL): 24_000_000, (a.pk, Leave.EMERGENCY): 8_000_000,
                   (b.pk, Leave.PERSONAL): 37_500_000}
    with pytest.raises(services.AlreadyRun):
        services.accrual_run_annual(calendar=org["calendar"], year=2026, today=TODAY)
