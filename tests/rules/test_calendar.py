"""The pay calendar (Sec. 9.1, 8.2.B) worked by hand from the anchor 2017-07-09 (a Sunday)."""

from rules_helpers import d

from openleave.rules.calendar import (
    annual_forfeiture_date,
    first_full_period_in_january,
    fiscal_year,
    period_containing,
    periods_between,
    vacation_year,
)


def test_periods_are_sunday_to_saturday_fourteen_days():
    p = period_containing(d("2019-03-05"))
    # 2017-07-09 + 43 × 14 days = 2019-03-03 (Sunday); ends Saturday 2019-03-16
    assert (p.start, p.end) == (d("2019-03-03"), d("2019-03-16"))
    assert p.start.weekday() == 6 and p.end.weekday() == 5


def test_first_full_pay_period_in_january():
    # 2017-07-09 + 12 × 14 = 2017-12-24, + 14 = 2018-01-07; + 26 × 14 = 364 days each year
    assert first_full_period_in_january(2018).start == d("2018-01-07")
    assert first_full_period_in_january(2019).start == d("2019-01-06")
    assert first_full_period_in_january(2020).start == d("2020-01-05")
    # 2023-01-01 starts a period; the next one starting in January 2024 is 2024-01-14
    assert first_full_period_in_january(2023).start == d("2023-01-01")
    assert first_full_period_in_january(2024).start == d("2024-01-14")


def test_vacation_year_sec_9_1():
    # first full pay period in January 2019 .. the period that includes 2019-12-31 (2019-12-22..2020-01-04)
    assert vacation_year(2019) == (d("2019-01-06"), d("2020-01-04"))
    assert len(list(periods_between(*vacation_year(2019)))) == 26
    # 2023 has 27 pay periods: 2023-01-01 .. the period 2023-12-31..2024-01-13
    assert vacation_year(2023) == (d("2023-01-01"), d("2024-01-13"))
    assert len(list(periods_between(*vacation_year(2023)))) == 27


def test_personal_forfeiture_is_last_saturday_before_first_full_period():
    # Sec. 8.2.B: personal leave of 2019 not taken by Saturday 2020-01-04 is forfeited
    assert annual_forfeiture_date(2019) == d("2020-01-04")
    assert annual_forfeiture_date(2019).weekday() == 5


def test_fiscal_year_july_to_june():
    assert fiscal_year(d("2019-06-30")) == 2019
    assert fiscal_year(d("2019-07-01")) == 2020
