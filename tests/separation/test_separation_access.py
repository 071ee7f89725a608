"""Who sees a separation statement and who records one — pages and API (openleave.policy, ``leave`` data).

Erin (DMH) retires on 2026-11-30 with 100 h sick and 37.5 h vacation (openings through ledger_post). She, HR of
DMH and — by the existing policy for leave data — her supervisor Sean, the DMH medical coordinator and the
auditor see the statement; Dana (a DCR supervisor), the steward without Erin's consent and the system
administrator get the same 404 as for a person who does not exist. Only HR of DMH records."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from openleave.audit.models import AccessLog
from openleave.ledger import services as ledger
from openleave.ledger.models import Kind, Leave, LedgerEntry
from openleave.rules.units import to_micro
from openleave.separation import services as svc
from openleave.separation.models import Return, Separation

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin(people):
    erin = people["erin"]
    for leave, hours in ((Leave.SICK, "100"), (Leave.VACATION, "37.5")):
        ledger.ledger_post(employee=erin, leave=leave, kind=Kind.OPENING, micro=to_micro(hours),
                           effective_date=dt.date(2026, 1, 4), cite="opening", reason="brought forward",
                           key=f"open:{erin.pk}:{leave}", system="test")
    return erin


@pytest.fixture
def sep(erin, users):
    return svc.separation_record(employee=erin, separation_date=dt.date(2026, 11, 30), reason="retirement",
                                 by=users["hr"])


def _urls(emp, sep):
    base = f"/employees/{emp.employee_number}/separation/"
    return [base, f"{base}{sep.pk}/", f"{base}{sep.pk}/statement.pdf", f"{base}{sep.pk}/payroll.csv",
            f"/api/employees/{emp.employee_number}/separations", f"/api/employees/{emp.employee_number}/separations/{sep.pk}"]


@pytest.mark.parametrize("who", ["employee", "hr", "supervisor", "medical", "auditor"])
def test_who_sees_the_statement(client_for, users, erin, sep, who):
    c = client_for(users[who])
    for url in _urls(erin, sep):
        r = c.get(url)
        assert r.status_code == 200, (who, url)
    # each read names Erin in the access log, with the reader
    assert AccessLog.objects.filter(subject=erin, actor=users[who], object_type="separation",
                                    action=AccessLog.Action.READ).count() == 6


@pytest.mark.parametrize("who", ["steward", "admin"])
def test_who_does_not_see_it_gets_not_found(client_for, users, erin, sep, who):
    c = client_for(users[who])
    for url in _urls(erin, sep):
        assert c.get(url).status_code == 404, (who, url)
    missing = c.get("/employees/999999/separation/").status_code  # the same answer as for nobody
    assert missing == 404


def test_a_supervisor_of_another_team_gets_not_found(client_for, people, erin, sep):
    from openleave.accounts.models import User

    dana = people["dana"]
    dana.user = User.objects.create_user(username="dana", password="x-not-used-123")
    dana.save()
    dana.user.groups.set(__import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.filter(
        name__in=["employee", "supervisor"]))
    c = client_for(dana.user)
    for url in _urls(erin, sep):
        assert c.get(url).status_code == 404, url


def test_a_statement_of_someone_else_is_not_found_through_another_number(client_for, users, people, erin, sep):
    stan = people["stan"]  # the steward is an employee too: his own number, Erin's separation id
    r = client_for(users["steward"]).get(f"/employees/{stan.employee_number}/separation/{sep.pk}/")
    assert r.status_code == 404


def test_hr_records_through_the_page(client_for, users, people):
    sean = people["sean"]
    c = client_for(users["hr"])
    page = c.get(f"/employees/{sean.employee_number}/separation/")
    assert page.status_code == 200 and "Record a separation" in page.content.decode()
    bad = c.post(f"/employees/{sean.employee_number}/separation/record/",
                 {"separation_date": "2200-01-01", "reason": "resignation"})
    assert bad.status_code == 400 and "outside the dates openleave handles" in bad.content.decode()
    assert not Separation.objects.exists()
    ok = c.post(f"/employees/{sean.employee_number}/separation/record/",
                {"separation_date": "2026-11-30", "reason": "resignation"})
    assert ok.status_code == 302
    sep = Separation.objects.get(employee=sean)
    again = c.post(f"/employees/{sean.employee_number}/separation/record/",
                   {"separation_date": "2026-11-30", "reason": "resignation"})
    assert again.status_code == 400 and "already separated on 2026-11-30" in again.content.decode()
    r = c.post(f"/employees/{sean.employee_number}/separation/{sep.pk}/return/", {"return_date": "2026-12-01",
                                                                                   "kind": "reinstated"})
    assert r.status_code == 302 and Return.objects.filter(separation=sep).exists()


@pytest.mark.parametrize("who", ["employee", "supervisor", "auditor", "medical"])
def test_others_who_see_it_may_not_record(client_for, users, people, who):
    erin = people["erin"]
    c = client_for(users[who])
    r = c.post(f"/employees/{erin.employee_number}/separation/record/",
               {"separation_date": "2026-11-30", "reason": "resignation"})
    assert r.status_code == 403
    api = c.post(f"/api/employees/{erin.employee_number}/separations",
                 json.dumps({"separation_date": "2026-11-30", "reason": "resignation"}), content_type="application/json")
    assert api.status_code == 403
    assert not Separation.objects.exists()


def test_the_api_records_refuses_with_the_field_and_returns(client_for, users, erin):
    c = client_for(users["hr"])
    url = f"/api/employees/{erin.employee_number}/separations"

    def post(body, path=url):
        return c.post(path, json.dumps(body), content_type="application/json")

    for body, field in (({"separation_date": "2200-01-01", "reason": "retirement"}, "separation_date"),
                        ({"separation_date": "2014-10-05", "reason": "retirement"}, "separation_date"),
                        ({"separation_date": "2026-11-30", "reason": "quit"}, "reason"),
                        ({"separation_date": "2026-11-30", "reason": "retirement", "hourly_rate": "-3"}, "hourly_rate")):
        r = post(body)
        assert r.status_code == 422, (body, r.content)
        assert r.json()["field"] == field, r.json()
    assert not Separation.objects.exists() and not LedgerEntry.objects.filter(kind=Kind.PAYOUT).exists()
    r = post({"separation_date": "2026-11-30", "reason": "retirement", "hourly_rate": "30.00"})
    assert r.status_code == 201, r.content
    out = r.json()
    lines = {ln["leave"]: ln for ln in out["lines"]}
    # 20% × 100 h = 20 h × 3000 ¢ = 60,000 ¢ (Sec. 8.1.O); 37.5 h × 3000 ¢ = 112,500 ¢ (Sec. 9.11); total 172,500 ¢.
    assert lines["sick"]["paid"] == "20" and lines["sick"]["amount_cents"] == 60_000 and lines["sick"]["kept"] == "80"
    assert lines["vacation"]["paid"] == "37.5" and lines["vacation"]["amount_cents"] == 112_500
    assert out["total_cents"] == 172_500
    again = post({"separation_date": "2026-11-30", "reason": "retirement"})
    assert again.status_code == 409 and again.json()["field"] == "separation_date"
    ret = post({"return_date": "2026-12-01"}, f"{url}/{out['id']}/return")
    assert ret.status_code == 201, ret.content
    assert ret.json()["return_record"]["sick_restored"] == "80"  # the 80 h set aside come back (Sec. 8.1.H)
    twice = post({"return_date": "2026-12-01"}, f"{url}/{out['id']}/return")
    assert twice.status_code == 409


def test_the_member_export_holds_the_separation(client_for, users, erin, sep):
    from openleave.privacy.exports import collect

    data = collect(erin)["separation"]
    assert {r["leave"]: r["paid_hours"] for r in data["separations"]}["sick"] == "20"
