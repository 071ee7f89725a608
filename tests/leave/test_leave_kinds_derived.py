"""The shell takes the kinds as the rules core declares them: the API's facts model and OpenAPI, the web form,
the one parser (errors naming the fact), and the stored days from the finding (no second holiday lookup)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from openleave import kinds
from openleave.accounts.models import ApiToken
from openleave.holidays.selectors import holiday_dates
from openleave.leave import services as svc
from openleave.leave.errors import LeaveError
from openleave.rules.requests import DECLARATIONS
from openleave.rules.schedule import scheduled_days

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def days(erin):
    """Erin's first three scheduled working days (holidays excluded) two weeks after the frozen today."""
    after = NOW.date() + dt.timedelta(days=14)
    last = after + dt.timedelta(days=60)
    return scheduled_days(erin.facts(), after, last, holiday_dates(erin.agency, after, last))[:3]


@pytest.fixture
def api(client, users):
    raw = ApiToken.issue(user=users["employee"], name="test")[1]

    def call(path, body):
        return client.post(path, data=json.dumps(body), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}")

    return call


def test_the_api_facts_model_and_openapi_are_the_declared_facts(client):
    from openleave.api.leave_endpoints import FactsIn

    names = {f.name for d in DECLARATIONS for f in d.all_facts()}
    assert set(FactsIn.model_fields) == names
    spec = client.get("/api/openapi.json").json()
    facts = spec["components"]["schemas"]["FactsIn"]
    assert set(facts["properties"]) == names and facts["additionalProperties"] is False
    military = facts["properties"]["military_service"]["anyOf"][0]["enum"]
    assert military == ["state", "annual_tour", "reserve_other", "resigned_for_service"]  # Sec. 8.6.A–D


def test_the_api_refuses_a_fact_naming_it(erin, api, days):
    start = days[0].isoformat()
    r = api("/api/leave/requests/check", {"kind": "sick", "start_date": start, "facts": {"diagnosis": "x"}})
    assert r.status_code == 422 and r.json()["field"] == "facts.diagnosis"
    # a fact another kind takes, not this one: the one parser says so (400, naming it)
    r = api("/api/leave/requests/check", {"kind": "vacation", "start_date": start, "facts": {"purpose": "jury"}})
    assert r.status_code == 400 and r.json()["field"] == "purpose"
    assert "is not a fact a vacation leave request takes" in r.json()["detail"]
    r = api("/api/leave/requests/check", {"kind": "sick", "start_date": start, "facts": {"purpose": "jury"}})
    assert r.status_code == 400 and r.json()["field"] == "purpose"


def test_the_web_form_shows_the_kinds_own_fields(client, users):
    client.force_login(users["employee"], backend="django.contrib.auth.backends.ModelBackend")
    html = client.get("/leave/new/fields/", {"kind": "vacation"}).content.decode()
    # vacation: only the credits for the rest (Sec. 9.8 scheduling; personal or comp time, not sick)
    assert 'name="charge_excess_to" value="personal"' in html and 'value="sick"' not in html
    assert 'name="purpose"' not in html
    html = client.get("/leave/new/fields/", {"kind": "bereavement"}).content.decode()
    for code, _ in kinds.choices(kinds.declaration("bereavement").fact("relation")):  # from use.bereavement.relations
        assert f'<option value="{code}"' in html


def test_the_days_fixed_with_a_request_come_from_the_finding(erin, users, ask, days):
    # 3 work days × 7.5 h asked, 15 h of them as hours: the first two days (the finding's days)
    data = ask("vacation", days[0].isoformat(), days[2].isoformat(), hours="15")
    req = svc.leave_request_submit(employee=erin, user=users["employee"], data=data)
    preview = svc.leave_request_check(employee=erin, data=ask("personal", days[2].isoformat()))
    assert req.days == {days[0].isoformat(): 7_500_000, days[1].isoformat(): 7_500_000}
    assert req.finding_at_submission["days"] == req.days
    assert preview.as_json()["days"] == {days[2].isoformat(): 7_500_000}  # the third day is free


def test_the_web_and_the_api_share_one_parser(erin, ask, days):
    with pytest.raises(LeaveError) as exc:
        ask("military", days[0].isoformat(), facts={"military_service": "navy"})
    assert exc.value.field == "military_service" and "state, annual_tour" in exc.value.message


def test_one_name_per_leave_type_in_the_api(erin, users, client):
    raw = ApiToken.issue(user=users["hr"], name="test")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    from openleave.leave.ledger_posting import LEDGER_LEAVE
    from openleave.ledger.models import LEAVE_SLUGS

    # the ledger's leave types are named as the rules' credits (rules/requests, the leave app's LEDGER_LEAVE)
    assert {LEAVE_SLUGS[leave] for leave, _ in LEDGER_LEAVE.values()} == set(LEDGER_LEAVE)
    names = [b["leave"] for b in client.get(f"/api/employees/{erin.employee_number}/balances", **auth).json()]
    assert names and set(names) <= set(LEAVE_SLUGS.values())
    for slug in ("comp_time", "emergency_day", "comp", "emergency"):  # the older spellings are still accepted
        assert client.get(f"/api/employees/{erin.employee_number}/ledger/{slug}", **auth).status_code == 200, slug


def test_the_api_check_answers_the_hours_per_day(erin, api, days):
    r = api("/api/leave/requests/check", {"kind": "vacation", "start_date": days[0].isoformat(),
                                          "end_date": days[1].isoformat(), "hours": "10"})
    assert r.status_code == 200, r.content
    # 10 h of two 7.5-hour days: 7.5 on the first, 2.5 on the second (Sec. 9.10, 15-minute units)
    assert r.json()["days"] == {days[0].isoformat(): "7.5", days[1].isoformat(): "2.5"}
