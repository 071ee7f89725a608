"""``python -m openleave scenario docs/examples/holidays.yaml`` run as a subprocess; answers worked by hand."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "openleave", "scenario", *args], capture_output=True, text=True,
                          cwd=ROOT, input=stdin, timeout=60)


def test_holidays_example():
    out = run(str(ROOT / "docs" / "examples" / "holidays.yaml"))
    assert out.returncode == 0, out.stderr
    a = json.loads(out.stdout)["answers"]
    days = a["holidays_2027"]["value"]
    assert a["holidays_2027"]["unit"] == "holidays"
    assert [d["date"] for d in days] == [
        "2027-01-01",  # New Year's Day, Friday
        "2027-01-18",  # MLK: third Monday of January (4, 11, 18)
        "2027-02-15",  # Washington's Birthday: third Monday of February (1, 8, 15)
        "2027-04-19",  # Patriot's Day: third Monday of April (5, 12, 19)
        "2027-05-31",  # Memorial Day: last Monday of May
        "2027-07-05",  # Independence Day: Sunday July 4 → Monday July 5
        "2027-09-06",  # Labor Day: first Monday of September
        "2027-10-11",  # Columbus Day: second Monday of October (4, 11)
        "2027-11-11",  # Veteran's Day, Thursday
        "2027-11-25",  # Thanksgiving: fourth Thursday of November (4, 11, 18, 25)
        "2027-12-25",  # Christmas, Saturday: stays
    ]
    assert days[5] == {"date": "2027-07-05", "name": "Independence Day", "cite": "Sec. 10.1; Sec. 10.2",
                       "observed_from": "2027-07-04"}
    assert days[3] == {"date": "2027-04-19", "name": "Patriot's Day", "cite": "Sec. 10.1"}
    # Sec. 10.3: a regular workday off → the day's pay, 8 h (Sec. 10.9)
    p = a["patriots_day_off"]
    assert (p["value"], p["outcome"]) == ("8", "holiday_pay") and "Sec. 10.3" in p["citations"]
    # Sec. 10.5: required to work, first occasion → employee elects; 2027-05-31 + 60 days = 2027-07-30
    m = a["memorial_day_worked"]
    assert (m["value"], m["outcome"], m["comp_day_by"]) == ("8", "employee_elects", "2027-07-30")
    # Sec. 10.4: Saturday → Employer's option; 2027-12-25 + 60 = 2028-02-23
    c = a["christmas_saturday"]
    assert (c["value"], c["outcome"], c["comp_day_by"]) == ("8", "employer_chooses", "2028-02-23")
    # Sec. 10.7.A: leave without pay on the Friday before Labor Day → no holiday pay
    lab = a["labor_day_lwop_before"]
    assert (lab["value"], lab["outcome"]) == ("0", "no_holiday_pay") and "Sec. 10.7.A" in lab["citations"]


SCENARIO = """
employee: {service_start: 2015-09-15, schedule_hours_per_week: 20}
questions:
  - id: q
    holiday_credit: {date: %s, worked: false%s}
"""


def test_part_time_and_designation_from_stdin():
    # 20 of 40 h: 8 × 20 / 40 = 4 h (Sec. 10.6.A)
    out = run("-", stdin=SCENARIO % ("2027-04-19", ""))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["answers"]["q"]["value"] == "4"
    # Christmas 2027 designated on Friday 2027-12-24 (Sec. 10.2): a workday off → Sec. 10.3, 4 h
    extra = ', designations: [{name: "Christmas Day", date: 2027-12-24, year: 2027, reason: closed}]'
    out = run("-", stdin=SCENARIO % ("2027-12-24", extra))
    assert out.returncode == 0, out.stderr
    q = json.loads(out.stdout)["answers"]["q"]
    assert (q["value"], q["outcome"]) == ("4", "holiday_pay") and "Sec. 10.2" in q["citations"]


def test_a_day_that_is_not_a_holiday_is_an_error_naming_the_key():
    out = run("-", stdin=SCENARIO % ("2028-06-19", ""))  # Juneteenth is not in Sec. 10.1
    assert out.returncode == 2
    assert "questions[0].holiday_credit.date" in out.stderr and "not a holiday" in out.stderr
