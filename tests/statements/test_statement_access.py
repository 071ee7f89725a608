"""Who sees an employee's Sec. 9.8 statement (page, PDF, API): the employee, their supervisor, HR and the medical
coordinator of their agency, auditors (openleave.policy's ``leave`` category); everyone else gets the same 404
as for a statement that does not exist. Each read is logged naming the employee."""

from __future__ import annotations

import pytest
from statement_helpers import IN_WINDOW

from openleave.audit.models import AccessLog
from openleave.statements import services

pytestmark = [pytest.mark.django_db, pytest.mark.clock(IN_WINDOW, tick=False)]


@pytest.fixture
def given(erin):
    from openleave.people.models import Employee

    services.statements_generate(year=2026, today=IN_WINDOW.date(), employees=Employee.objects.filter(pk=erin.pk))
    return erin


URLS = ("/employees/{n}/statements/2026/", "/employees/{n}/statements/2026/pdf/", "/api/employees/{n}/statements/2026")


@pytest.mark.parametrize("role", ["employee", "supervisor", "hr", "medical", "auditor"])
def test_who_may_see_it(given, client_for, users, role):
    c = client_for(users[role])
    for url in URLS:
        assert c.get(url.format(n=given.employee_number)).status_code == 200, (role, url)
    assert AccessLog.objects.filter(subject=given, object_type="vacation_statement", actor=users[role]).count() == 3


def _not_found_body(c, url):
    import re

    r = c.get(url)  # the sign-out form's CSRF token is masked differently on every response
    return r.status_code, re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", r.content)


def test_who_must_not_see_it_gets_not_found_like_a_missing_one(given, client_for, users, people, make_user):
    from openleave.accounts import roles as R

    dcr = people["dana"].agency
    refused = [
        ("steward without consent", users["steward"]),
        ("another employee", make_user("colleague", [R.EMPLOYEE], employee=people["dmh_other"])),
        ("another agency's supervisor", make_user("dcr-sup", [R.EMPLOYEE, R.SUPERVISOR], employee=people["dana"])),
        ("another agency's HR", make_user("dcr-hr", [R.HR], agency=dcr)),
        ("another agency's medical coordinator", make_user("dcr-med", [R.MEDICAL], agency=dcr)),
        ("system administrator", users["admin"]),
    ]
    for label, user in refused:
        c = client_for(user)
        for url in URLS:
            seen = _not_found_body(c, url.format(n=given.employee_number))
            missing = _not_found_body(c, url.format(n="999999"))
            assert seen[0] == 404, (label, url)
            assert seen == missing, (label, url)  # the refusal looks the same as "not found"
        assert not AccessLog.objects.filter(subject=given, object_type="vacation_statement", actor=user).exists()


def test_a_statement_not_given_is_not_found_even_to_the_employee(erin, client_for, users):
    c = client_for(users["employee"])
    assert c.get(f"/employees/{erin.employee_number}/statements/2025/").status_code == 404


def test_a_steward_with_consent_sees_it(given, client_for, users):
    import datetime as dt

    from django.utils import timezone

    from openleave.privacy.models import StewardConsent

    StewardConsent.objects.create(employee=given, steward=users["steward"], purpose="grievance",
                                  valid_until=timezone.now() + dt.timedelta(days=30))
    assert client_for(users["steward"]).get(f"/employees/{given.employee_number}/statements/2026/").status_code == 200
