"""A new user's first run works on every day of the year.

Each test here runs once at each instant of the clock sweep (``tests/conftest.py`` ``SWEEP``: 24 and 31
December, 1 January, the Saturday before the first full pay period of January, 29 February 2028, both
daylight-saving changes, 30 June / 1 July, and 23:30 in New York when the UTC date is already tomorrow).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from openleave import clock
from openleave.holidays.selectors import holiday_dates
from openleave.leave.models import LeaveRequest
from openleave.rules.schedule import scheduled_micro_on

pytestmark = [pytest.mark.django_db, pytest.mark.every_day]

STATES = ["approved", "cancelled", "denied", "partly_approved", "submitted", "taken"]


def test_today_is_the_organisations_date_not_utcs(clock_instant):
    assert clock.today() == clock_instant.date()  # the New York date, at 23:30 too
    assert timezone.now().astimezone(dt.UTC).date() >= clock.today()


@pytest.fixture
def demo_loaded(people):
    call_command("load_demo_leave", verbosity=0)
    call_command("load_demo_requests", verbosity=0)
    return people


def test_demo_loads_every_state_on_working_days(demo_loaded):
    team = LeaveRequest.objects.filter(employee__agency__code="DMH").select_related("employee__agency", "employee__title")
    assert sorted(team.values_list("status", flat=True)) == STATES
    today = clock.today()
    for req in team:
        holidays = holiday_dates(req.employee.agency, req.start_date, req.end_date)
        facts = req.employee.facts()
        day = req.start_date
        while day <= req.end_date:  # every asked day is scheduled and no Art. 10 holiday
            assert scheduled_micro_on(facts, day, holidays) > 0, (req.status, day)
            day += dt.timedelta(days=1)
        if req.status == "taken":
            assert req.end_date < today
        else:
            assert req.start_date > today
    assert team.get(status="partly_approved").approved_micro == 7_500_000  # one 7.5 h day of two (Sec. 9.16)


def test_first_pages_answer_for_every_role(demo_loaded, users, client_for):
    erin = demo_loaded["erin"]
    pages = {
        "employee": ["/", "/leave/", "/leave/new/", "/me/access/", "/me/consents/", f"/employees/{erin.employee_number}/ledger/",
                     "/leave/calendar.ics", "/holidays/"],
        "supervisor": ["/", "/leave/queue/", "/leave/team/", "/leave/team/summary.csv", "/holidays/"],
        "hr": ["/", "/employees/", f"/employees/{erin.employee_number}/ledger/", "/leave/queue/", "/holidays/",
               "/privacy/aggregates/"],
        "auditor": ["/", "/employees/"],
    }
    for username, urls in pages.items():
        c = client_for(users[username])
        for url in urls:
            assert c.get(url).status_code == 200, (username, url)
    queue = client_for(users["supervisor"]).get("/leave/queue/").content.decode()
    assert "Erin Doyle" in queue  # her pending personal leave awaits Sean


def test_api_balance_defaults_to_todays_local_date(demo_loaded, users, client_for):
    c = client_for(users["employee"])
    rows = c.get(f"/api/employees/{demo_loaded['erin'].employee_number}/balances").json()
    assert rows and {r["on"] for r in rows} == {clock.today().isoformat()}
