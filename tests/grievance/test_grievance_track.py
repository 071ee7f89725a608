"""The member's grievance track on a denied request (Art. 23): the panel on the decision page, recording a filing
and the replies (a reply before the filing refused, nothing written), the next dates following, the .ics and the
API. Erin's vacation of Mon 2026-12-07 is denied by Sean on the frozen day, Tue 2026-12-01 (New York).

Every expected date is worked by hand from Sec. 23.2 (calendar days) and Sec. 23.9."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine

from openleave.audit.models import AccessLog
from openleave.grievance.models import GrievanceDate, GrievanceTrack
from openleave.grievance.selectors import upcoming_deadlines

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
LATER = dt.datetime(2026, 12, 20, 12, 0, tzinfo=NY)  # a Sunday, nineteen days after the denial


def test_the_decision_page_shows_the_step_one_date_with_its_citation(denied, client_for, users):
    body = client_for(users["employee"]).get(f"/leave/requests/{denied.request_id}/").content.decode()
    assert "Challenge this decision" in body
    # Sec. 23.2 Step I: 21 calendar days after the denial of 2026-12-01: 1 + 21 = 2026-12-22 (a Tuesday).
    assert "2026-12-22" in body and "Sec. 23.2 Step I" in body
    assert f"/grievance/decision/{denied.pk}/report.pdf" in body
    assert AccessLog.objects.filter(subject=denied.request.employee, object_type="grievance_deadlines",
                                    category="grievance", actor=users["employee"]).exists()


def test_recording_a_filing_and_a_late_reply_moves_the_next_dates(denied, client_for, users):
    url = f"/grievance/decision/{denied.pk}/"
    with time_machine.travel(LATER, tick=False):
        c = client_for(users["employee"])  # signed in on the later day (a session does not last 19 days)
        r = c.post(url + "record/", {"key": "step1_filed", "day": "2026-12-04"})
        assert r.status_code == 302
        body = c.get(url).content.decode()
        # Step I reply: 10 calendar days following the submission: 2026-12-04 + 10 = 2026-12-14 (Sec. 23.2 Step I);
        # none by 12-20: the grievant may go to Step II from 2026-12-15 (Sec. 23.9).
        assert "2026-12-14" in body and "2026-12-15" in body and "Sec. 23.9" in body
        # A reply before the filing: refused, naming it, nothing written.
        r = c.post(url + "record/", {"key": "step1_reply", "day": "2026-12-03"})
        assert r.status_code == 400 and "before step1_filed" in r.content.decode()
        assert GrievanceDate.objects.filter(key="step1_reply").count() == 0
        # A date in the future: refused.
        r = c.post(url + "record/", {"key": "step1_reply", "day": "2026-12-21"})
        assert r.status_code == 400 and "after today" in r.content.decode()
        # The late reply of 12-18: the Step II appeal within 10 calendar days of its receipt: 12-18 + 10 =
        # 2026-12-28 (Sec. 23.2 Step II).
        assert c.post(url + "record/", {"key": "step1_reply", "day": "2026-12-18"}).status_code == 302
        r = c.get(f"/api/grievance/decision/{denied.pk}/deadlines")
        assert r.status_code == 200
        steps = {s["key"]: s for s in r.json()["steps"]}
        assert steps["step2_appeal"]["due"] == "2026-12-28" and steps["step1_reply"]["status"] == "late"
        assert r.json()["next"] == "step2_appeal"
    track = GrievanceTrack.objects.get(decision=denied)
    assert track.event_date == dt.date(2026, 12, 1)
    writes = AccessLog.objects.filter(subject=track.employee, category="grievance", action="change")
    assert writes.count() == 3  # the track opened, the filing, the reply


def test_the_api_records_and_refuses_with_the_field(denied, client_for, users):
    with time_machine.travel(LATER, tick=False):
        c = client_for(users["employee"])
        url = f"/api/grievance/decision/{denied.pk}/dates"
        r = c.post(url, json.dumps({"key": "step1_filed", "day": "2026-12-10"}), content_type="application/json")
        assert r.status_code == 201
        # 2026-12-10 + 10 = 2026-12-20 (Sec. 23.2 Step I)
        assert {s["key"]: s["due"] for s in r.json()["steps"]}["step1_reply"] == "2026-12-20"
        r = c.post(url, json.dumps({"key": "step1_reply", "day": "2026-12-09"}), content_type="application/json")
        assert r.status_code == 422 and r.json()["field"] == "step1_reply"
        r = c.post(url, json.dumps({"key": "step9", "day": "2026-12-09"}), content_type="application/json")
        assert r.status_code == 422
    assert GrievanceDate.objects.count() == 1


def test_a_knowledge_date_before_the_act_is_refused(denied, client_for, users):
    c = client_for(users["employee"])
    r = c.post(f"/grievance/decision/{denied.pk}/record/", {"key": "step1_filed", "day": "2026-12-01",
                                                             "event_date": "2026-11-20"})
    assert r.status_code == 400 and GrievanceTrack.objects.count() == 0


def test_the_calendar_has_the_dates(denied, client_for, users):
    r = client_for(users["employee"]).get(f"/grievance/decision/{denied.pk}/calendar.ics")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    text = r.content.decode()
    assert "DTSTART;VALUE=DATE:20261222" in text  # 2026-12-01 + 21 (Sec. 23.2 Step I)
    assert "Sec. 23.2 Step I" in text
    r = client_for(users["employee"]).get(f"/api/grievance/decision/{denied.pk}/calendar.ics")
    assert r.status_code == 200 and b"20261222" in r.content


def test_upcoming_deadlines_lists_the_open_limits(denied, users):
    erin = denied.request.employee
    rows = upcoming_deadlines([erin], dt.date(2026, 12, 2), actor=users["steward"])
    # the Step I limit of the untracked denial: 2026-12-01 + 21 = 2026-12-22 (Sec. 23.2 Step I)
    assert [(r.employee.pk, r.decision.pk, r.step, r.date, r.citation) for r in rows] == [
        (erin.pk, denied.pk, "step1_filing", dt.date(2026, 12, 22), "Sec. 23.2 Step I")]
    assert upcoming_deadlines([erin], dt.date(2026, 12, 23)) == []  # passed
    assert AccessLog.objects.filter(subject=erin, object_type="grievance_deadlines", actor=users["steward"]).exists()


def test_a_forfeiture_can_be_grieved(erin, client_for, users):
    from django.utils import timezone

    from openleave.ledger.models import Kind, Leave, LedgerEntry

    entry = LedgerEntry.objects.create(
        employee=erin, leave=Leave.VACATION, kind=Kind.FORFEITURE, micro=-7_500_000,
        effective_date=dt.date(2026, 11, 28), period_start=dt.date(2026, 11, 22), cite="Sec. 9.8",
        reason="vacation of 2024 not used", key=f"test-forfeit:{erin.pk}", recorded_at=timezone.now())
    c = client_for(users["employee"])
    body = c.get(f"/grievance/entry/{entry.pk}/").content.decode()
    # 2026-11-28 + 21: November 30 is + 2, 19 more: 2026-12-19, a Saturday — not moved (Sec. 23.2 Step I).
    assert "2026-12-19" in body and "Saturday" in body
    from openleave.documents import pdf_text

    text = pdf_text(c.get(f"/grievance/entry/{entry.pk}/report.pdf").content)
    assert "Article 9" in text and "Sec. 9.8" in text and "2026-11-28" in text


def test_my_grievances_page_lists_the_denial(denied, client_for, users):
    r = client_for(users["employee"]).get("/grievance/")
    assert r.status_code == 200
    assert f"/grievance/decision/{denied.pk}/" in r.content.decode()
    assert "Decisions I may grieve" in client_for(users["employee"]).get("/leave/").content.decode()
