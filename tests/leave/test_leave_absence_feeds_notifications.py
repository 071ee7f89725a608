"""Absences without approved leave, mark-taken, corrections, the iCalendar feed, the CSV summary and e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from openleave.leave import services as svc
from openleave.leave.errors import LeaveError
from openleave.leave.models import Notification

pytestmark = pytest.mark.django_db


def _approved(erin, users, ask, *a, **kw):
    req = svc.leave_request_submit(employee=erin, user=users["employee"], data=ask(*a, **kw))
    return svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="approved")


def test_decision_e_mail_goes_out_only_after_commit(erin, users, ask, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        req = svc.leave_request_submit(employee=erin, user=users["employee"], data=ask("vacation", "2026-12-07"))
    assert [m.to for m in mail.outbox] == [["supervisor@example.org"], ["hr@example.org"]]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="approved")
    assert len(mail.outbox) == 2 and len(callbacks) == 1  # queued, not sent before commit
    assert Notification.objects.filter(user=users["employee"], subject="Your leave request was approved").exists()


def test_absence_recorded_by_the_supervisor_is_shown_to_the_employee(erin, users, client_for):
    a = svc.absence_record(employee=erin, user=users["supervisor"], date=dt.date(2026, 11, 20), hours="7.5",
                           note="Did not report for the shift; no call.")
    assert a.micro == 7_500_000
    page = client_for(users["employee"]).get("/leave/").content.decode()
    assert "Did not report for the shift" in page
    with pytest.raises(LeaveError, match="scheduled for 7.5 h"):
        svc.absence_record(employee=erin, user=users["supervisor"], date=dt.date(2026, 11, 19), hours="8", note="x")
    with pytest.raises(LeaveError, match="already recorded"):
        svc.absence_record(employee=erin, user=users["supervisor"], date=dt.date(2026, 11, 20), hours="1", note="x")


def test_taken_leave_is_corrected_by_hr_with_a_cited_reversal(erin, users, ask):
    req = _approved(erin, users, ask, "vacation", "2026-12-07")
    assert svc.leave_request_mark_taken(today=dt.date(2026, 12, 8)) == 1
    with pytest.raises(LeaveError, match="corrected by HR"):
        svc.leave_request_cancel(request_id=req.pk, user=users["employee"])
    with pytest.raises(LeaveError, match="reason and a citation"):
        svc.leave_request_cancel(request_id=req.pk, user=users["hr"], reason="worked that day")
    req = svc.leave_request_cancel(request_id=req.pk, user=users["hr"], reason="Employee worked that day (timesheet)",
                                   cite="Sec. 9.10")
    assert req.status == "corrected" and req.charges.get().reversal_cite == "Sec. 9.10"


def test_ics_feed_shows_own_approved_leave_without_protected_reasons(erin, users, ask, client_for):
    _approved(erin, users, ask, "vacation", "2026-12-07", "2026-12-09")
    _approved(erin, users, ask, "domestic_violence", "2026-12-14")
    body = client_for(users["employee"]).get("/leave/calendar.ics").content.decode()
    assert "DTSTART;VALUE=DATE:20261207\r\nDTEND;VALUE=DATE:20261210" in body
    assert "SUMMARY:Leave: Vacation (Art. 9) (22.5 h)" in body
    assert "SUMMARY:Leave: protected leave (7.5 h)" in body and "8.12" not in body and "omestic" not in body


def test_ics_feed_folds_long_lines_and_parses_back(erin, users, ask, client_for):
    """RFC 5545 §3.1: content lines are folded at 75 octets; a long name (here the calendar's) must fold."""
    import icalendar

    erin.given_name = "Erin Maeve Siobhán Bríd Caoimhe Philomena"
    erin.save(update_fields=["given_name"])
    _approved(erin, users, ask, "vacation", "2026-12-07", "2026-12-09")
    raw = client_for(users["employee"]).get("/leave/calendar.ics").content
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
    cal = icalendar.Calendar.from_ical(raw)
    assert str(cal["x-wr-calname"]) == "Erin Maeve Siobhán Bríd Caoimhe Philomena Doyle — approved leave"
    (event,) = cal.walk("VEVENT")
    assert event.decoded("dtstart") == dt.date(2026, 12, 7) and event.decoded("dtend") == dt.date(2026, 12, 10)


def test_team_csv_lists_every_member_with_hours_per_kind(erin, users, ask, client_for):
    _approved(erin, users, ask, "vacation", "2026-12-07", "2026-12-09")
    r = client_for(users["supervisor"]).get("/leave/team/summary.csv?month=2026-12")
    lines = r.content.decode().splitlines()
    assert lines[0] == "month,employee_number,employee,leave,hours"
    assert "2026-12,100002,Erin Doyle,Vacation (Art. 9),22.5" in lines
    assert len(lines) - 1 == erin.supervisor.reports.count()  # every team member, with or without leave


def test_amending_an_approved_request_reverses_the_old_charges(erin, users, ask, client_for):
    import json

    old = _approved(erin, users, ask, "vacation", "2026-12-07", "2026-12-09")
    r = client_for(users["employee"]).post(f"/api/leave/requests/{old.pk}/amend",
                                           json.dumps({"kind": "vacation", "start_date": "2026-12-08"}),
                                           content_type="application/json")
    assert r.status_code == 201 and r.json()["status"] == "submitted"
    old.refresh_from_db()
    assert old.status == "amended" and old.charges.get().reversed_at is not None
