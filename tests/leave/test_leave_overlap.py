"""The same scheduled hour is never covered by two live requests (issue 10, item 2).

The clock is frozen and every date is a scheduled working day of Erin's (Mon–Fri, 7.5 h) that is not a
holiday, picked from the calendar (``scheduled_days`` with the agency's holidays) — never a fixed date."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from openleave.accounts.models import ApiToken
from openleave.holidays.selectors import holiday_dates
from openleave.leave import services as svc
from openleave.leave.errors import Overlap
from openleave.leave.models import LeaveRequest
from openleave.ledger.models import Kind, LedgerEntry
from openleave.rules.schedule import scheduled_days

H = 1_000_000  # micro-hours in an hour
NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)  # the frozen clock
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW, tick=False)]


def workdays(employee, n: int, after: dt.date) -> list[dt.date]:
    """The first ``n`` scheduled working days of ``employee`` after ``after``, holidays excluded."""
    last = after + dt.timedelta(days=10 * n + 30)
    return scheduled_days(employee.facts(), after + dt.timedelta(days=1), last,
                          holiday_dates(employee.agency, after, last))[:n]


@pytest.fixture
def day(erin):
    """A scheduled working day of Erin's, not a holiday, two weeks after the frozen today."""
    return workdays(erin, 1, NOW.date() + dt.timedelta(days=14))[0]


@pytest.fixture
def api(client, users):
    raw = ApiToken.issue(user=users["employee"], name="test")[1]

    def call(path, body):
        return client.post(path, data=json.dumps(body), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}")

    return call


def _submit(erin, users, ask, *a, **kw):
    return svc.leave_request_submit(employee=erin, user=users["employee"], data=ask(*a, **kw))


def test_the_same_day_twice_is_a_409_naming_the_first(erin, users, api, day):
    first = api("/api/leave/requests", {"kind": "personal", "start_date": day.isoformat()})
    assert first.status_code == 201, first.content
    pk = first.json()["id"]
    second = api("/api/leave/requests", {"kind": "personal", "start_date": day.isoformat()})
    assert second.status_code == 409
    assert f"already covered by request {pk}" in second.json()["detail"]
    assert second.json()["field"] == "start_date"
    # Erin holds 15 h of personal leave: the balance alone would have let a second 7.5 h day through.
    assert LeaveRequest.objects.filter(employee=erin).count() == 1
    # A different kind of leave for the same day is refused the same way.
    third = api("/api/leave/requests", {"kind": "vacation", "start_date": day.isoformat(),
                                        "end_date": (day + dt.timedelta(days=7)).isoformat()})
    assert third.status_code == 409 and f"request {pk}" in third.json()["detail"]


def test_only_one_day_is_charged_even_for_two_requests_made_before_the_check(erin, users, ask, day):
    """Two overlapping requests already in the database (made before this check existed): approving the
    second is refused, so the ledger holds one −7.5 h line for the day."""
    a = _submit(erin, users, ask, "personal", day.isoformat())
    b = LeaveRequest.objects.get(pk=a.pk)
    b.pk = None
    b.save()  # a legacy duplicate, same day, same hours
    svc.leave_request_decide(request_id=a.pk, user=users["supervisor"], outcome="approved")
    with pytest.raises(Overlap, match=f"request {a.pk}"):
        svc.leave_request_decide(request_id=b.pk, user=users["supervisor"], outcome="approved")
    b.refresh_from_db()
    assert b.status == "submitted"
    usage = LedgerEntry.objects.filter(employee=erin, kind=Kind.USAGE)
    assert [e.micro for e in usage] == [-7_500_000]
    # Denying the duplicate is always possible.
    svc.leave_request_decide(request_id=b.pk, user=users["hr"], outcome="denied",
                             grounds=[b.finding_at_submission["grounds"][0]["code"]],
                             text="Already granted under the other request.")


def test_a_sick_check_inside_approved_vacation_is_not_allowed(erin, users, ask, api, client_for):
    d1, d2, d3 = workdays(erin, 3, NOW.date() + dt.timedelta(days=14))
    vac = _submit(erin, users, ask, "vacation", d1.isoformat(), d3.isoformat())
    svc.leave_request_decide(request_id=vac.pk, user=users["supervisor"], outcome="approved")
    r = api("/api/leave/requests/check", {"kind": "sick", "start_date": d2.isoformat()})
    assert r.status_code == 200
    body = r.json()
    assert body["outcome"] == "not_allowed" and body["allowed"] == "0" and body["charges"] == {}
    assert f"already covered by request {vac.pk}" in body["reasons"][0] and "Vacation (Art. 9)" in body["reasons"][0]
    # The form's live check says the same before the employee submits.
    html = client_for(users["employee"]).post("/leave/new/preview/", {
        "kind": "sick", "start_date": d2.isoformat(), "end_date": d2.isoformat()}).content.decode()
    assert "Already asked for" in html and f"request {vac.pk}" in html
    # And submitting from the form gives a clear message, not a 500.
    r = client_for(users["employee"]).post("/leave/new/", {"kind": "sick", "start_date": d2.isoformat(),
                                                            "end_date": d2.isoformat()})
    assert r.status_code == 409 and f"already covered by request {vac.pk}" in r.content.decode()
    assert LeaveRequest.objects.filter(employee=erin).count() == 1


def test_partial_days_overlap_by_the_minute(erin, users, ask, day):
    d = day.isoformat()
    appt = {"facts": {"purpose": "medical_appointment"}}
    a = _submit(erin, users, ask, "sick", d, start_time="09:00", end_time="12:00", **appt)
    for start, end in (("11:30", "13:00"), ("08:00", "09:01"), ("11:59", "12:30"), ("09:00", "12:00")):
        with pytest.raises(Overlap, match=f"request {a.pk}"):
            _submit(erin, users, ask, "sick", d, start_time=start, end_time=end, **appt)
    # Touching ends do not overlap: 12:00–15:00 is free (3 h + 3 h = 6 h of the 7.5 h scheduled).
    _submit(erin, users, ask, "sick", d, start_time="12:00", end_time="15:00", **appt)
    _submit(erin, users, ask, "sick", d, start_time="15:00", end_time="16:30", **appt)  # 7.5 h now covered
    # Every scheduled hour of the day is now covered: another half hour, or the whole day, is refused.
    with pytest.raises(Overlap):
        _submit(erin, users, ask, "sick", d, start_time="16:30", end_time="17:00", **appt)
    with pytest.raises(Overlap):
        _submit(erin, users, ask, "personal", d)
    assert LeaveRequest.objects.filter(employee=erin, status="submitted").count() == 3


def test_hours_without_times_share_a_day_up_to_its_scheduled_hours(erin, users, ask, day):
    d = day.isoformat()
    _submit(erin, users, ask, "personal", d, hours="3.5")
    _submit(erin, users, ask, "vacation", d, hours="4")  # 3.5 + 4 = 7.5 h scheduled
    with pytest.raises(Overlap):
        _submit(erin, users, ask, "sick", d, hours="0.5")


def test_cancelled_denied_and_corrected_requests_free_their_hours(erin, users, ask, day):
    d = day.isoformat()
    a = _submit(erin, users, ask, "personal", d)
    svc.leave_request_cancel(request_id=a.pk, user=users["employee"])
    b = _submit(erin, users, ask, "vacation", d)  # the cancelled request no longer blocks
    svc.leave_request_decide(request_id=b.pk, user=users["supervisor"], outcome="denied",
                             grounds=[b.finding_at_submission["grounds"][0]["code"]], text="Short-staffed that week.")
    c = _submit(erin, users, ask, "personal", d)  # nor does the denied one
    svc.leave_request_decide(request_id=c.pk, user=users["supervisor"], outcome="approved")
    # The leave is taken, then corrected by HR (the employee worked): the day is free again.
    with time_machine.travel(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(15), dt.UTC), tick=False):
        svc.leave_request_mark_taken()
        with pytest.raises(Overlap, match=f"request {c.pk}"):
            _submit(erin, users, ask, "sick", d)
        svc.leave_request_cancel(request_id=c.pk, user=users["hr"], reason="Worked that day (timesheet)",
                                 cite="Sec. 8.2")
        late = _submit(erin, users, ask, "sick", d)
    assert late.status == "submitted"
    assert LedgerEntry.objects.filter(employee=erin, kind=Kind.USAGE, leave__in=[1, 2, 3]).count() == 1


def test_an_amendment_does_not_overlap_the_request_it_replaces(erin, users, ask, client_for):
    d1, d2 = workdays(erin, 2, NOW.date() + dt.timedelta(days=14))
    old = _submit(erin, users, ask, "vacation", d1.isoformat())
    svc.leave_request_decide(request_id=old.pk, user=users["supervisor"], outcome="approved")
    # Replace it by the same day and the next: the old request's own hours do not count against it.
    c = client_for(users["employee"])
    html = c.post("/leave/new/preview/", {"kind": "vacation", "start_date": d1.isoformat(),
                                          "end_date": d2.isoformat(), "amends": old.pk}).content.decode()
    assert "Already asked for" not in html
    r = c.post(f"/leave/requests/{old.pk}/amend/", {"kind": "vacation", "start_date": d1.isoformat(),
                                                      "end_date": d2.isoformat()})
    assert r.status_code == 302
    new = LeaveRequest.objects.get(amends=old)
    old.refresh_from_db()
    assert old.status == "amended" and new.status == "submitted" and new.requested_micro == 15 * H
    # …but the amendment may not take hours another live request holds.
    other = _submit(erin, users, ask, "personal", workdays(erin, 1, d2)[0].isoformat())
    r = c.post(f"/leave/requests/{new.pk}/amend/", {"kind": "vacation", "start_date": d1.isoformat(),
                                                      "end_date": other.start_date.isoformat()})
    assert r.status_code == 409 and f"request {other.pk}" in r.content.decode()
    new.refresh_from_db()
    assert new.status == "submitted"
