"""The FMLA case record: opened by the employee or by HR on the employer's knowledge (Sec. 8.1.M), family leave
(Sec. 8.7.2.A) or medical leave (8.7.2.B); overlapping open cases refused; closed by HR or the coordinator; one
transaction each, access-logged; a page and an API endpoint for each."""

from __future__ import annotations

import datetime as dt

import pytest

from openleave.audit.models import AccessLog
from openleave.medical import services
from openleave.medical.errors import MedicalError, NotAllowed
from openleave.medical.models import FmlaCase

pytestmark = pytest.mark.django_db


def test_the_employee_opens_a_case_as_their_request(users, people):
    erin = people["erin"]
    case = services.fmla_case_open(employee=erin, reason="care_parent", schedule="intermittent",
                                   expected_start="2026-12-07", expected_end="2027-03-05", by=users["employee"])
    assert (case.leave_type, case.opened_by_role, case.status) == ("medical", "employee", "open")  # Sec. 8.7.2.B
    row = AccessLog.objects.filter(subject=erin, object_type="fmla_case").latest("id")
    assert row.action == "change" and row.actor == users["employee"] and "opened (the employee)" in row.fields


def test_hr_opens_a_case_on_the_employers_knowledge(users, people):
    case = services.fmla_case_open(employee=people["erin"], reason="birth", expected_start=dt.date(2027, 1, 4),
                                   by=users["hr"])
    assert (case.leave_type, case.opened_by_role, case.schedule) == ("family", "hr", "continuous")  # Sec. 8.7.2.A


def test_an_overlapping_open_case_is_refused_and_nothing_written(users, people):
    erin = people["erin"]
    first = services.fmla_case_open(employee=erin, reason="own_condition", expected_start="2026-12-07",
                                    by=users["employee"])  # no end date: open-ended
    before = (FmlaCase.objects.count(), AccessLog.objects.count())
    with pytest.raises(MedicalError) as exc:
        services.fmla_case_open(employee=erin, reason="care_child", expected_start="2027-06-01",
                                expected_end="2027-06-30", by=users["hr"])
    assert exc.value.status == 409 and f"no. {first.pk}" in exc.value.message and "no end date yet" in exc.value.message
    assert (FmlaCase.objects.count(), AccessLog.objects.count()) == before
    services.fmla_case_close(case=first, by=users["medical"])
    again = services.fmla_case_open(employee=erin, reason="care_child", expected_start="2027-06-01",
                                    expected_end="2027-06-30", by=users["hr"])
    assert again.status == "open"  # a closed case no longer blocks


def test_a_case_for_an_ineligible_employee_is_refused_and_nothing_written(users, people):
    from openleave.people.models import Employee

    erin = people["erin"]
    # Hired 2026-10-05, probation to 2027-04-05: on 2026-12-07 she is within probation and has not yet served the
    # six full months after which a waiver may be asked (2026-10-05 + 6 months = 2027-04-05; Sec. 8.7.2.A.2/B.2),
    # so she is not eligible (A.1/B.1: probation completed).
    Employee.objects.filter(pk=erin.pk).update(service_start=dt.date(2026, 10, 5), original_hire_date=dt.date(2026, 10, 5),
                                               probation_end=dt.date(2027, 4, 5))
    erin.refresh_from_db()
    before = (FmlaCase.objects.count(), AccessLog.objects.count())
    with pytest.raises(MedicalError) as exc:
        services.fmla_case_open(employee=erin, reason="own_condition", expected_start="2026-12-07", by=users["employee"])
    assert exc.value.field == "expected_start" and "not eligible" in exc.value.message
    assert "2027-04-05" in exc.value.message and "Nothing was stored" in exc.value.message
    assert (FmlaCase.objects.count(), AccessLog.objects.count()) == before


def test_cases_that_do_not_overlap_may_both_be_open(users, people):
    erin = people["erin"]
    services.fmla_case_open(employee=erin, reason="own_condition", expected_start="2026-12-07",
                            expected_end="2026-12-18", by=users["employee"])
    services.fmla_case_open(employee=erin, reason="own_condition", expected_start="2026-12-19", by=users["employee"])
    assert FmlaCase.objects.filter(employee=erin, status="open").count() == 2


@pytest.mark.parametrize("kw, field", [
    ({"reason": "diagnosis"}, "reason"),
    ({"schedule": "weekly"}, "schedule"),
    ({"expected_start": ""}, "expected_start"),
    ({"expected_end": "2026-12-01"}, "expected_end"),
])
def test_bad_input_names_the_field(users, people, kw, field):
    args = {"reason": "own_condition", "expected_start": "2026-12-07", **kw}
    with pytest.raises(MedicalError) as exc:
        services.fmla_case_open(employee=people["erin"], by=users["employee"], **args)
    assert exc.value.field == field and not FmlaCase.objects.exists()


def test_who_may_open_and_close(users, people):
    erin = people["erin"]
    for who in ("supervisor", "auditor", "steward"):
        with pytest.raises(NotAllowed):
            services.fmla_case_open(employee=erin, reason="birth", expected_start="2026-12-07", by=users[who])
    case = services.fmla_case_open(employee=erin, reason="birth", expected_start="2026-12-07", by=users["employee"])
    for who in ("employee", "supervisor", "auditor", "steward"):
        with pytest.raises(NotAllowed):
            services.fmla_case_close(case=case, by=users[who])
    services.fmla_case_close(case=case, by=users["hr"])
    with pytest.raises(MedicalError, match="already closed"):
        services.fmla_case_close(case=case, by=users["hr"])


def test_pages_open_show_and_close(users, people, client_for):
    erin = people["erin"]
    c = client_for(users["employee"])
    r = c.post(f"/employees/{erin.employee_number}/fmla/open/",
               {"reason": "own_condition", "schedule": "continuous", "expected_start": "2026-12-07"})
    assert r.status_code == 302
    case = FmlaCase.objects.get(employee=erin)
    page = c.get(r["Location"]).content.decode()
    assert "own serious health condition" in page and "Certification not requested" in page
    r = c.post(f"/employees/{erin.employee_number}/fmla/open/",
               {"reason": "birth", "schedule": "continuous", "expected_start": "2027-01-04"})
    assert r.status_code == 400 and "already covers these dates" in r.content.decode()
    sup = client_for(users["supervisor"]).get(f"/employees/{erin.employee_number}/fmla/{case.pk}/").content.decode()
    assert "Open" in sup and "2026-12-07" in sup and "own serious health condition" not in sup
    assert "Medical documents" not in sup
    hr = client_for(users["hr"])
    r = hr.post(f"/employees/{erin.employee_number}/fmla/{case.pk}/close/")
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_by == users["hr"]


def test_api_open_list_and_close(users, people, client_for):
    erin = people["erin"]
    c = client_for(users["hr"])
    url = f"/api/employees/{erin.employee_number}/fmla-cases"
    r = c.post(url, {"reason": "care_spouse", "schedule": "modified_schedule", "expected_start": "2026-12-14",
                     "expected_end": "2027-02-12"}, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["opened_by"] == "hr" and body["sealed"] is True and body["reason"] == "" and body["leave_type"] == ""
    assert body["certification"] == "certification not requested"
    r = c.post(url, {"reason": "birth", "expected_start": "2027-01-04"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["field"] == "expected_start"
    mine = client_for(users["employee"]).get(url).json()
    assert mine[0]["reason"] == "Care of a spouse with a serious health condition" and mine[0]["sealed"] is False
    r = client_for(users["hr"]).post(f"{url}/{body['id']}/close", content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    r = client_for(users["auditor"]).post(url, {"reason": "birth", "expected_start": "2027-01-04"},
                                          content_type="application/json")
    assert r.status_code == 403


def test_certification_received_is_what_supervisors_see(users, people, client_for):
    from .conftest import pdf_bytes, upload_file

    erin = people["erin"]
    case = services.fmla_case_open(employee=erin, reason="own_condition", expected_start="2026-12-07",
                                   by=users["employee"])
    FmlaCase.objects.filter(pk=case.pk).update(certification_due=dt.date(2026, 12, 22))
    r = client_for(users["supervisor"]).get(f"/api/employees/{erin.employee_number}/fmla-cases/{case.pk}")
    assert r.json()["certification"] == "certification due on 2026-12-22"
    services.medical_document_upload(employee=erin, kind="d1", case=case, file=upload_file(pdf_bytes()),
                                     by=users["employee"])
    r = client_for(users["supervisor"]).get(f"/api/employees/{erin.employee_number}/fmla-cases/{case.pk}")
    # the frozen clock: 2026-12-01 (tests/conftest.py FROZEN)
    assert r.json()["certification"] == "certification received on 2026-12-01"
    assert r.json()["certification_received"] == "2026-12-01"
