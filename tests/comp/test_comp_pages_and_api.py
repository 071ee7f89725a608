"""The pages and the API: HR / the supervisor record, the employee sees the last days; bad input → 4xx naming the field."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from openleave.comp.models import CompTimeEarning, HolidayOccasion
from openleave.ledger.models import Leave, LedgerEntry

pytestmark = pytest.mark.django_db
D = dt.date


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_records_and_the_employee_reads_them(client_for, users, people):
    erin = people["erin"]
    c = client_for(users["hr"])
    r = post(c, f"/api/employees/{erin.employee_number}/comp/holidays",
             {"holiday_date": "2026-11-26", "situation": "worked_rostered", "outcome": "comp_day", "chosen_by": "employer"})
    assert r.status_code == 201, r.content
    body = r.json()
    # Thanksgiving 2026-11-26 + 60 = 2027-01-25 (Nov 27..30 = 4, Dec = 31, Jan 1..25); a 7.5 h day (Sec. 10.9).
    assert (body["section"], body["last_day"], body["hours"]) == ("10.3", "2027-01-25", "7.5")
    r = post(c, f"/api/employees/{erin.employee_number}/comp/time", {"worked_on": "2026-11-30", "overtime_hours": "10"})
    assert r.status_code == 201 and (r.json()["earned"], r.json()["credited"]) == ("15", "15")
    c = client_for(users["employee"])
    r = c.get(f"/api/employees/{erin.employee_number}/comp")
    assert r.status_code == 200
    rec = r.json()
    assert rec["comp_time_balance"] == "15"
    assert [(d["holiday"], d["last_day"], d["remaining"]) for d in rec["comp_days"]] == [("2026-11-26", "2027-01-25", "7.5")]
    bal = {b["leave"]: b["hours"] for b in c.get(f"/api/employees/{erin.employee_number}/balances").json()}
    assert (bal["comp_time"], bal["holiday"]) == ("15", "7.5")


@pytest.mark.parametrize("path, body, status, field", [
    ("holidays", {"holiday_date": "2026-11-25", "situation": "worked_rostered", "outcome": "comp_day",
                  "chosen_by": "employer"}, 400, "holiday_date"),  # a Wednesday, not a holiday
    ("holidays", {"holiday_date": "2026-11-26", "situation": "worked_rostered", "outcome": "comp_day",
                  "chosen_by": "employee"}, 400, "chosen_by"),  # Sec. 10.3: no election
    ("holidays", {"holiday_date": "2026-11-26", "situation": "sideways", "outcome": "comp_day",
                  "chosen_by": "employer"}, 422, "situation"),
    ("time", {"worked_on": "2026-11-30", "overtime_hours": "-2"}, 400, "overtime_hours"),
    ("time", {"worked_on": "2026-11-30", "overtime_hours": "ten"}, 422, "overtime_hours"),
    ("time", {"worked_on": "2026-11-30", "overtime_hours": "1.25"}, 400, "overtime_hours"),
    ("taken", {"date": "2026-11-30"}, 400, "date"),  # no compensatory day to take
])
def test_api_bad_input_names_the_field_and_writes_nothing(client_for, users, people, path, body, status, field):
    erin = people["erin"]
    r = post(client_for(users["hr"]), f"/api/employees/{erin.employee_number}/comp/{path}", body)
    assert r.status_code == status, r.content
    assert r.json().get("field") == field
    assert not HolidayOccasion.objects.exists() and not CompTimeEarning.objects.exists()
    assert not LedgerEntry.objects.filter(leave__in=[Leave.COMP, Leave.HOLIDAY]).exists()


def test_api_who_may_not(client_for, users, people):
    erin = people["erin"]
    body = {"worked_on": "2026-11-30", "overtime_hours": "2"}
    assert post(client_for(users["hr"]), "/api/employees/999999/comp/time", body).status_code == 404
    assert post(client_for(users["employee"]), f"/api/employees/{erin.employee_number}/comp/time", body).status_code == 403
    assert post(client_for(users["auditor"]), f"/api/employees/{erin.employee_number}/comp/time", body).status_code == 403
    # the steward without Erin's consent, and a supervisor of another agency: it looks like nobody is there
    for who in ("steward",):
        c = client_for(users[who])
        assert c.get(f"/api/employees/{erin.employee_number}/comp").status_code == 404
        assert post(c, f"/api/employees/{erin.employee_number}/comp/time", body).status_code == 404
    assert not CompTimeEarning.objects.exists()


def test_pages_supervisor_records_employee_sees_last_day_on_ledger(client_for, users, people):
    erin = people["erin"]
    c = client_for(users["supervisor"])
    r = c.post(f"/employees/{erin.employee_number}/comp/holiday/",
               {"holiday_date": "2026-11-26", "situation": "worked_rostered", "outcome": "comp_day",
                "chosen_by": "employer", "reasons": ""})
    assert r.status_code == 302
    r = c.post(f"/employees/{erin.employee_number}/comp/time/",
               {"worked_on": "2026-11-30", "overtime_hours": "abc", "requested_by_employee": "on"})
    assert r.status_code == 400 and "is not a number of hours" in r.content.decode()
    c = client_for(users["employee"])
    page = c.get(f"/employees/{erin.employee_number}/comp/").content.decode()
    assert "2027-01-25" in page and "Record comp time earned" not in page  # she sees, she does not record
    ledger = c.get(f"/employees/{erin.employee_number}/ledger/").content.decode()
    assert "Compensatory days and when they end" in ledger and "2027-01-25" in ledger
    assert c.post(f"/employees/{erin.employee_number}/comp/time/",
                  {"worked_on": "2026-11-30", "overtime_hours": "2", "requested_by_employee": "on"}).status_code == 403
