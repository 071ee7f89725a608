"""Leave UI gaps (issue 6): amend a request from its page, HR entering a request on an employee's behalf,
and HR / the Appointing Authority recording a declared state of emergency (MOU) that emergency requests
are then checked under."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from openleave import policy
from openleave.audit.models import AccessLog
from openleave.leave import selectors as sel
from openleave.leave import services as svc
from openleave.leave.errors import LeaveError
from openleave.leave.models import LeaveRequest, Notification, StateOfEmergency

pytestmark = pytest.mark.django_db


def _form(kind, start, end=None, **extra):
    return {"kind": kind, "start_date": start, "end_date": end or start, **extra}


# --- amend ---------------------------------------------------------------------------------------

def test_employee_amends_a_pending_request_from_its_page(erin, users, client_for, ask):
    old = svc.leave_request_submit(employee=erin, user=users["employee"], data=ask("vacation", "2026-12-07"))
    c = client_for(users["employee"])
    assert "Amend this request" in c.get(f"/leave/requests/{old.pk}/").content.decode()
    page = c.get(f"/leave/requests/{old.pk}/amend/").content.decode()
    assert 'value="2026-12-07"' in page and f'name="amends" value="{old.pk}"' in page
    r = c.post(f"/leave/requests/{old.pk}/amend/", _form("vacation", "2026-12-08", "2026-12-09"))
    assert r.status_code == 302
    new = LeaveRequest.objects.get(amends=old)
    old.refresh_from_db()
    assert old.status == "amended" and new.status == "submitted" and new.requested_micro == 15_000_000
    # An amended request cannot be amended again; the page says why.
    r = c.post(f"/leave/requests/{old.pk}/amend/", _form("vacation", "2026-12-10"), follow=True)
    assert "cannot be amended" in r.content.decode() and not LeaveRequest.objects.filter(amends=new).exists()


def test_amend_form_shows_a_clear_error_and_writes_nothing(erin, users, client_for, ask):
    old = svc.leave_request_submit(employee=erin, user=users["employee"], data=ask("vacation", "2026-12-07"))
    r = client_for(users["employee"]).post(f"/leave/requests/{old.pk}/amend/", _form("vacation", "2026-12-09", "2026-12-08"))
    assert r.status_code == 400 and "ends (2026-12-08) before it starts" in r.content.decode()
    old.refresh_from_db()
    assert old.status == "submitted" and LeaveRequest.objects.count() == 1


def test_the_supervisor_cannot_amend_their_reports_request(erin, users, client_for, ask):
    old = svc.leave_request_submit(employee=erin, user=users["employee"], data=ask("vacation", "2026-12-07"))
    assert client_for(users["supervisor"]).get(f"/leave/requests/{old.pk}/amend/").status_code == 404


def test_amend_preview_gives_back_the_old_requests_reservation(erin, users, client_for, ask):
    old = svc.leave_request_submit(employee=erin, user=users["employee"], data=ask("personal", "2026-12-07", "2026-12-08"))
    html = client_for(users["employee"]).post("/leave/new/preview/", {**_form("personal", "2026-12-07"),
                                                                       "amends": old.pk}).content.decode()
    # Erin holds 15 h of personal leave; the old request reserves 2 days × 7.5 h = 15 h of it. Amending it to
    # one day (7.5 h, Sec. 8.2.B hour for hour) must count against the 15 h the old request gives back:
    # now 15 h, after 15 − 7.5 = 7.5 h — not 0 − 7.5, which it would be if the old reservation still held.
    text = re.sub(r"<[^>]+>", " ", html)
    assert re.search(r"Personal leave\s+15\s+7\.5\b", text), text
    assert "7.5 of 7.5 h may be granted" in text


# --- on the employee's behalf --------------------------------------------------------------------

def test_hr_enters_a_request_for_an_employee_who_is_told(erin, users, client_for):
    c = client_for(users["hr"])
    assert "Doyle" in c.get("/leave/new/for/").content.decode()
    assert "on Erin Doyle's behalf" in c.get("/leave/new/?for=100002").content.decode()
    r = c.post("/leave/new/", {**_form("vacation", "2026-12-07"), "for": "100002"})
    assert r.status_code == 302
    req = LeaveRequest.objects.get(employee=erin)
    assert req.created_by == users["hr"] and req.status == "submitted"
    n = Notification.objects.get(user=users["employee"], request=req)
    assert n.subject == "A leave request was entered for you" and "Helen Rivera" in n.body
    assert AccessLog.objects.filter(actor=users["hr"], subject=erin, fields__contains="on the employee's behalf").exists()
    page = client_for(users["employee"]).get(f"/leave/requests/{req.pk}/").content.decode()
    assert "Entered by" in page and "Helen Rivera" in page


def test_only_hr_of_the_agency_enters_requests_for_others(erin, users, people, client_for, ask):
    for role in ("supervisor", "auditor", "steward", "employee"):
        r = client_for(users[role]).post("/leave/new/", {**_form("vacation", "2026-12-07"), "for": "100002"})
        assert r.status_code == 404, role
    assert client_for(users["hr"]).get(f"/leave/new/?for={people['dana'].employee_number}").status_code == 404
    with pytest.raises(policy.NotVisible):
        svc.leave_request_submit(employee=erin, user=users["supervisor"], data=ask("vacation", "2026-12-07"))
    assert not LeaveRequest.objects.exists()


# --- state of emergency --------------------------------------------------------------------------

@pytest.fixture
def emergency_erin(erin):
    erin.emergency_personnel = True
    erin.save(update_fields=["emergency_personnel"])
    return erin


def _hardship(start, end=None):
    return svc.parse_input({"kind": "emergency", "start_date": start, "end_date": end or start,
                            "facts": {"purpose": "hardship", "documented_hardship": True}})


def test_hardship_leave_needs_a_declared_state_of_emergency_recorded_by_hr(emergency_erin, users, client_for):
    with pytest.raises(LeaveError, match="declared state of emergency"):
        svc.leave_request_submit(employee=emergency_erin, user=users["employee"], data=_hardship("2026-12-07"))
    c = client_for(users["hr"])
    assert c.get("/leave/emergency/").status_code == 200
    r = c.post("/leave/emergency/", {"agency": "DMH", "start_date": "2026-12-07", "end_date": "2026-12-08",
                                     "reason": "Governor's declaration: blizzard"})
    assert r.status_code == 302 and StateOfEmergency.objects.get().declared_by == users["hr"]
    req = svc.leave_request_submit(employee=emergency_erin, user=users["employee"], data=_hardship("2026-12-07"))
    assert req.finding_at_submission["outcome"] == "allowed" and req.reserved == {"personal": 7_500_000}
    assert "Governor" in c.get("/leave/emergency/").content.decode()


def test_the_declaration_must_cover_every_day_of_the_request(emergency_erin, users):
    dmh = emergency_erin.agency
    svc.emergency_declare(agency=dmh, start_date=dt.date(2026, 12, 7), end_date=dt.date(2026, 12, 8),
                          reason="Blizzard", user=users["hr"])
    assert sel.state_of_emergency(dmh, dt.date(2026, 12, 7), dt.date(2026, 12, 8))
    assert not sel.state_of_emergency(dmh, dt.date(2026, 12, 7), dt.date(2026, 12, 9))
    svc.emergency_declare(agency=dmh, start_date=dt.date(2026, 12, 9), end_date=dt.date(2026, 12, 9),
                          reason="Blizzard, extended", user=users["hr"])
    assert sel.state_of_emergency(dmh, dt.date(2026, 12, 7), dt.date(2026, 12, 9))  # adjoining declarations
    assert not sel.state_of_emergency(dmh, dt.date(2026, 12, 6), dt.date(2026, 12, 7))


def test_only_hr_or_the_aa_of_the_agency_records_one_with_clear_errors(users, people, client_for):
    for role in ("employee", "supervisor", "auditor", "steward", "medical"):
        assert client_for(users[role]).get("/leave/emergency/").status_code == 404, role
    r = client_for(users["hr"]).post("/leave/emergency/", {"agency": "DMH", "start_date": "2026-12-09",
                                                           "end_date": "2026-12-08", "reason": "Blizzard"})
    assert r.status_code == 400 and "ends (2026-12-08) before it starts (2026-12-09)" in r.content.decode()
    r = client_for(users["hr"]).post("/leave/emergency/", {"agency": "DMH", "start_date": "2026-12-09", "reason": ""})
    assert r.status_code == 400 and "Say what was declared" in r.content.decode()
    with pytest.raises(LeaveError, match="Only HR"):
        svc.emergency_declare(agency=people["dana"].agency, start_date=dt.date(2026, 12, 7), end_date=None,
                              reason="Blizzard", user=users["hr"])
    assert not StateOfEmergency.objects.exists()
