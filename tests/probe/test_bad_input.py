"""Bad input everywhere: hypothesis draws dates, hours, times with zones, huge numbers and text with NUL bytes and
lone surrogates, and sends them to every web form and API endpoint as the roles that use them. Every answer is
below 500 (the client re-raises any exception a view lets through). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import os
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("BAD_INPUT_EXAMPLES", "150"))
TRIED = {"web": 0, "api": 0}

dates = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.sampled_from(["2015-06-01", "9999-12-31", "0001-01-01", "2026-02-30", "2026-1-5", "20260105", "2027-03-01",
                     "2027-03-01T08:00Z", "2100-12-31", "2101-01-01"]),
)
hours = st.one_of(
    st.sampled_from(["1e999999999", "-1e999999999", "1e-999999999", "NaN", "Infinity", "-0", "0.0000001", "7.5",
                     "99999999999999999999999", "1E+6", "−3"]),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
)
times = st.one_of(st.sampled_from(["08:00Z", "08:00+05:00", "25:00", "8", "08:00:00.123456+01:00", "12:30"]),
                  st.times().map(dt.time.isoformat))
texts = st.one_of(
    st.text(max_size=20),
    st.text(max_size=10).map(lambda s: s + "\x00"),
    st.text(max_size=10).map(lambda s: "\ud800" + s),
    st.text(min_size=295, max_size=700),
    st.sampled_from(["", " ", "own_illness", "vacation", "approved", "denied", "Sec. 9.2.A", "yes", "no"]),
)
months = st.one_of(st.sampled_from(["0001-01", "9999-12", "2026-13", "2026-00", "x", "2027-03"]),
                   st.dates(min_value=dt.date(1, 1, 1)).map(lambda d: d.strftime("%Y-%m")))
numbers = st.one_of(st.integers(min_value=-(2**70), max_value=2**70).map(str), st.sampled_from(["-1", "0", "1e3"]))
anything = st.one_of(dates, hours, times, texts, months, numbers)

FIELD_STRATEGY = {"date": dates, "hours": hours, "time": times, "text": texts, "month": months, "number": numbers}


def kind_of(name: str) -> str:
    if name.endswith("date") or name in ("valid_until", "date_of_death", "on", "start", "end"):
        return "date"
    if name.endswith("hours") or name in ("jury_fees", "regular_pay"):
        return "hours"
    if name.endswith("time"):
        return "time"
    if name == "month":
        return "month"
    if name in ("year", "page", "limit", "offset", "leave", "steward", "amends"):
        return "number"
    return "text"


def values_for(fields):
    """Each field its own kind of bad value, or now and then any bad value at all."""
    return st.fixed_dictionaries({f: st.one_of(FIELD_STRATEGY[kind_of(f)], anything) for f in fields})


def encode(pairs: dict) -> str:
    """Form/query encoding that can carry a lone surrogate (as the raw bytes a client would send)."""
    return "&".join(f"{quote(k)}={quote(str(v).encode('utf-8', 'surrogatepass'))}" for k, v in pairs.items())


REQUEST_FIELDS = ["kind", "start_date", "end_date", "start_time", "end_time", "hours", "purpose", "relation",
                  "household", "date_of_death", "event_date", "jury_fees", "regular_pay", "election_date",
                  "charge_excess_to", "summoned_by"]


@pytest.fixture
def world(demo, users, people):
    """A pending vacation request of Erin's (to amend, decide and cancel) and the demo's people."""
    from django.utils import timezone

    from openleave.leave import services as svc
    from openleave.ledger.models import Kind, LedgerEntry

    erin = people["erin"]
    LedgerEntry.objects.create(employee=erin, leave=2, kind=Kind.OPENING, micro=75_000_000,
                               effective_date=dt.date(2026, 1, 4), period_start=dt.date(2026, 1, 4), cite="opening",
                               reason="test opening balance", key="bad-input-open", recorded_at=timezone.now())
    day = timezone.localdate() + dt.timedelta(days=45)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    req = svc.leave_request_submit(employee=erin, user=users["employee"],
                                   data=svc.parse_input({"kind": "vacation", "start_date": day}))
    return {"req": req.pk, "erin": erin.employee_number, "agency": erin.agency.code}


def web_forms(w):
    """(role, method, url, fields) for every page that takes input."""
    r, e = w["req"], w["erin"]
    return [
        (None, "post", "/login/", ["username", "password"]),
        ("employee", "post", "/leave/new/", REQUEST_FIELDS),
        ("employee", "post", "/leave/new/preview/", REQUEST_FIELDS + ["amends"]),
        ("employee", "post", f"/leave/requests/{r}/amend/", REQUEST_FIELDS),
        ("hr", "post", f"/leave/new/?for={e}", REQUEST_FIELDS),
        ("supervisor", "post", f"/leave/requests/{r}/decide/", ["outcome", "approved_hours", "grounds", "text"]),
        ("employee", "post", f"/leave/requests/{r}/cancel/", ["reason", "cite"]),
        ("hr", "post", f"/leave/requests/{r}/cancel/", ["reason", "cite"]),
        ("supervisor", "post", "/leave/team/absence/", ["employee", "date", "hours", "note"]),
        ("hr", "post", "/leave/emergency/", ["agency", "start_date", "end_date", "reason"]),
        ("hr", "post", f"/employees/{e}/ledger/adjust/", ["leave", "hours", "cite", "reason", "effective_date"]),
        ("hr", "post", "/holidays/", ["agency", "holiday_name", "year", "designated_date", "reason"]),
        ("employee", "post", "/me/consents/", ["steward", "basis", "purpose", "valid_until"]),
        ("supervisor", "get", "/leave/team/", ["month"]),
        ("supervisor", "get", "/leave/team/summary.csv", ["month"]),
        ("hr", "get", "/employees/", ["q", "page", "agency"]),
        ("hr", "get", "/holidays/", ["year", "agency"]),
        ("supervisor", "get", "/leave/queue/", ["page"]),
        ("employee", "get", "/me/access/", ["page", "mine"]),
        ("employee", "get", "/leave/new/fields/", ["kind"]),
        ("employee", "get", "/leave/new/", ["kind", "for"]),
        ("auditor", "get", f"/privacy/access/{e}/", ["page"]),
        ("steward", "get", "/union/denials/", ["year", "agency", "by"]),
        ("hr", "get", "/union/denials.csv", ["year", "agency", "by"]),
    ]


def api_calls(w):
    """(role, method, path, fields, where) for every API operation; ``where``: query or body."""
    r, e = w["req"], w["erin"]
    req_body = ["kind", "start_date", "end_date", "start_time", "end_time", "hours", "facts"]
    return [
        ("hr", "get", "/api/employees", ["q", "limit", "offset"], "query"),
        ("hr", "get", f"/api/employees/{e}/balances", ["on"], "query"),
        ("hr", "get", f"/api/employees/{e}/ledger/vacation", ["limit"], "query"),
        ("employee", "get", "/api/me/access", ["limit", "offset"], "query"),
        ("auditor", "get", f"/api/employees/{e}/access", ["limit", "offset"], "query"),
        ("employee", "post", "/api/me/consents", ["steward_username", "basis", "purpose", "valid_until"], "body"),
        ("hr", "get", "/api/privacy/aggregates", ["start", "end"], "query"),
        ("auditor", "get", "/api/union/denials", ["year", "agency", "by"], "query"),
        ("employee", "get", "/api/leave/balances", ["on"], "query"),
        ("employee", "post", "/api/leave/requests/check", req_body, "body"),
        ("employee", "post", "/api/leave/requests", req_body, "body"),
        ("employee", "post", f"/api/leave/requests/{r}/amend", req_body, "body"),
        ("supervisor", "get", "/api/leave/queue", ["limit", "offset"], "query"),
        ("supervisor", "post", f"/api/leave/requests/{r}/decision", ["outcome", "approved_hours", "grounds", "text"],
         "body"),
        ("employee", "post", f"/api/leave/requests/{r}/cancel", ["reason", "cite"], "body"),
        ("supervisor", "post", "/api/leave/absences", ["employee_number", "date", "hours", "note"], "body"),
        ("supervisor", "get", "/api/leave/team/summary", ["month"], "query"),
    ]


def test_no_web_form_answers_500(world, users, client):
    forms = web_forms(world)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def post_bad_values(data):
        role, method, url, fields = data.draw(st.sampled_from(forms))
        values = data.draw(values_for(fields))
        client.logout()
        if role:
            client.force_login(users[role], backend="django.contrib.auth.backends.ModelBackend")
        if method == "get":
            r = client.get(url + ("&" if "?" in url else "?") + encode(values))
        else:
            r = client.post(url, encode(values), content_type="application/x-www-form-urlencoded")
        TRIED["web"] += 1
        assert r.status_code < 500, (url, values, r.status_code)

    post_bad_values()
    print(f"bad-input web: {TRIED['web']} requests, 0 server errors")


def test_no_api_endpoint_answers_500(world, users, client):
    from openleave.accounts.models import ApiToken

    tokens = {role: ApiToken.issue(user=users[role], name="bad-input")[1]
              for role in ("employee", "supervisor", "hr", "auditor")}
    calls = api_calls(world)
    facts = st.dictionaries(st.sampled_from(["jury_fees", "regular_pay", "date_of_death", "event_date", "purpose",
                                             "charge_excess_to", "household", "unknown\x00"]), anything, max_size=4)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def send_bad_values(data):
        role, method, path, fields, where = data.draw(st.sampled_from(calls))
        values = data.draw(values_for([f for f in fields if f != "facts"]))
        if "facts" in fields:
            values["facts"] = data.draw(facts)
        auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"}
        if where == "query":
            r = client.get(path + "?" + encode(values), **auth)
        else:
            body = json.dumps(data.draw(st.one_of(st.just(values), anything, st.lists(anything, max_size=3))))
            r = client.post(path, body, content_type="application/json", **auth)
        TRIED["api"] += 1
        assert r.status_code < 500, (path, values, r.status_code)
        assert r.json().get("detail") if r.status_code >= 400 else True

    send_bad_values()
    print(f"bad-input api: {TRIED['api']} requests, 0 server errors")
