"""Who sees a member's grievance track and report: the member, and a steward they authorised while the consent is
valid. Not their supervisor, HR, the medical coordinator, an auditor or another employee — the same 404 as for a
decision that does not exist; and the decision page shows them no panel. Only the member records."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from openleave.audit.models import AccessLog

pytestmark = pytest.mark.django_db

URLS = ("/grievance/decision/{pk}/", "/grievance/decision/{pk}/report/", "/grievance/decision/{pk}/report.pdf",
        "/grievance/decision/{pk}/calendar.ics", "/api/grievance/decision/{pk}/deadlines",
        "/api/grievance/decision/{pk}/report.pdf", "/api/grievance/decision/{pk}/calendar.ics")


def _body(c, url):
    r = c.get(url)
    return r.status_code, re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", r.content)


@pytest.mark.parametrize("role", ["supervisor", "hr", "medical", "auditor", "steward", "admin"])
def test_management_and_others_get_not_found_like_a_missing_decision(denied, client_for, users, role):
    c = client_for(users[role])
    for url in URLS:
        seen, missing = _body(c, url.format(pk=denied.pk)), _body(c, url.format(pk=999999))
        assert seen[0] == 404, (role, url)
        assert seen == missing, (role, url)
    assert not AccessLog.objects.filter(category="grievance", actor=users[role]).exists()


@pytest.mark.parametrize("role", ["supervisor", "hr", "auditor"])
def test_the_decision_page_shows_management_no_panel(denied, client_for, users, role):
    r = client_for(users[role]).get(f"/leave/requests/{denied.request_id}/")
    assert r.status_code == 200
    assert "Challenge this decision" not in r.content.decode()


def test_another_employee_gets_not_found(denied, client_for, people, make_user):
    from openleave.accounts import roles as R

    c = client_for(make_user("colleague", [R.EMPLOYEE], employee=people["dmh_other"]))
    for url in URLS:
        assert c.get(url.format(pk=denied.pk)).status_code == 404, url


def test_a_consented_steward_reads_but_does_not_record(denied, client_for, users, people):
    from django.utils import timezone

    from openleave.privacy.models import StewardConsent

    StewardConsent.objects.create(employee=people["erin"], steward=users["steward"], purpose="grievance under Art. 23",
                                  valid_until=timezone.now() + dt.timedelta(days=30))
    c = client_for(users["steward"])
    for url in URLS:
        assert c.get(url.format(pk=denied.pk)).status_code == 200, url
    r = c.post(f"/api/grievance/decision/{denied.pk}/dates", json.dumps({"key": "step1_filed", "day": "2026-12-01"}),
               content_type="application/json")
    assert r.status_code == 404
    assert AccessLog.objects.filter(subject=people["erin"], category="grievance", actor=users["steward"]).count() \
        == len(URLS)


def test_an_approved_decision_is_not_a_grievance_act(erin, users, client_for):
    from openleave.leave import services as svc

    data = svc.parse_input({"kind": "vacation", "start_date": "2026-12-08", "end_date": "2026-12-08", "facts": {}})
    req = svc.leave_request_submit(employee=erin, user=users["employee"], data=data)
    svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="approved")
    req.refresh_from_db()
    assert client_for(users["employee"]).get(f"/grievance/decision/{req.decision.pk}/").status_code == 404
