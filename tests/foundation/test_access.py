"""Who can and cannot see whom — web pages, API and admin (issue: foundation)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from openleave import policy
from openleave.privacy.models import StewardConsent

pytestmark = pytest.mark.django_db


def numbers(qs):
    return set(qs.values_list("employee_number", flat=True))


def test_employee_sees_only_themself(users, people):
    assert numbers(policy.visible_employees(users["employee"])) == {"100002"}


def test_supervisor_sees_self_and_direct_reports_only(users, people):
    visible = numbers(policy.visible_employees(users["supervisor"]))
    reports = numbers(people["sean"].reports.all())
    assert visible == reports | {"100001"}
    assert "100002" in visible  # Erin reports to Sean
    assert people["dcr_report"].employee_number not in visible
    assert people["dmh_other"].employee_number not in visible


def test_hr_sees_own_agency_only(users, people):
    visible = policy.visible_employees(users["hr"])
    assert visible.filter(agency__code="DCR").count() == 0
    assert visible.filter(agency__code="DMH").count() == people["sean"].agency.employees.count()


def test_steward_needs_a_valid_consent(users, people):
    steward, erin = users["steward"], people["erin"]
    assert not policy.can_view(steward, erin)
    consent = StewardConsent.objects.create(employee=erin, steward=steward, purpose="Grievance under Art. 23")
    assert policy.can_view(steward, erin)
    consent.revoked_at = timezone.now()
    consent.save()
    assert not policy.can_view(steward, erin)
    StewardConsent.objects.create(
        employee=erin, steward=steward, purpose="expired",
        valid_from=timezone.now() - dt.timedelta(days=10), valid_until=timezone.now() - dt.timedelta(days=1),
    )
    assert not policy.can_view(steward, erin)


def test_auditor_reads_everyone_but_changes_nothing(users, people):
    auditor = users["auditor"]
    assert policy.can_view(auditor, people["erin"]) and policy.can_view(auditor, people["dcr_report"])
    assert policy.is_read_only(auditor)
    assert not policy.can_manage_ledger(auditor, people["erin"])


def test_medical_category_is_for_the_employee_and_the_medical_coordinator(users, people):
    erin = people["erin"]
    assert policy.can_view(users["medical"], erin, policy.MEDICAL)
    assert policy.can_view(users["employee"], erin, policy.MEDICAL)
    for role in ("supervisor", "hr", "auditor", "steward", "admin"):
        assert not policy.can_view(users[role], erin, policy.MEDICAL), role


@pytest.mark.parametrize(
    "role, target, status",
    [
        ("employee", "erin", 200),
        ("employee", "sean", 404),
        ("employee", "dcr_report", 404),
        ("supervisor", "erin", 200),
        ("supervisor", "dcr_report", 404),
        ("supervisor", "dmh_other", 404),
        ("hr", "erin", 200),
        ("hr", "dcr_report", 404),
        ("medical", "erin", 200),
        ("medical", "dcr_report", 404),
        ("steward", "erin", 404),
        ("auditor", "dcr_report", 200),
    ],
)
def test_employee_page_access(users, people, client_for, role, target, status):
    c = client_for(users[role])
    response = c.get(f"/employees/{people[target].employee_number}/")
    assert response.status_code == status
    if status == 404:
        assert people[target].family_name.encode() not in response.content


def test_a_refusal_looks_the_same_as_a_missing_person(users, people, client_for):
    c = client_for(users["employee"])
    forbidden = c.get(f"/employees/{people['sean'].employee_number}/")
    missing = c.get("/employees/999999/")
    assert forbidden.status_code == missing.status_code == 404
    strip = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub(b"", forbidden.content) == strip.sub(b"", missing.content)


@pytest.mark.parametrize(
    "role, target, status",
    [("employee", "sean", 404), ("supervisor", "erin", 200), ("hr", "dcr_report", 404), ("auditor", "erin", 200)],
)
def test_api_employee_access(users, people, client_for, role, target, status):
    response = client_for(users[role]).get(f"/api/employees/{people[target].employee_number}")
    assert response.status_code == status
    if status == 404:
        assert response.json() == {"detail": "Not found, or you may not see it."}


def test_api_lists_only_visible_people(users, people, client_for):
    rows = client_for(users["supervisor"]).get("/api/employees?limit=500").json()
    assert {r["employee_number"] for r in rows} == numbers(policy.visible_employees(users["supervisor"], policy.DIRECTORY))


def test_api_without_sign_in_is_401_with_a_message(client, demo):
    response = client.get("/api/me")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_api_token_authenticates(users, client, demo):
    from openleave.accounts.models import ApiToken

    _token, raw = ApiToken.issue(user=users["hr"], name="test")
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["roles"] == ["hr"]
    assert client.get("/api/me", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_api_bad_parameter_is_a_4xx_with_a_message(users, client_for):
    response = client_for(users["hr"]).get("/api/employees?limit=lots")
    assert response.status_code == 422
    assert "limit" in response.json()["detail"]
    response = client_for(users["hr"]).get("/api/employees?limit=100000")
    assert response.status_code == 422
    assert "limit" in response.json()["detail"] and "500" in response.json()["detail"]


@pytest.mark.parametrize("role", ["employee", "supervisor", "hr", "medical", "steward", "auditor"])
def test_admin_is_for_system_administrators_only(users, client_for, role):
    response = client_for(users[role]).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_system_administrator_reaches_admin(users, client_for):
    assert client_for(users["admin"]).get("/admin/").status_code == 200


def test_reads_are_logged(users, people, client_for):
    from openleave.audit.models import AccessLog

    client_for(users["supervisor"]).get(f"/employees/{people['erin'].employee_number}/")
    row = AccessLog.objects.filter(subject=people["erin"], actor=users["supervisor"]).first()
    assert row is not None and row.channel == "ui" and "supervision" in row.purpose


def test_api_list_reads_are_logged_per_person(users, client_for):
    from openleave.audit.models import AccessLog

    rows = client_for(users["supervisor"]).get("/api/employees?limit=500").json()
    logged = AccessLog.objects.filter(actor=users["supervisor"], channel="api", fields="list")
    assert logged.count() == len(rows) > 1
