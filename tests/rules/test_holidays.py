"""Article 10 (Holidays), worked by hand from the text and a calendar.

Calendar anchors used below: 2027-01-01 is a Friday; so Mondays of 2027 fall on Jan 4, 11, 18, 25;
Feb 1, 8, 15; Mar 1, 8, 15, 22, 29; Apr 5, 12, 19, 26; May 3 … 31; …
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import holidays as pyholidays
import pytest

from openleave.rules.facts import EmployeeFacts
from openleave.rules.holidays import (
    Designation,
    _election_times,
    contract_holidays,
    holiday_credit,
    holiday_on,
)
from openleave.rules.params import default_tree
from openleave.rules.units import to_micro

D = dt.date
H = to_micro


START = D(2015, 9, 15)


def facts(week=40, title=40, schedule=None, status=None, start=START) -> EmployeeFacts:
    sched = {k: Decimal(str(v)) for k, v in (schedule or {}).items()}
    weekly = Decimal(str(week))
    return EmployeeFacts(
        service_start=start,
        title_full_time_hours_per_week=Decimal(str(title)),
        schedule_hours_per_week=weekly,
        status=status or ("full_time" if weekly == Decimal(str(title)) else "part_time"),
        work_schedule=sched,
    )


def by_name(year, **kw):
    return {h.name: h for h in contract_holidays(year, **kw)}


# --- Dates (Sec. 10.1, 10.2) -------------------------------------------------------------------------


def test_the_eleven_holidays_of_2027_from_the_calendar():
    got = {h.name: h.date for h in contract_holidays(2027)}
    assert got == {
        "New Year's Day": D(2027, 1, 1),            # fixed: Friday
        "Martin Luther King Day": D(2027, 1, 18),   # third Monday of January: Jan 4, 11, 18
        "Washington's Birthday": D(2027, 2, 15),    # third Monday of February: Feb 1, 8, 15
        "Patriot's Day": D(2027, 4, 19),            # third Monday of April: Apr 5, 12, 19
        "Memorial Day": D(2027, 5, 31),             # last Monday of May: May 31
        "Independence Day": D(2027, 7, 5),          # July 4 is a Sunday → observed Monday July 5
        "Labor Day": D(2027, 9, 6),                 # first Monday of September: Sept 6
        "Columbus Day": D(2027, 10, 11),            # second Monday of October: Oct 4, 11
        "Veteran's Day": D(2027, 11, 11),           # fixed: Thursday
        "Thanksgiving Day": D(2027, 11, 25),        # fourth Thursday of November: Nov 4, 11, 18, 25
        "Christmas Day": D(2027, 12, 25),           # Saturday: stays on the Saturday (Sec. 10.4 applies)
    }


def test_patriots_day_2027_is_the_third_monday_of_april():
    # April 1, 2027 is a Thursday → Mondays April 5, 12, 19 → April 19, 2027
    h = by_name(2027)["Patriot's Day"]
    assert h.date == D(2027, 4, 19) and h.date.weekday() == 0
    assert h.cite == "Sec. 10.1" and h.observed_from is None


def test_sunday_holiday_is_observed_on_the_monday():
    # Christmas 2022 fell on Sunday → observed Monday 2022-12-26
    xmas = by_name(2022)["Christmas Day"]
    assert (xmas.date, xmas.observed_from) == (D(2022, 12, 26), D(2022, 12, 25))
    assert xmas.cite == "Sec. 10.1; Sec. 10.2"
    # New Year's Day 2023 fell on Sunday → observed Monday 2023-01-02
    assert by_name(2023)["New Year's Day"].date == D(2023, 1, 2)
    # Independence Day 2021: Sunday July 4 → Monday July 5
    assert by_name(2021)["Independence Day"].date == D(2021, 7, 5)


def test_saturday_holiday_stays_on_saturday():
    # New Year's Day 2022 fell on Saturday; Massachusetts does not move it (no Friday Dec 31, 2021)
    ny = by_name(2022)["New Year's Day"]
    assert (ny.date, ny.observed_from) == (D(2022, 1, 1), None)
    assert ny.date.weekday() == 5
    # Veteran's Day 2023: Saturday November 11 stays
    assert by_name(2023)["Veteran's Day"].date == D(2023, 11, 11)


def test_only_the_holidays_of_section_10_1():
    names = [h.name for h in contract_holidays(2027)]
    assert len(names) == 11
    # Juneteenth (Mass. legal holiday since 2021; Monday 2028-06-19) and Evacuation Day (March 17,
    # Suffolk County) are not in Sec. 10.1.
    assert holiday_on(D(2028, 6, 19)) is None
    assert holiday_on(D(2027, 3, 17)) is None
    assert not any("Juneteenth" in n or "Evacuation" in n for n in names)


@pytest.mark.parametrize("year", range(2018, 2051))
def test_dates_agree_with_the_holidays_library_for_massachusetts(year):
    """Our own rule table against ``holidays.US(subdiv="MA")``: Sunday → Monday, Saturday stays."""
    lib_names = {
        "New Year's Day": "New Year's Day", "Martin Luther King Jr. Day": "Martin Luther King Day",
        "Washington's Birthday": "Washington's Birthday", "Patriots' Day": "Patriot's Day",
        "Memorial Day": "Memorial Day", "Independence Day": "Independence Day", "Labor Day": "Labor Day",
        "Columbus Day": "Columbus Day", "Veterans Day": "Veteran's Day", "Thanksgiving Day": "Thanksgiving Day",
        "Christmas Day": "Christmas Day",
    }
    expected: dict[str, dt.date] = {}
    for day, label in sorted(pyholidays.US(subdiv="MA", years=year).items()):
        for part in label.split("; "):
            observed = part.endswith(" (observed)")
            base = part.removesuffix(" (observed)")
            if base in lib_names and (observed or lib_names[base] not in expected):
                expected[lib_names[base]] = day
    assert {h.name: h.date for h in contract_holidays(year)} == expected


def test_employer_designation_replaces_the_date():
    # Christmas 2027 is a Saturday; the Employer designates Friday December 24 (Sec. 10.2)
    days = by_name(2027, designations=[Designation("Christmas Day", 2027, D(2027, 12, 24), "office closed Friday")])
    xmas = days["Christmas Day"]
    assert (xmas.date, xmas.observed_from, xmas.designated) == (D(2027, 12, 24), D(2027, 12, 25), True)
    assert "Sec. 10.2" in xmas.cite and xmas.reason == "office closed Friday"
    assert days["Thanksgiving Day"].date == D(2027, 11, 25)  # others untouched


def test_later_designation_supersedes_earlier():
    d1 = Designation("Christmas Day", 2027, D(2027, 12, 24), "first")
    d2 = Designation("Christmas Day", 2027, D(2027, 12, 27), "second")
    assert by_name(2027, designations=[d1, d2])["Christmas Day"].date == D(2027, 12, 27)


def test_designation_across_the_year_end_is_found_by_date():
    # New Year's Day 2028 is a Saturday; designated Friday 2027-12-31
    d = Designation("New Year's Day", 2028, D(2027, 12, 31))
    h = holiday_on(D(2027, 12, 31), designations=[d])
    assert h is not None and h.name == "New Year's Day" and h.year == 2028


def test_designation_of_a_day_that_is_not_a_contract_holiday_is_refused():
    with pytest.raises(ValueError, match="Juneteenth"):
        contract_holidays(2027, designations=[Designation("Juneteenth", 2027, D(2027, 6, 18))])


# --- Credit (Sec. 10.3–10.9) -------------------------------------------------------------------------

PATRIOTS_2027 = by_name(2027)["Patriot's Day"]       # Monday 2027-04-19
MEMORIAL_2027 = by_name(2027)["Memorial Day"]        # Monday 2027-05-31
THANKSGIVING_2027 = by_name(2027)["Thanksgiving Day"]  # Thursday 2027-11-25
CHRISTMAS_2027 = by_name(2027)["Christmas Day"]      # Saturday 2027-12-25


def answer(d):
    return d.extra["answer"]


def test_10_3_full_time_not_required_to_work_gets_the_regular_days_pay():
    d = holiday_credit(facts(), PATRIOTS_2027, worked=False)
    assert d.value == H(8)  # Sec. 10.9: a day of a 40-hour title is 8 h
    assert answer(d)["outcome"] == "holiday_pay" and answer(d)["paid_as"] == ["pay"]
    assert "Sec. 10.3" in d.citations and "Sec. 10.9" in d.citations and "Sec. 10.1" in d.citations


def test_10_3_a_37_5_hour_title_gets_7_5_hours():
    d = holiday_credit(facts(week=37.5, title=37.5), PATRIOTS_2027, worked=False)
    assert d.value == H("7.5")


def test_10_3_required_to_work_when_rostered_anyway_gets_a_comp_day_within_60_days():
    # Thanksgiving 2027-11-25 + 60 days: Nov 26–30 (5) + December (31) = 36, + 24 in January → 2028-01-24
    d = holiday_credit(facts(), THANKSGIVING_2027, worked=True, rostered_for_holiday=True)
    assert d.value == H(8)
    assert answer(d)["outcome"] == "comp_day" and answer(d)["comp_day_by"] == "2028-01-24"
    assert "Sec. 10.3" in d.citations and "Sec. 10.5" not in d.citations


def test_10_5_first_five_occasions_the_employee_elects():
    # Memorial Day 2027-05-31 + 60: June (30) → June 30 is +30, July 30 is +60 → 2027-07-30
    d = holiday_credit(facts(), MEMORIAL_2027, worked=True, prior_elections_this_year=4)
    assert d.value == H(8)
    a = answer(d)
    assert (a["outcome"], a["decided_by"], a["occasion"], a["comp_day_by"]) == ("employee_elects", "employee", 5,
                                                                               "2027-07-30")
    assert a["paid_as"] == ["pay", "comp_day"] and a["needs_human"] is True
    assert "Sec. 10.5" in d.citations


def test_10_5_after_five_occasions_a_comp_day():
    d = holiday_credit(facts(), MEMORIAL_2027, worked=True, prior_elections_this_year=5)
    assert answer(d)["outcome"] == "comp_day" and answer(d)["occasion"] == 6
    assert "Sec. 10.5" in d.citations and d.value == H(8)


def test_10_5_election_is_effective_from_2008():
    tree = default_tree()
    assert _election_times(tree, D(2007, 12, 31)) is None
    assert _election_times(tree, D(2008, 1, 1)) == 5


def test_10_4_saturday_holiday_pay_or_comp_day_at_the_employers_option():
    # Christmas 2027 is a Saturday; a Monday–Friday employee: Sec. 10.4. 2027-12-25 + 60:
    # Dec 26–31 (6) + January (31) = 37, + 23 in February → 2028-02-23
    d = holiday_credit(facts(), CHRISTMAS_2027, worked=False)
    a = answer(d)
    assert d.value == H(8)
    assert (a["outcome"], a["decided_by"], a["needs_human"], a["comp_day_by"]) == (
        "employer_chooses", "employer", True, "2028-02-23")
    assert "Sec. 10.4" in d.citations and "Sec. 10.3" not in d.citations


def test_10_6_a_part_time_proportion():
    # 20 of 40 hours, Monday–Friday 4 h: 8 × 20 / 40 = 4 h, all of Monday's scheduled hours
    d = holiday_credit(facts(week=20), PATRIOTS_2027, worked=False)
    assert d.value == H(4) and answer(d)["shortfall_hours"] == "0"
    assert "Sec. 10.6.A" in d.citations and "Sec. 10.6.B" not in d.citations
    # 22.5 of 37.5: 7.5 × 22.5 / 37.5 = 4.5 h
    assert holiday_credit(facts(week=22.5, title=37.5), PATRIOTS_2027, worked=False).value == H("4.5")


def test_10_6_b_part_time_shortfall_may_be_covered_by_other_leave():
    # 24 of 40 hours as Mon/Tue/Wed 8 h: 8 × 24 / 40 = 4.8 h credit; scheduled 8 h → 3.2 h short
    f = facts(week=24, schedule={"mon": 8, "tue": 8, "wed": 8})
    d = holiday_credit(f, PATRIOTS_2027, worked=False)
    assert d.value == H("4.8") and answer(d)["shortfall_hours"] == "3.2"
    assert "Sec. 10.6.B" in d.citations


def test_10_6_part_time_holiday_on_a_day_off_is_10_4_prorated():
    # Tue/Wed/Thu 8 h (24 h): Monday Patriot's Day is not a workday → Sec. 10.4 on 4.8 h
    f = facts(week=24, schedule={"tue": 8, "wed": 8, "thu": 8})
    d = holiday_credit(f, PATRIOTS_2027, worked=False)
    assert d.value == H("4.8") and answer(d)["outcome"] == "employer_chooses"


def test_10_9_long_workday_full_time_credit_is_the_8_hour_day():
    # 4 × 10 h Monday–Thursday = 40 h: the holiday is 8 h (Sec. 10.9); 2 h of Monday are not holiday hours
    f = facts(schedule={"mon": 10, "tue": 10, "wed": 10, "thu": 10})
    d = holiday_credit(f, PATRIOTS_2027, worked=False)
    assert d.value == H(8) and answer(d)["shortfall_hours"] == "2"
    assert "Sec. 10.6.B" not in d.citations


def test_10_7_a_without_pay_next_to_the_holiday_no_holiday_pay():
    d = holiday_credit(facts(), PATRIOTS_2027, worked=False, on_leave_without_pay_adjacent=True)
    assert d.value == 0 and answer(d)["outcome"] == "no_holiday_pay"
    assert "Sec. 10.7.A" in d.citations


def test_10_7_b_waiver_is_the_employers_decision():
    pending = holiday_credit(facts(), PATRIOTS_2027, worked=False, on_leave_without_pay_adjacent=True,
                             waiver_ground="severe_weather")
    assert pending.value == 0
    assert answer(pending)["outcome"] == "needs_decision" and answer(pending)["decided_by"] == "employer"
    assert answer(pending)["hours_if_waived"] == "8" and "Sec. 10.7.B" in pending.citations
    granted = holiday_credit(facts(), PATRIOTS_2027, worked=False, on_leave_without_pay_adjacent=True,
                             waiver_ground="beyond_control", tardy_micro=H(2), waived=True)
    assert granted.value == H(8) and answer(granted)["outcome"] == "holiday_pay"
    denied = holiday_credit(facts(), PATRIOTS_2027, worked=False, on_leave_without_pay_adjacent=True,
                            waiver_ground="severe_weather", waived=False)
    assert denied.value == 0 and any("Step III" in r for r in denied.reasons)


def test_10_7_b_tardy_more_than_two_hours_is_not_a_ground():
    d = holiday_credit(facts(), PATRIOTS_2027, worked=False, on_leave_without_pay_adjacent=True,
                       waiver_ground="beyond_control", tardy_micro=H("2.5"), waived=True)
    assert d.value == 0 and answer(d)["outcome"] == "no_holiday_pay"


def test_10_8_sick_for_the_whole_holiday_scheduled_to_work_no_credit():
    d = holiday_credit(facts(), THANKSGIVING_2027, worked=True, sick_on_holiday=True, rostered_for_holiday=True)
    assert d.value == 0 and answer(d)["outcome"] == "no_holiday_pay" and "Sec. 10.8" in d.citations


def test_10_8_sick_for_part_of_the_holiday_loses_that_portion():
    # scheduled 8 h, sick 2 h → worked 6 h: 8 × 6 / 8 = 6 h compensatory time (Sec. 10.3 ¶2, 10.8)
    d = holiday_credit(facts(), THANKSGIVING_2027, worked=True, sick_on_holiday=True, sick_micro=H(2),
                       rostered_for_holiday=True)
    assert d.value == H(6) and answer(d)["outcome"] == "comp_day"
    assert "Sec. 10.8" in d.citations


def test_10_8_does_not_touch_a_holiday_off():
    # not required to work: no sick leave is charged for a holiday off, so the day's pay stands
    d = holiday_credit(facts(), PATRIOTS_2027, worked=False, sick_on_holiday=True)
    assert d.value == H(8) and "Sec. 10.8" not in d.citations


def test_not_covered_or_not_employed():
    assert holiday_credit(facts(status="contractor"), PATRIOTS_2027, worked=False).value == 0
    late = facts(start=D(2027, 5, 1))
    assert answer(holiday_credit(late, PATRIOTS_2027, worked=False))["outcome"] == "not_covered"


def test_moved_holiday_cites_10_2():
    july4 = by_name(2027)["Independence Day"]  # Sunday → Monday 2027-07-05
    d = holiday_credit(facts(), july4, worked=False)
    assert d.value == H(8) and "Sec. 10.2" in d.citations and "2027-07-04" in d.reasons[0]
