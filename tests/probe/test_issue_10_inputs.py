"""The bad inputs of issue 10 (item 4 and the OpenAPI items), each answered by a 4xx (or a CommandError) that
says what to fix, with nothing written — never a 500. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from openleave import inputs

pytestmark = pytest.mark.django_db
HUGE = "1e999999999"  # Decimal overflow when scaled to micro-hours


@pytest.fixture
def api(client, users):
    """``api(role).get/post(...)`` with a bearer token; JSON bodies."""
    from openleave.accounts.models import ApiToken

    def as_role(role):
        token = ApiToken.issue(user=users[role], name="test")[1]

        class Api:
            def get(self, path, **params):
                return client.get(path, params, HTTP_AUTHORIZATION=f"Bearer {token}")

            def post(self, path, body, raw=False):
                data = body if raw else json.dumps(body)
                return client.post(path, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")

        return Api()

    return as_role


def _weekday(days_ahead: int) -> dt.date:
    d = timezone.localdate() + dt.timedelta(days=days_ahead)
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return d


def test_the_bounds_come_from_the_agreement():
    assert inputs.earliest_date() == dt.date(2017, 7, 1)  # index.yaml effective_from (Art. 30: in force since)
    with pytest.raises(inputs.BadInput, match="2017-07-01"):
        inputs.day("2015-06-01", "start_date")
    with pytest.raises(inputs.BadInput, match="2100-12-31"):
        inputs.day("9999-12-31", "start_date")
    with pytest.raises(inputs.BadInput, match="no zone"):
        inputs.time_of_day("08:00Z", "start_time")
    with pytest.raises(inputs.BadInput, match="at most 10000 hours"):
        inputs.hours(HUGE, "hours")
    with pytest.raises(inputs.BadInput, match="NUL"):
        inputs.text("a\x00b", "note", max_length=10)
    with pytest.raises(inputs.BadInput, match="surrogate"):
        inputs.text("a\ud800b", "note", max_length=10)
    with pytest.raises(inputs.BadInput, match="at most 300 characters"):
        inputs.text("x" * 301, "note", max_length=300)
    assert inputs.hours("7.5", "hours") == inputs.hours("7.500000", "hours")


@pytest.mark.parametrize("offset", ["-1", str(2**63), str(2**70)])
def test_api_offsets_out_of_range_are_422(api, offset):
    for path in ("/api/employees", "/api/me/access", "/api/leave/queue"):
        r = api("hr").get(path, offset=offset)
        assert r.status_code == 422, (path, r.content)
        assert "offset" in r.json()["detail"]


@pytest.mark.parametrize("body", [
    {"kind": "vacation", "start_date": "2015-06-01"},
    {"kind": "vacation", "start_date": "9999-12-31"},
    {"kind": "vacation", "start_date": "2027-03-01", "start_time": "08:00Z"},
    {"kind": "vacation", "start_date": "2027-03-01", "hours": HUGE},
    {"kind": "vacation", "start_date": "2027-03-01", "hours": "-1e999999999"},
    {"kind": "civic", "start_date": "2027-03-01", "facts": {"jury_fees": HUGE, "regular_pay": "100"}},
    {"kind": "bereavement", "start_date": "2027-03-01", "facts": {"date_of_death": "0001-01-01"}},
    {"kind": "sick", "start_date": "2027-03-01", "facts": {"charge_excess_to": 5}},
])
def test_api_request_check_refuses_bad_values(api, demo, body):
    from openleave.leave.models import LeaveRequest

    for path in ("/api/leave/requests/check", "/api/leave/requests"):
        r = api("employee").post(path, body)
        assert r.status_code in (400, 422), (path, r.content)
        assert r.json()["detail"]
    assert not LeaveRequest.objects.exists()


def test_jury_fees_are_money_not_stored_as_overflow(api, demo):
    r = api("employee").post("/api/leave/requests/check", {
        "kind": "civic", "start_date": _weekday(30).isoformat(), "facts": {"jury_fees": "12.345", "regular_pay": "1"}})
    assert r.status_code == 400, r.content
    assert "2 decimals" in r.json()["detail"]


@pytest.mark.parametrize("body", ['"False"', "[1, 2]", "null", "7"])
def test_cancel_takes_an_object_only(api, demo, body):
    r = api("employee").post("/api/leave/requests/1/cancel", body, raw=True)
    assert r.status_code == 422, r.content


def test_a_body_over_the_limit_is_413_on_the_api_and_the_web(api, client, users, settings):
    big = json.dumps({"kind": "vacation", "start_date": "2027-03-01", "facts": {"x": "a" * 2_700_000}})
    r = api("employee").post("/api/leave/requests/check", big, raw=True)
    assert r.status_code == 413 and "too large" in r.json()["detail"]
    client.force_login(users["employee"], backend="django.contrib.auth.backends.ModelBackend")
    r = client.post("/leave/new/", {"kind": "vacation", "start_date": "2027-03-01", "note": "a" * 2_700_000})
    assert r.status_code == 413 and b"too large" in r.content


def test_nul_bytes_are_400_before_the_database(api, client, users):
    r = api("hr").get("/api/employees", q="\x00")
    assert r.status_code == 400 and "NUL" in r.json()["detail"]
    r = api("employee").post("/api/leave/requests/check", {"kind": "sick", "start_date": "2027-03-01",
                                                           "facts": {"purpose": "own\x00illness"}})
    assert r.status_code == 400 and r.json()["field"] == "facts.purpose"
    client.force_login(users["hr"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/employees/", {"q": "a\x00"}).status_code == 400
    assert client.get("/employees/%00/").status_code == 400


def test_a_long_username_at_sign_in_is_a_form_error(client):
    from axes.models import AccessAttempt

    r = client.post("/login/", {"username": "u" * 300, "password": "whatever-password"})
    assert r.status_code == 200
    assert "at most 150 characters" in r.content.decode()
    assert AccessAttempt.objects.count() <= 1
    r = client.post("/login/", {"username": "u\x00", "password": "x"})
    assert r.status_code == 400


def test_team_month_out_of_range_is_400(client, users):
    client.force_login(users["supervisor"], backend="django.contrib.auth.backends.ModelBackend")
    for month in ("0001-01", "9999-12", "2026-13", "x"):
        for path in ("/leave/team/", "/leave/team/summary.csv"):
            r = client.get(path, {"month": month})
            assert r.status_code == 400, (path, month)
            assert b"month" in r.content
    assert api_month_422(client, users)


def api_month_422(client, users) -> bool:
    from openleave.accounts.models import ApiToken

    token = ApiToken.issue(user=users["supervisor"], name="t")[1]
    r = client.get("/api/leave/team/summary", {"month": "0001-01"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    return r.status_code == 422 and "months openleave handles" in r.json()["detail"]


def test_an_adjustment_dated_year_one_is_a_form_error(client, users, people):
    from openleave.ledger.models import LedgerEntry

    client.force_login(users["hr"], backend="django.contrib.auth.backends.ModelBackend")
    before = LedgerEntry.objects.count()
    url = f"/employees/{people['erin'].employee_number}/ledger/adjust/"
    for fields in ({"effective_date": "0001-01-01", "hours": "1"}, {"effective_date": "", "hours": HUGE}):
        r = client.post(url, {"leave": 1, "cite": "Sec. 9.2.A", "reason": "test", **fields})
        assert r.status_code == 400
    assert LedgerEntry.objects.count() == before


def test_a_huge_holiday_year_is_a_form_error(client, users):
    from openleave.holidays.models import HolidayDesignation

    client.force_login(users["hr"], backend="django.contrib.auth.backends.ModelBackend")
    r = client.post("/holidays/", {"holiday_name": "Columbus Day", "year": "30000", "designated_date": "2027-10-12",
                                   "reason": "moved"})
    assert r.status_code == 400 and b"outside the years" in r.content
    assert not HolidayDesignation.objects.exists()


def test_long_notes_are_refused_not_cut(api, users, people):
    from openleave.leave.models import Absence

    day = timezone.localdate() - dt.timedelta(days=1)
    r = api("supervisor").post("/api/leave/absences", {
        "employee_number": people["erin"].employee_number, "date": day.isoformat(), "hours": "1", "note": "x" * 301})
    assert r.status_code == 422 and "300" in r.json()["detail"]
    assert not Absence.objects.exists()


@pytest.mark.parametrize("args, message", [
    (["--period-including", "0001-01-01"], "outside the dates"),
    (["--period-including", "9999-12-31"], "outside the dates"),
    (["--period-including", "x"], "not a date"),
    (["--annual", "1900"], "outside the years"),
    (["--annual", "99999999999999999999"], "outside the years"),
    (["--annual", "soon"], "not a year"),
    (["--period-including", "2026-01-05", "--today", "0001-01-01"], "outside the dates"),
])
def test_accrue_refuses_out_of_range_dates_and_years(demo, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("accrue", *args)


def test_openapi_has_one_shape_per_name_and_every_status(client):
    schema = client.get("/api/openapi.json").json()
    names = set(schema["components"]["schemas"])
    assert {"LedgerBalanceOut", "AvailableBalanceOut", "ErrorOut"} <= names and "BalanceOut" not in names
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            codes = set(op["responses"])
            assert {"400", "401", "404", "422"} <= codes, (method, path, codes)
            if method == "post":
                assert "403" in codes, (method, path, codes)
            if "requestBody" in op:
                assert "413" in codes, (method, path, codes)


def test_openapi_schema_has_no_duplicate_keys(client):
    """Swagger UI refuses a document with a repeated key ("duplicated mapping key"): e.g. a status given both
    as the number 200 (``response=``) and the string "200" (``openapi_extra``) is written twice."""
    import json

    repeated = []

    def pairs(items):
        keys = [k for k, _ in items]
        repeated.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(items)

    json.loads(client.get("/api/openapi.json").content, object_pairs_hook=pairs)
    assert repeated == []
