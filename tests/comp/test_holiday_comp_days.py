"""Sec. 10.3, 10.4, 10.5: a holiday worked or on a day off posts a compensatory day to the ledger, with who chose.

Erin Doyle: Food Service Worker I, a 37.5-hour title, Monday–Friday — a day is 7.5 h (Sec. 10.9).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from openleave.audit.models import AccessLog
from openleave.comp.models import HolidayOccasion
from openleave.comp.services import CompError
from openleave.ledger.models import Kind, Leave, LedgerEntry

pytestmark = pytest.mark.django_db
D = dt.date
DAY = 7_500_000  # 7.5 h: Sec. 10.9 for a 37.5-hour title


NY = ZoneInfo("America/New_York")


def at(y: int, m: int, d: int) -> dt.datetime:
    """Noon in the organisation's time zone on that day (for the frozen clock)."""
    return dt.datetime(y, m, d, 12, tzinfo=NY)



def comp_entries(emp):
    return list(LedgerEntry.objects.filter(employee=emp, leave=Leave.HOLIDAY).order_by("id"))


@pytest.mark.clock(at(2026, 7, 6), tick=False)
def test_saturday_holiday_is_a_day_off_the_employer_chooses_and_the_comp_day_ends_sep_2(erin, record, users):
    # Independence Day 2026 falls on Saturday and stays there; Saturday is not Erin's workday → Sec. 10.4.
    with pytest.raises(CompError) as exc:
        record(erin, D(2026, 7, 4), situation="day_off", chosen_by="employee")
    assert exc.value.field == "chosen_by" and "Sec. 10.4" in exc.value.message
    with pytest.raises(CompError) as exc:
        record(erin, D(2026, 7, 4), situation="day_off")
    assert exc.value.field == "reasons"
    with pytest.raises(CompError) as exc:  # Saturday is no regular workday: not "worked_rostered"
        record(erin, D(2026, 7, 4))
    assert exc.value.field == "situation"
    assert comp_entries(erin) == [] and not HolidayOccasion.objects.exists()

    occ = record(erin, D(2026, 7, 4), situation="day_off", reasons="kitchen short-staffed until September")
    assert (occ.section, occ.chosen_by, occ.decided_by, occ.outcome) == ("10.4", "employer", users["hr"], "comp_day")
    # Jul 4 + 60 calendar days = Sep 2 (27 days left in July, 31 in August, then 2).
    assert occ.last_day == D(2026, 9, 2)
    [entry] = comp_entries(erin)
    assert (entry.kind, entry.micro, entry.effective_date, entry.vintage) == (Kind.EARNED, DAY, D(2026, 7, 4), 2026)
    assert entry.cite.startswith("Sec. 10.4") and "Sec. 10.9" in entry.cite and "2026-09-02" in entry.reason
    assert AccessLog.objects.filter(subject=erin, object_type="holiday_occasion", actor=users["hr"]).count() == 1
    assert AccessLog.objects.filter(subject=erin, object_type="ledger_entry", object_id=str(entry.pk)).count() == 1
    with pytest.raises(CompError) as exc:  # once per holiday
        record(erin, D(2026, 7, 4), situation="day_off", reasons="again")
    assert exc.value.status == 409 and exc.value.field == "holiday_date"


@pytest.mark.clock(at(2027, 7, 6), tick=False)
def test_sunday_holiday_is_worked_on_the_observed_monday_and_its_comp_day_ends_sep_3(erin, record):
    # Independence Day 2027 is a Sunday; the Commonwealth's legal holiday is Monday 2027-07-05 (Sec. 10.2).
    with pytest.raises(CompError) as exc:
        record(erin, D(2027, 7, 4))
    assert exc.value.field == "holiday_date" and "not an Art. 10 holiday" in exc.value.message
    with pytest.raises(CompError) as exc:
        record(erin, D(2027, 7, 7))  # an ordinary Wednesday
    assert exc.value.field == "holiday_date"
    occ = record(erin, D(2027, 7, 5))  # rostered to work it: Sec. 10.3, no election
    assert occ.section == "10.3" and occ.last_day == D(2027, 9, 3)  # Jul 5 + 60: 26 + 31 + 3
    assert "Sec. 10.2" in occ.cite
    [entry] = comp_entries(erin)
    assert (entry.micro, entry.effective_date, entry.vintage) == (DAY, D(2027, 7, 5), 2027)


def test_fifth_occasion_is_the_employees_election_the_sixth_is_not(erin, record):
    # Sec. 10.5 (from 2008-01-01): the first five occasions of a calendar year the employee elects pay or a
    # compensatory day. 2026 holidays on Erin's regular workdays, worked on her regular shift:
    for day in (D(2026, 1, 1), D(2026, 1, 19), D(2026, 2, 16), D(2026, 4, 20)):  # occasions 1-4: pay
        record(erin, day, situation="worked_regular_shift", outcome="pay", chosen_by="employee")
    with pytest.raises(CompError) as exc:  # occasion 5 is the employee's choice, not the employer's
        record(erin, D(2026, 11, 11), situation="worked_regular_shift", chosen_by="employer")
    assert exc.value.field == "chosen_by"
    fifth = record(erin, D(2026, 11, 11), situation="worked_regular_shift", chosen_by="employee")
    assert (fifth.section, fifth.occasion, fifth.outcome) == ("10.5", 5, "comp_day")
    assert fifth.last_day == D(2027, 1, 10)  # Nov 11 + 60: 19 + 31 + 10
    # The sixth (Thanksgiving, Thu 2026-11-26): no election once five occasions have passed.
    with pytest.raises(CompError) as exc:
        record(erin, D(2026, 11, 26), situation="worked_regular_shift", outcome="pay", chosen_by="employee")
    assert exc.value.field == "chosen_by" and "Sec. 10.5" in exc.value.message
    assert HolidayOccasion.objects.filter(employee=erin).count() == 5 and len(comp_entries(erin)) == 1
    with pytest.raises(CompError) as exc:  # pay instead only if the agency cannot grant the day, with reasons
        record(erin, D(2026, 11, 26), situation="worked_regular_shift", outcome="pay")
    assert exc.value.field == "reasons"
    sixth = record(erin, D(2026, 11, 26), situation="worked_regular_shift")
    assert (sixth.section, sixth.occasion, sixth.chosen_by) == ("10.5", 6, "employer")
    assert sixth.last_day == D(2027, 1, 25)  # Nov 26 + 60: 4 + 31 + 25
    assert [e.micro for e in comp_entries(erin)] == [DAY, DAY]
    # The count is per calendar year: the days of 2026 do not count in 2027 (checked by the occasion number).
    assert list(HolidayOccasion.objects.filter(employee=erin, year=2026).values_list("occasion", flat=True)) == \
        [1, 2, 3, 4, 5, 6]


def test_a_comp_day_whose_window_has_passed_is_refused_and_pay_is_recorded(erin, record):
    # Labor Day 2026-09-07 + 60 = 2026-11-06, before today (2026-12-01).
    with pytest.raises(CompError) as exc:
        record(erin, D(2026, 9, 7))
    assert exc.value.field == "outcome" and "2026-11-06" in exc.value.message
    occ = record(erin, D(2026, 9, 7), outcome="pay", reasons="the window passed before it was recorded")
    assert occ.entry is None and comp_entries(erin) == []


def test_who_may_record(erin, record, users, people):
    for who in ("employee", "auditor"):
        with pytest.raises(CompError) as exc:
            record(erin, D(2026, 11, 26), by=users[who])
        assert exc.value.status == 403
    from openleave.policy import NotVisible

    with pytest.raises(NotVisible):
        record(people["dana"], D(2026, 11, 26), by=users["supervisor"])  # another agency's employee
    occ = record(erin, D(2026, 11, 26), by=users["supervisor"])  # her own supervisor
    assert occ.recorded_by == users["supervisor"]
