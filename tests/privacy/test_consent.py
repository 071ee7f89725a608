"""Steward consent: granted and revoked by the employee, scoped in time, every change logged (Sec. 24.1, Art. 23)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from openleave import policy
from openleave.audit.access import verify_chain
from openleave.audit.models import AccessLog
from openleave.privacy.models import StewardConsent

pytestmark = pytest.mark.django_db


def _grant(c, steward, until=None, purpose="Grievance about denied vacation", basis="grievance"):
    until = until or (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    return c.post("/me/consents/", {"steward": steward.pk, "basis": basis, "purpose": purpose, "valid_until": until})


def test_employee_grants_a_steward_who_then_sees_the_leave_record(users, people, client_for):
    erin, steward = people["erin"], users["steward"]
    assert client_for(steward).get(f"/employees/{erin.employee_number}/").status_code == 404
    c = client_for(users["employee"])
    response = _grant(c, steward)
    assert response.status_code == 302
    consent = StewardConsent.objects.get(employee=erin, steward=steward)
    assert consent.is_valid() and consent.basis == "grievance"
    log = AccessLog.objects.get(object_type="steward_consent", object_id=str(consent.pk), action="change")
    assert "granted to Stan Kowalczyk" in log.fields and log.subject == erin
    assert client_for(steward).get(f"/employees/{erin.employee_number}/").status_code == 200
    assert not policy.can_view(steward, erin, policy.MEDICAL)


def test_revoking_ends_access_at_once_and_is_logged(users, people, client_for):
    erin, steward = people["erin"], users["steward"]
    c = client_for(users["employee"])
    _grant(c, steward)
    consent = StewardConsent.objects.get(employee=erin)
    assert c.post(f"/me/consents/{consent.pk}/revoke/").status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert AccessLog.objects.filter(object_type="steward_consent", fields__startswith="revoked from").exists()
    assert not policy.can_view(steward, erin)
    assert client_for(steward).get(f"/employees/{erin.employee_number}/").status_code == 404
    assert verify_chain().ok


def test_consent_expires_at_the_end_of_its_last_day(users, people, client_for):
    erin, steward = people["erin"], users["steward"]
    last_day = timezone.localdate() + dt.timedelta(days=10)
    _grant(client_for(users["employee"]), steward, until=last_day.isoformat())
    assert policy.can_view(steward, erin)
    with time_machine.travel(timezone.now() + dt.timedelta(days=12)):
        assert not policy.can_view(steward, erin)


@pytest.mark.parametrize("field, value, message", [
    ("steward", "0", "Choose a union steward"),
    ("purpose", "x", "at least 5 characters"),
    ("valid_until", "2001-01-01", "must be in the future"),
    ("valid_until", "not a date", "YYYY-MM-DD"),
    ("valid_until", "2099-01-01", "at most 366 days"),
])
def test_bad_grant_is_refused_with_a_clear_message_and_nothing_saved(users, client_for, field, value, message):
    c = client_for(users["employee"])
    data = {"steward": users["steward"].pk, "basis": "grievance", "purpose": "Grievance, Art. 23",
            "valid_until": (timezone.localdate() + dt.timedelta(days=5)).isoformat(), field: value}
    response = c.post("/me/consents/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and "Nothing was saved" in html
    assert not StewardConsent.objects.exists()
    assert not AccessLog.objects.filter(action="change").exists()


def test_only_stewards_can_be_named(users, client_for):
    response = _grant(client_for(users["employee"]), users["hr"])
    assert response.status_code == 422 and not StewardConsent.objects.exists()


def test_nobody_else_can_revoke_an_employees_consent(users, people, client_for):
    _grant(client_for(users["employee"]), users["steward"])
    consent = StewardConsent.objects.get()
    for role in ("steward", "supervisor", "hr", "auditor"):
        response = client_for(users[role]).post(f"/me/consents/{consent.pk}/revoke/")
        assert response.status_code in (302, 404), role
        consent.refresh_from_db()
        assert consent.revoked_at is None, role


def test_api_grant_list_and_revoke(users, people, client_for):
    c = client_for(users["employee"])
    until = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    response = c.post("/api/me/consents", {"steward_username": "steward", "purpose": "Grievance Step I",
                                           "valid_until": until}, content_type="application/json")
    assert response.status_code == 201, response.content
    cid = response.json()["id"]
    assert [x["active"] for x in c.get("/api/me/consents").json()] == [True]
    assert c.post(f"/api/me/consents/{cid}/revoke").json()["active"] is False
    again = c.post(f"/api/me/consents/{cid}/revoke")
    assert again.status_code == 409 and "already revoked" in again.json()["detail"]
    bad = c.post("/api/me/consents", {"steward_username": "hr", "purpose": "Grievance", "valid_until": until},
                 content_type="application/json")
    assert bad.status_code == 422 and "steward" in bad.json()["detail"]


def test_steward_home_lists_only_valid_consents(users, people, client_for):
    _grant(client_for(users["employee"]), users["steward"], purpose="Grievance about overtime")
    html = client_for(users["steward"]).get("/").content.decode()
    assert "Erin Doyle" in html and "Grievance about overtime" in html
