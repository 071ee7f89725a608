"""Every read of a person's data names that person in the access log, one row per person shown, written in
one statement (issue 10, item 3): the team CSV, the team summary API, notifications (page and API), the
home page's team list and the team calendar.

The clock is frozen; the leave day is one of Erin's scheduled working days (no holiday) from the calendar."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openleave import policy
from openleave.accounts.models import ApiToken
from openleave.audit.models import AccessLog
from openleave.holidays.selectors import holiday_dates
from openleave.leave import services as svc
from openleave.people.models import Employee
from openleave.rules.schedule import scheduled_days

NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW, tick=False)]


@pytest.fixture
def day(erin):
    start = NOW.date() + dt.timedelta(days=14)
    end = start + dt.timedelta(days=40)
    return scheduled_days(erin.facts(), start, end, holiday_dates(erin.agency, start, end))[0]


@pytest.fixture
def approved(erin, users, ask, day):
    req = svc.leave_request_submit(employee=erin, user=users["employee"], data=ask("vacation", day.isoformat()))
    return svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="approved")


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='test')[1]}"}


def _since(mark):
    return AccessLog.objects.filter(pk__gt=mark)


def _mark():
    return AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _inserts(ctx) -> int:
    return sum(1 for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "privacy_accesslog"'))


def _team(people):
    return set(Employee.objects.filter(supervisor=people["sean"]).values_list("pk", flat=True))


def test_team_csv_logs_one_export_row_per_person_in_it(approved, people, users, client_for, day):
    month = day.strftime("%Y-%m")
    c = client_for(users["supervisor"])
    mark = _mark()
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(f"/leave/team/summary.csv?month={month}")
    numbers = {row["employee_number"] for row in csv.DictReader(io.StringIO(r.content.decode()))}
    shown = set(Employee.objects.filter(employee_number__in=numbers).values_list("pk", flat=True))
    assert people["erin"].pk in shown and shown == _team(people) and len(shown) > 1
    rows = _since(mark).filter(object_type="absence_summary")
    assert sorted(rows.values_list("subject_id", flat=True)) == sorted(shown)  # one row per person, none blank
    assert {(x.action, x.object_id, x.category, x.actor_id) for x in rows} == {
        ("export", month, policy.LEAVE, users["supervisor"].pk)}
    assert _inserts(ctx) == 1  # written in bulk


def test_team_summary_api_logs_one_row_per_person_shown(approved, people, users, client, day):
    month = day.strftime("%Y-%m")
    mark = _mark()
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(f"/api/leave/team/summary?month={month}", **_bearer(users["supervisor"])).json()
    assert {"employee_number": "100002", "employee": "Erin Doyle", "leave": "Vacation (Art. 9)", "hours": "7.5"} in body
    shown = set(Employee.objects.filter(employee_number__in={b["employee_number"] for b in body})
                .values_list("pk", flat=True))
    rows = _since(mark).filter(object_type="absence_summary", channel="api")
    assert sorted(rows.values_list("subject_id", flat=True)) == sorted(shown) and shown == _team(people)
    assert not _since(mark).filter(subject__isnull=True).exists()
    assert _inserts(ctx) == 1


def test_notifications_name_the_person_they_are_about(approved, people, users, client_for, client):
    erin = people["erin"]
    # Sean was told "Leave request to decide: Erin Doyle"; Erin "Your leave request was approved".
    mark = _mark()
    page = client_for(users["supervisor"]).get("/leave/").content.decode()
    assert "Leave request to decide: Erin Doyle" in page
    rows = list(_since(mark).filter(object_type="notification", actor=users["supervisor"]))
    assert [x.subject_id for x in rows] == [erin.pk]
    assert rows[0].object_id == str(users["supervisor"].leave_notifications.get().pk)
    # The API names Erin too, for HR (who has no employee record) as for Sean.
    for who in ("supervisor", "hr"):
        mark = _mark()
        body = client.get("/api/leave/notifications", **_bearer(users[who])).json()
        assert any("Erin Doyle" in n["subject"] for n in body)
        rows = _since(mark).filter(object_type="notification", channel="api")
        assert list(rows.values_list("subject_id", flat=True)) == [erin.pk], who
    # Erin's own notifications are her own data: logged with her as the subject.
    mark = _mark()
    client.get("/api/leave/notifications", **_bearer(users["employee"]))
    assert list(_since(mark).filter(object_type="notification").values_list("subject_id", flat=True)) == [erin.pk]


def test_home_page_team_list_logs_each_report(people, users, client_for):
    mark = _mark()
    with CaptureQueriesContext(connection) as ctx:
        page = client_for(users["supervisor"]).get("/").content.decode()
    team = _team(people)
    assert "Erin Doyle" in page and len(team) > 1
    rows = _since(mark).filter(fields="team list")
    assert sorted(rows.values_list("subject_id", flat=True)) == sorted(team)
    assert {x.category for x in rows} == {policy.DIRECTORY}
    # the whole team in one statement (Sean's own record and his balances panel are other rows)
    assert sum(1 for q in ctx.captured_queries
               if q["sql"].startswith('INSERT INTO "privacy_accesslog"') and "team list" in q["sql"]) == 1


def test_team_calendar_logs_every_member_in_one_statement(approved, people, users, client_for, day):
    mark = _mark()
    with CaptureQueriesContext(connection) as ctx:
        client_for(users["supervisor"]).get(f"/leave/team/?month={day:%Y-%m}")
    rows = _since(mark).filter(object_type="team_calendar")
    assert sorted(rows.values_list("subject_id", flat=True)) == sorted(_team(people))
    assert _inserts(ctx) == 1
