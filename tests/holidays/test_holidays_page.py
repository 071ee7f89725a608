"""The holidays page: every signed-in user; HR of the agency may designate an alternative day."""

from __future__ import annotations

import datetime as dt

import pytest

from openleave.holidays.models import HolidayDesignation


def test_signed_out_is_sent_to_sign_in(client, demo):
    r = client.get("/holidays/?year=2027")
    assert r.status_code == 302 and "/login/" in r["Location"]


@pytest.mark.parametrize("who", ["employee", "supervisor", "hr", "medical", "steward", "auditor", "admin"])
def test_everyone_signed_in_sees_the_years_holidays_with_citations(client_for, users, who):
    r = client_for(users[who]).get("/holidays/?year=2027")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Patriot&#x27;s Day" in html and "April 19, 2027" in html  # third Monday of April
    assert "July 5, 2027" in html and "Sec. 10.1; Sec. 10.2" in html  # Sunday July 4 → Monday
    assert "Juneteenth" in html  # only in the note saying it is not a Sec. 10.1 holiday
    assert "June 19" not in html
    assert ("Designate an alternative day" in html) == (who in ("hr", "admin"))


def test_hr_designates_and_the_page_shows_it(client_for, users):
    c = client_for(users["hr"])
    agency = users["hr"].agency
    r = c.post(f"/holidays/?year=2027&agency={agency.code}", {
        "agency": agency.pk, "holiday_name": "Christmas Day", "year": 2027, "designated_date": "2027-12-24",
        "reason": "Friday before a Saturday Christmas"})
    assert r.status_code == 302
    row = HolidayDesignation.objects.get()
    assert (row.designated_date, row.designated_by, row.agency) == (dt.date(2027, 12, 24), users["hr"], agency)
    html = c.get(f"/holidays/?year=2027&agency={agency.code}").content.decode()
    assert "December 24, 2027" in html and "Designated by the Employer" in html


def test_employee_cannot_post_a_designation(client_for, users):
    r = client_for(users["employee"]).post("/holidays/?year=2027", {
        "holiday_name": "Christmas Day", "year": 2027, "designated_date": "2027-12-24", "reason": "x"})
    assert r.status_code == 403
    assert not HolidayDesignation.objects.exists()


def test_invalid_designation_is_shown_not_saved(client_for, users):
    r = client_for(users["hr"]).post("/holidays/?year=2027", {
        "agency": users["hr"].agency.pk, "holiday_name": "Christmas Day", "year": 2027,
        "designated_date": "2030-12-24", "reason": "far"})
    assert r.status_code == 400 and "too far" in r.content.decode()
    assert not HolidayDesignation.objects.exists()


def test_admin_adds_through_the_service_and_cannot_change(client_for, users):
    c = client_for(users["admin"])
    r = c.post("/admin/holidays/holidaydesignation/add/", {
        "agency": "", "holiday_name": "Labor Day", "year": 2027, "designated_date": "2027-09-07", "reason": "storm"})
    assert r.status_code == 302, r.content.decode()[:2000]
    row = HolidayDesignation.objects.get()
    assert row.designated_by == users["admin"] and row.agency is None
    page = c.get(f"/admin/holidays/holidaydesignation/{row.pk}/change/")
    assert page.status_code == 200 and b'name="reason"' not in page.content  # read only
