"""The decision page shows colleagues' leave only as far as the decider may see it, and logs every person
it shows (issue 10, item 1).

Sean supervises Erin (Food Service Worker I, DMH) and Paula. Rosa, Carla and Brian are Food Service
Workers in DMH too, but not Sean's reports (404 for him everywhere else). Sec. 9.8: conflicting vacation
requests *in the same title* go by years of employment with the Commonwealth — so Sean learns that one
colleague with more years and one with fewer also asked for those dates, never who, what or when.
Brian's protected leave is none of Sean's business and is not even counted.

The clock is frozen; the dates are Erin's scheduled working days (no holiday) from the calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from openleave.audit.models import AccessLog
from openleave.holidays.selectors import holiday_dates
from openleave.leave import services as svc
from openleave.people.models import Employee
from openleave.rules.schedule import scheduled_days

NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW, tick=False)]


def _colleague(erin, number, given, family, hired, supervisor=None):
    e = Employee.objects.get(pk=erin.pk)
    e.pk, e.user, e.supervisor = None, None, supervisor
    e.employee_number, e.given_name, e.family_name = number, given, family
    e.original_hire_date = e.service_start = e.vacation_service_date = hired
    e.save()
    return e


@pytest.fixture
def office(erin, people, users, post_opening_balance):
    start = NOW.date() + dt.timedelta(days=14)
    end = start + dt.timedelta(days=40)
    d1, d2, d3 = scheduled_days(erin.facts(), start, end, holiday_dates(erin.agency, start, end))[:3]
    sean = people["sean"]
    paula = _colleague(erin, "100901", "Paula", "Quist", dt.date(2010, 5, 3), supervisor=sean)  # Sean's report
    rosa = _colleague(erin, "100902", "Rosa", "Marchetti", dt.date(1995, 2, 6))  # more years than Erin (2014)
    carla = _colleague(erin, "100903", "Carla", "Oyelaran", dt.date(2022, 9, 12))  # fewer years
    brian = _colleague(erin, "100904", "Brian", "Tallis", dt.date(2019, 1, 7))
    for e in (paula, rosa, carla, brian):
        post_opening_balance(e, vacation="75", sick="150")

    def submit(emp, kind, first, last=None):
        data = svc.parse_input({"kind": kind, "start_date": first.isoformat(),
                                "end_date": (last or first).isoformat()})
        user = users["employee"] if emp.pk == erin.pk else users["hr"]  # HR enters the others' requests
        return svc.leave_request_submit(employee=emp, user=user, data=data)

    req = submit(erin, "vacation", d1, d3)
    submit(paula, "vacation", d3)
    submit(paula, "domestic_violence", d1)
    submit(rosa, "vacation", d2)
    submit(carla, "vacation", d1)
    submit(brian, "domestic_violence", d2)
    return {"req": req, "paula": paula, "rosa": rosa, "carla": carla, "brian": brian}


def test_the_supervisor_sees_only_their_reports_and_a_count_of_the_rest(office, users, client_for):
    req = office["req"]
    c = client_for(users["supervisor"])
    for who in ("rosa", "carla", "brian"):  # not Sean's reports: refused everywhere else
        other = office[who].leave_requests.first()
        assert c.get(f"/leave/requests/{other.pk}/").status_code == 404
    before_id = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    page = c.get(f"/leave/requests/{req.pk}/decide/").content.decode()
    # No name, kind or date of a colleague who is not a report.
    for name in ("Rosa", "Marchetti", "Carla", "Oyelaran", "Brian", "Tallis"):
        assert name not in page, name
    assert "omestic" not in page and "8.12" not in page
    # The report Paula is named, her DV leave only as its category (as on the team calendar).
    assert "Paula Quist (Food Service Worker I): protected leave" in page
    assert "Paula Quist (Food Service Worker I): Vacation (Art. 9)" in page
    assert page.count("protected leave") == 1  # Brian's protected leave is not revealed, not even as a category
    # Sec. 9.8: Rosa (1995) has more years of employment than Erin (2014); Paula (2010) too; Carla (2022) fewer.
    assert "1 conflicting vacation request by a colleague with more years of employment" in page
    assert "1 with fewer years" in page
    assert "<strong>a colleague</strong>" in page and "<strong>Paula Quist</strong>" in page
    # Every person the page shows or counts has their own row in "who looked at my data"; Brian has none.
    rows = AccessLog.objects.filter(pk__gt=before_id, actor=users["supervisor"], object_type="leave_request",
                                    fields__startswith="colleague's leave")
    assert len(rows) == 3
    by_subject = {r.subject_id: r for r in rows}
    assert set(by_subject) == {office["paula"].pk, office["rosa"].pk, office["carla"].pk}
    assert by_subject[office["paula"].pk].fields.endswith(": named")
    assert by_subject[office["rosa"].pk].fields.endswith("counted, not named (Sec. 9.8)")
    assert len(by_subject[office["paula"].pk].object_id.split(",")) == 2  # both of Paula's requests
    assert not AccessLog.objects.filter(subject=office["brian"], actor=users["supervisor"]).exists()


def test_hr_sees_and_names_everyone_in_the_title_and_logs_each(office, users, client_for):
    req = office["req"]
    page = client_for(users["hr"]).get(f"/leave/requests/{req.pk}/decide/").content.decode()
    for name in ("Rosa Marchetti", "Carla Oyelaran", "Brian Tallis", "Paula Quist"):
        assert name in page, name
    assert "not on your team" not in page
    logged = set(AccessLog.objects.filter(actor=users["hr"], fields__startswith="colleague's leave")
                 .values_list("subject_id", flat=True))
    assert logged == {office[k].pk for k in ("paula", "rosa", "carla", "brian")}
