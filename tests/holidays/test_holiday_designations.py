"""Sec. 10.2 designations: append-only rows, the newest superseding; ``holiday_dates`` for the request checks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from openleave.holidays.models import AppendOnly, HolidayDesignation
from openleave.holidays.selectors import holiday_dates, year_holidays
from openleave.holidays.services import DesignationInvalid, holiday_designate
from openleave.people.models import Agency

D = dt.date


@pytest.fixture
def dmh(demo):
    return Agency.objects.get(code="DMH")


@pytest.fixture
def dcr(demo):
    return Agency.objects.get(code="DCR")


def test_holiday_dates_without_designations_are_the_contract_holidays(dmh):
    # December 2027: Christmas, Saturday 2027-12-25, stays on the Saturday
    assert holiday_dates(dmh, D(2027, 12, 1), D(2027, 12, 31)) == {D(2027, 12, 25)}
    # July 2027: Independence Day, Sunday July 4 → Monday July 5
    assert holiday_dates(dmh, D(2027, 7, 1), D(2027, 7, 31)) == {D(2027, 7, 5)}
    # the whole of 2027: eleven days
    assert len(holiday_dates(dmh, D(2027, 1, 1), D(2027, 12, 31))) == 11
    assert holiday_dates(dmh, D(2027, 2, 1), D(2027, 1, 1)) == set()


def test_designation_supersedes_and_keeps_history(users, dmh, dcr):
    hr = users["hr"]  # HR of DMH
    first = holiday_designate(agency=dmh, holiday_name="Christmas Day", year=2027, designated_date=D(2027, 12, 24),
                              reason="Friday before a Saturday Christmas", by=hr)
    assert holiday_dates(dmh, D(2027, 12, 1), D(2027, 12, 31)) == {D(2027, 12, 24)}
    second = holiday_designate(agency=dmh, holiday_name="Christmas Day", year=2027, designated_date=D(2027, 12, 27),
                               reason="Monday after instead", by=hr)
    assert second.supersedes_id == first.pk
    assert holiday_dates(dmh, D(2027, 12, 1), D(2027, 12, 31)) == {D(2027, 12, 27)}
    assert HolidayDesignation.objects.count() == 2  # the first row is kept, superseded
    first.refresh_from_db()
    assert first.superseded_by == second
    # another agency is untouched
    assert holiday_dates(dcr, D(2027, 12, 1), D(2027, 12, 31)) == {D(2027, 12, 25)}
    xmas = {h.name: h for h in year_holidays(dmh, 2027)}["Christmas Day"]
    assert (xmas.observed_from, xmas.reason) == (D(2027, 12, 25), "Monday after instead")


def test_agency_designation_wins_over_commonwealth_wide(users, dmh, dcr):
    admin = users["admin"]
    holiday_designate(agency=None, holiday_name="Christmas Day", year=2027, designated_date=D(2027, 12, 24),
                      reason="Commonwealth-wide", by=admin)
    holiday_designate(agency=dmh, holiday_name="Christmas Day", year=2027, designated_date=D(2027, 12, 27),
                      reason="DMH 24/7 staffing", by=users["hr"])
    assert D(2027, 12, 27) in holiday_dates(dmh, D(2027, 12, 1), D(2027, 12, 31))
    assert holiday_dates(dcr, D(2027, 12, 1), D(2027, 12, 31)) == {D(2027, 12, 24)}
    assert holiday_dates(None, D(2027, 12, 1), D(2027, 12, 31)) == {D(2027, 12, 24)}


def test_designation_across_the_year_end(users, dmh):
    # New Year's Day 2028 is a Saturday; designated Friday 2027-12-31 → in a December 2027 range
    holiday_designate(agency=dmh, holiday_name="New Year's Day", year=2028, designated_date=D(2027, 12, 31),
                      reason="Friday before", by=users["hr"])
    assert holiday_dates(dmh, D(2027, 12, 1), D(2027, 12, 31)) == {D(2027, 12, 25), D(2027, 12, 31)}
    assert D(2028, 1, 1) not in holiday_dates(dmh, D(2028, 1, 1), D(2028, 1, 31))


def test_rows_are_append_only(users, dmh):
    row = holiday_designate(agency=dmh, holiday_name="Labor Day", year=2027, designated_date=D(2027, 9, 7),
                            reason="test", by=users["hr"])
    row.reason = "changed"
    with pytest.raises(AppendOnly):
        row.save()
    with pytest.raises(AppendOnly):
        row.delete()
    with pytest.raises(AppendOnly):
        HolidayDesignation.objects.filter(pk=row.pk).update(reason="x")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:  # the database trigger
        cur.execute("UPDATE holidays_holidaydesignation SET reason = 'x'")


def test_only_hr_of_the_agency_designates(users, dmh, dcr):
    kw = {"holiday_name": "Labor Day", "year": 2027, "designated_date": D(2027, 9, 7), "reason": "r"}
    with pytest.raises(DesignationInvalid):
        holiday_designate(agency=dcr, by=users["hr"], **kw)  # HR of DMH, not DCR
    for name in ("employee", "supervisor", "auditor", "steward"):
        with pytest.raises(DesignationInvalid):
            holiday_designate(agency=dmh, by=users[name], **kw)


def test_designation_must_name_a_section_10_1_holiday_and_give_a_reason(users, dmh):
    with pytest.raises(DesignationInvalid, match="not a holiday"):
        holiday_designate(agency=dmh, holiday_name="Juneteenth", year=2027, designated_date=D(2027, 6, 18),
                          reason="r", by=users["hr"])
    with pytest.raises(DesignationInvalid, match="reason"):
        holiday_designate(agency=dmh, holiday_name="Labor Day", year=2027, designated_date=D(2027, 9, 7),
                          reason="  ", by=users["hr"])
