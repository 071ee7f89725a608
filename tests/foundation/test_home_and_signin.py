"""Home pages per role, sign-in errors, lockout, security headers, deploy checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "role, heading",
    [
        ("employee", "My leave"),
        ("supervisor", "My team"),
        ("hr", "Organisation"),
        ("medical", "Medical (FMLA) coordinator"),
        ("steward", "Members who authorised you"),
        ("auditor", "Audit"),
        ("admin", "System administration"),
    ],
)
def test_each_role_has_a_home_page(users, client_for, role, heading):
    response = client_for(users[role]).get("/")
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_supervisor_home_lists_their_team_not_others(users, people, client_for):
    html = client_for(users["supervisor"]).get("/").content.decode()
    assert people["erin"].family_name in html
    assert people["dcr_report"].employee_number not in html


def test_anonymous_is_sent_to_sign_in(client, demo):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_wrong_password_gives_a_clear_message(client, demo):
    response = client.post("/login/", {"username": "employee", "password": "nope"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_unknown_user_gives_the_same_message(client, demo):
    wrong_pw = client.post("/login/", {"username": "employee", "password": "nope"}).content.decode()
    unknown = client.post("/login/", {"username": "nobody-here", "password": "nope"}).content.decode()
    assert "did not match" in unknown
    def normalise(html):
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return html.replace('value="employee"', "").replace('value="nobody-here"', "")

    assert normalise(wrong_pw) == normalise(unknown)


def test_lockout_after_five_failures(client, demo):
    from openleave.people.demo import DEMO_PASSWORD

    for _ in range(5):
        client.post("/login/", {"username": "hr", "password": "wrong"})
    response = client.post("/login/", {"username": "hr", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()


def test_correct_sign_in_lands_on_home(client, demo):
    from openleave.people.demo import DEMO_PASSWORD

    response = client.post("/login/", {"username": "employee", "password": DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "My leave" in response.content.decode()


def test_passwords_are_argon2(users):
    assert users["employee"].password.startswith("argon2")


def test_security_headers_and_csp(users, client_for):
    response = client_for(users["employee"]).get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "http" not in csp  # no third-party origin anywhere
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_load_no_third_party_resources(users, client_for):
    html = client_for(users["hr"]).get("/employees/").content.decode()
    assert "https://" not in html and "http://" not in html


def test_demo_is_safe_to_rerun(demo):
    from openleave.people.demo import load_demo
    from openleave.people.models import Employee

    before = Employee.objects.count()
    load_demo()
    assert Employee.objects.count() == before
    assert 55 <= before <= 70
    titles = set(Employee.objects.values_list("title__full_time_weekly_hours", flat=True))
    assert {37.5, 40} <= {float(t) for t in titles}
    assert Employee.objects.filter(status="part_time").exists()
    assert Employee.objects.filter(probation_end__isnull=False).exists()


def test_openapi_schema_is_served(client, demo):
    schema = client.get("/api/openapi.json").json()
    assert "/api/employees/{employee_number}" in schema["paths"]
