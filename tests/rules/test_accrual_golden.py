"""Golden accrual figures worked by hand from the contract text (Art. 8, Art. 9, MOUs).

Pay periods (anchor 2017-07-09, Sunday): 2018-06-24..07-07 includes 2018-07-01;
2019-06-09..06-22 is the last period before it in 2019; 2019-06-23..07-06 includes 2019-07-01.
"""

from decimal import Decimal

import pytest
from rules_helpers import d, employee, h

from openleave.rules.accrual import (
    emergency_credit,
    personal_credit,
    prorate,
    sick_accrual,
    vacation_accrual,
)
from openleave.rules.calendar import period_containing, periods_between, vacation_year

BEFORE_JULY_2019 = period_containing(d("2019-06-20"))  # 2019-06-09..06-22
JULY_2019 = period_containing(d("2019-07-01"))  # 2019-06-23..07-06
BEFORE_JULY_2018 = period_containing(d("2018-06-20"))  # 2018-06-10..06-23
JULY_2018 = period_containing(d("2018-07-01"))  # 2018-06-24..07-07


def vac(tree, facts, period, **kw):
    return vacation_accrual(facts, period, tree, **kw).value


# --- sick leave, Sec. 8.1 ---------------------------------------------------------------------


@pytest.mark.parametrize(("title", "expected"), [("40", "4.61544"), ("37.5", "4.326975")])
def test_full_time_sick_credit_per_period_by_scheduled_hours(tree, title, expected):
    # Sec. 8.1.A: 80 h bi-weekly → 4.61544 h; 75 h bi-weekly → 4.326975 h
    dec = sick_accrual(employee("2016-01-04", title), JULY_2019, tree)
    assert dec.value == h(expected)
    assert "Sec. 8.1.A" in dec.citations


def test_part_time_sick_credit_is_in_proportion(tree):
    # Sec. 8.1.B: 20 h/week of a 40 h title → 40 of 80 h bi-weekly → 40/80 × 4.61544 = 2.30772 h
    dec = sick_accrual(employee("2016-01-04", "40", "20"), JULY_2019, tree)
    assert dec.value == h("2.30772")
    assert "Sec. 8.1.B" in dec.citations


def test_part_time_sick_credit_on_a_37_5_hour_title(tree):
    # Sec. 8.1.B: 30 of 37.5 h/week → 60/75 × 4.326975 = 3.46158 h
    assert sick_accrual(employee("2016-01-04", "37.5", "30"), JULY_2019, tree).value == h("3.46158")


def test_sick_credit_on_hours_paid_when_absent_without_pay(tree):
    # Sec. 8.1.D: 72 of 80 hours paid → 72 × (4.61544 / 80 = 0.057693) = 4.153896 h
    dec = sick_accrual(employee("2016-01-04"), JULY_2019, tree, hours_paid=h("72"))
    assert dec.value == h("4.153896")
    assert dec.citations == ("Sec. 8.1.A", "Sec. 8.1.D")


def test_part_time_sick_credit_on_hours_paid_cites_8_1_i(tree):
    # Sec. 8.1.I: 20 h/week part-time paid 32 of 40 scheduled → 32 × 0.057693 = 1.846176 h
    dec = sick_accrual(employee("2016-01-04", "40", "20"), JULY_2019, tree, hours_paid=h("32"))
    assert dec.value == h("1.846176")
    assert "Sec. 8.1.I" in dec.citations


def test_proration_rounds_half_up_only_when_not_whole():
    # 72.5 h paid: 57693 µh/h × 72.5 = 4182742.5 µh → rounded half-up → 4.182743 h
    assert prorate(h("4.61544"), h("72.5"), h("80")) == h("4.182743")
    # 72.25 h paid: 57693 × 72.25 = 4168319.25 µh → 4.168319 h
    assert prorate(h("4.61544"), h("72.25"), h("80")) == h("4.168319")
    # whole hours are exact: 72 × 0.057693 = 4.153896
    assert prorate(h("4.61544"), h("72"), h("80")) == h("4.153896")


def test_overtime_hours_paid_earn_no_more_than_the_schedule(tree):
    # Sec. 8.1.A: the rate is per period of full-time service; 90 h paid still earns 4.61544 h
    assert sick_accrual(employee("2016-01-04"), JULY_2019, tree, hours_paid=h("90")).value == h("4.61544")


def test_twenty_six_period_year_sick_total(tree):
    # Vacation year 2019 has 26 pay periods (Sec. 9.1): 26 × 4.61544 = 120.00144 h
    facts = employee("2016-01-04")
    total = sum(sick_accrual(facts, p, tree).value for p in periods_between(*vacation_year(2019)))
    assert total == h("120.00144")


def test_contractors_accrue_nothing(tree):
    from dataclasses import replace

    facts = replace(employee("2016-01-04"), status="contractor")
    assert sick_accrual(facts, JULY_2019, tree).value == 0


# --- vacation bands and Sec. 9.4 ------------------------------------------------------------

BAND_EDGES = [
    # service start, title, rate before the July period, rate from it. Each start reaches the
    # band on 2019-07-05 (FY2020) → Sec. 9.4: higher rate from the period including 2019-07-01.
    ("2015-01-05", "40", "3.07696", "4.61544"),  # 4.5 years: less than 4.5 → 4.5 but less than 9.5
    ("2015-01-05", "37.5", "2.88465", "4.326975"),
    ("2010-01-05", "40", "4.61544", "6.15392"),  # 9.5 years
    ("2010-01-05", "37.5", "4.326975", "5.7693"),
    ("2000-01-05", "40", "6.15392", "7.69232"),  # 19.5 years
    ("2000-01-05", "37.5", "5.7693", "7.21155"),
]


@pytest.mark.parametrize(("start", "title", "before", "after"), BAND_EDGES)
def test_band_edges_for_both_schedules(tree, start, title, before, after):
    facts = employee(start, title)
    assert vac(tree, facts, BEFORE_JULY_2019) == h(before)
    dec = vacation_accrual(facts, JULY_2019, tree)
    assert dec.value == h(after)
    assert {"Sec. 9.2.A", "Sec. 9.4"} <= set(dec.citations)


def test_higher_vacation_rate_starts_in_period_including_july_first_before_a_march_anniversary(tree):
    # start 2015-09-15 → 4.5 years on 2020-03-15, in FY2020 (2019-07-01..2020-06-30)
    # → Sec. 9.4: 4.61544 h from the period including 2019-07-01, eight months before the anniversary
    facts = employee("2015-09-15")
    assert vac(tree, facts, BEFORE_JULY_2019) == h("3.07696")
    assert vac(tree, facts, JULY_2019) == h("4.61544")


def test_august_anniversary_also_starts_in_the_july_period(tree):
    # start 2015-02-10 → 4.5 years on 2019-08-10, in FY2020 → higher rate from the period including 2019-07-01
    facts = employee("2015-02-10")
    assert vac(tree, facts, BEFORE_JULY_2019) == h("3.07696")
    assert vac(tree, facts, JULY_2019) == h("4.61544")


def test_anniversary_on_june_30_belongs_to_the_earlier_fiscal_year(tree):
    # start 2014-12-30 → 4.5 years on 2019-06-30, in FY2019 → higher rate from the period including 2018-07-01
    facts = employee("2014-12-30")
    assert vac(tree, facts, BEFORE_JULY_2018) == h("3.07696")
    assert vac(tree, facts, JULY_2018) == h("4.61544")


def test_anniversary_on_july_1_belongs_to_the_next_fiscal_year(tree):
    # start 2015-01-01 → 4.5 years on 2019-07-01, in FY2020 → still the lower rate in the 2018 July period
    facts = employee("2015-01-01")
    assert vac(tree, facts, JULY_2018) == h("3.07696")
    assert vac(tree, facts, BEFORE_JULY_2019) == h("3.07696")
    assert vac(tree, facts, JULY_2019) == h("4.61544")


def test_short_break_keeps_prior_service_but_not_the_break(tree):
    from dataclasses import replace

    from openleave.rules.facts import ServiceBreak

    # start 2014-12-01, break 2016-01-01..2016-03-01 (60 days, < 3 years, Sec. 9.7) → adjusted start
    # 2015-01-30 → 4.5 years on 2019-07-30 (FY2020) → lower rate before the July 2019 period, higher from it
    facts = replace(employee("2014-12-01"), service_breaks=(ServiceBreak(d("2016-01-01"), d("2016-03-01")),))
    assert vac(tree, facts, BEFORE_JULY_2019) == h("3.07696")
    assert vac(tree, facts, JULY_2019) == h("4.61544")
    assert "Sec. 9.7" in vacation_accrual(facts, JULY_2019, tree).citations


def test_break_of_three_years_restarts_service_unless_approved(tree):
    from dataclasses import replace

    from openleave.rules.facts import ServiceBreak

    # 2005 start, break 2010-01-01..2013-06-01 (3.4 years, Sec. 9.12): service counts from 2013-06-01 →
    # 4.5 years on 2017-12-01 (FY2018) → band "4.5 but less than 9.5" in July 2019, not 9.5+.
    brk = ServiceBreak(d("2010-01-01"), d("2013-06-01"))
    facts = replace(employee("2005-01-03"), service_breaks=(brk,))
    assert vac(tree, facts, JULY_2019) == h("4.61544")
    # approved by the CHRO: prior service kept; 2005-01-03 + 1247 days of break → 2008-06-03 → 9.5 years on
    # 2017-12-03 (FY2018) → 6.15392 h
    approved = replace(facts, service_breaks=(ServiceBreak(brk.left, brk.returned, True),))
    assert vac(tree, approved, JULY_2019) == h("6.15392")


def test_part_time_vacation_in_proportion(tree):
    # Sec. 9.5: 20 of 40 h, band "less than 4.5" → 40/80 × 3.07696 = 1.53848 h
    dec = vacation_accrual(employee("2018-01-07", "40", "20"), JULY_2019, tree)
    assert dec.value == h("1.53848")
    assert "Sec. 9.5" in dec.citations


def test_vacation_on_hours_paid(tree):
    # Sec. 9.3: 72 of 80 paid, band "less than 4.5" → 72/80 × 3.07696 = 2.769264 h
    dec = vacation_accrual(employee("2018-01-07"), JULY_2019, tree, hours_paid=h("72"))
    assert dec.value == h("2.769264")
    assert "Sec. 9.3" in dec.citations


def test_mid_period_start_prorates_vacation_but_not_sick(tree):
    # hired Wednesday 2019-03-06 in the period 2019-03-03..03-16, Mon–Fri 8 h:
    # in service Wed–Fri (24 h) + Mon–Fri (40 h) = 64 of 80 h → Sec. 9.2.B: 64/80 × 3.07696 = 2.461568 h
    facts = employee("2019-03-06")
    period = period_containing(d("2019-03-06"))
    dec = vacation_accrual(facts, period, tree)
    assert dec.value == h("2.461568")
    assert "Sec. 9.2.B" in dec.citations
    # Sec. 8.1.A: "for each bi-weekly pay period of employment" — no proration in Art. 8 → 4.61544 h
    assert sick_accrual(facts, period, tree).value == h("4.61544")


def test_twenty_six_period_year_vacation_total(tree):
    # 26 × 3.07696 = 80.00096 h in vacation year 2019 for a 2018 hire
    facts = employee("2018-01-07")
    assert sum(vac(tree, facts, p) for p in periods_between(*vacation_year(2019))) == h("80.00096")


# --- Sec. 9.2.C and the Vacation MOU -------------------------------------------------------


def hire(start, years, approved=True, **kw):
    from dataclasses import replace

    return replace(employee(start), prior_relevant_experience_years=Decimal(years), prior_experience_approved=approved, **kw)


def test_9_2_c_new_hire_with_approved_experience_accrues_at_band_two(tree):
    # hired 2019-03-04 with 5 years approved relevant experience → 4.61544 h (80 bi-weekly) from hire
    dec = vacation_accrual(hire("2019-03-04", "5"), period_containing(d("2019-04-01")), tree)
    assert dec.value == h("4.61544")
    assert "Sec. 9.2.C" in dec.citations


def test_9_2_c_needs_four_and_a_half_years_and_approval(tree):
    period = period_containing(d("2019-04-01"))
    assert vac(tree, hire("2019-03-04", "4.4"), period) == h("3.07696")
    assert vac(tree, hire("2019-03-04", "6", approved=False), period) == h("3.07696")


def test_9_2_c_rate_holds_until_nine_and_a_half_years_then_sec_9_4(tree):
    # 2019-03-04 + 9.5 years = 2028-09-04 (FY2029) → 6.15392 h from the period including 2028-07-01
    facts = hire("2019-03-04", "5")
    assert vac(tree, facts, period_containing(d("2028-06-01"))) == h("4.61544")
    assert vac(tree, facts, period_containing(d("2028-07-01"))) == h("6.15392")


def test_9_2_c_does_not_apply_to_hires_before_2019(tree):
    # hired 2018-12-03 → not 9.2.C; the MOU applies instead (approved, < 4.5 years on 2019-01-01):
    # enhanced from 2019-01-01: the period 2018-12-23..2019-01-05 ends after it → 4.61544 h;
    # the period 2018-12-09..12-22 → 3.07696 h
    facts = hire("2018-12-03", "5")
    assert vac(tree, facts, period_containing(d("2018-12-20"))) == h("3.07696")
    dec = vacation_accrual(facts, period_containing(d("2019-01-01")), tree)
    assert dec.value == h("4.61544")
    assert "MOU Vacation Accruals for Current Employees" in dec.citations


def test_mou_late_request_is_prospective(tree):
    facts = hire("2017-03-06", "5", enhanced_accrual_from=d("2019-09-01"))
    assert vac(tree, facts, period_containing(d("2019-08-20"))) == h("3.07696")
    assert vac(tree, facts, period_containing(d("2019-09-10"))) == h("4.61544")


# --- personal leave, Sec. 8.2 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "title", "expected", "cite"),
    [
        ("2005-04-04", "40", "40", "Sec. 8.2.A"),  # on the payroll 2011-09-01, 40 h/week → 40.000 h
        ("2005-04-04", "37.5", "37.5", "Sec. 8.2.A"),  # 37.5 h/week → 37.500 h
        ("2011-09-01", "40", "40", "Sec. 8.2.A"),  # hired that very day: on the payroll as of 2011-09-01
        ("2011-09-02", "40", "24", "Sec. 8.2.B"),  # hired after 2011-09-01 → 24.000 h
        ("2015-06-01", "37.5", "22.5", "Sec. 8.2.B"),  # → 22.500 h
    ],
)
def test_personal_leave_january_credit_by_cohort(tree, start, title, expected, cite):
    dec = personal_credit(employee(start, title), 2019, tree)
    assert dec.value == h(expected)
    assert dec.citations == (cite,)
    assert dec.extra["effective"] == d("2019-01-06")  # the first full pay period in January 2019


@pytest.mark.parametrize(
    ("hired", "title", "expected"),
    [
        ("2019-02-15", "40", "24"), ("2019-02-15", "37.5", "22.5"),  # January 1 – March 31
        ("2019-05-01", "40", "16"), ("2019-05-01", "37.5", "15"),  # April 1 – June 30
        ("2019-08-01", "40", "8"), ("2019-09-30", "37.5", "7.5"),  # July 1 – September 30
        ("2019-10-01", "40", "0"), ("2019-12-31", "37.5", "0"),  # October 1 – December 31
    ],
)
def test_personal_leave_for_new_hires_by_quarter(tree, hired, title, expected):
    # Sec. 8.2.A table for employees hired after the first full pay period in January
    dec = personal_credit(employee(hired, title), 2019, tree)
    assert dec.value == h(expected)
    assert dec.extra["effective"] == d(hired)


def test_part_time_personal_leave_is_pro_rata(tree):
    # Sec. 8.2.B: 20 of 40 h/week → 20/40 × 24 = 12 h
    dec = personal_credit(employee("2015-06-01", "40", "20"), 2019, tree)
    assert dec.value == h("12")
    assert "Sec. 8.2.B" in dec.citations


def test_personal_credit_never_exceeds_sec_8_2_c(tree):
    # Sec. 8.2.C: at most 5 days (2011 cohort) / 3 days (later) a year: 40 ≤ 5 × 8, 24 ≤ 3 × 8
    assert personal_credit(employee("2005-04-04"), 2019, tree).value <= 5 * h("8")
    assert personal_credit(employee("2015-06-01"), 2019, tree).value <= 3 * h("8")


# --- MOU Regarding State of Emergency --------------------------------------------------------


@pytest.mark.parametrize(("title", "week", "expected"), [("40", None, "8"), ("37.5", None, "7.5"), ("40", "30", "6")])
def test_emergency_day_each_january(tree, title, week, expected):
    # one day = 8 or 7.5 h (Sec. 8.9); part-time 30 of 40 h → 30/40 × 8 = 6 h
    from dataclasses import replace

    facts = replace(employee("2015-06-01", title, week), emergency_personnel=True)
    dec = emergency_credit(facts, 2019, tree)
    assert dec.value == h(expected)
    assert "MOU Regarding State of Emergency" in dec.citations
    assert emergency_credit(employee("2015-06-01", title, week), 2019, tree).value == 0
