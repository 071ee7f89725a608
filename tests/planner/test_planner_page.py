"""The planner page and its API (issue 12, item 6): the employee plans future leave and sees the projected balances
without submitting anything; bad input is a clear 4xx naming the row and field, and nothing is written."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

# The frozen clock (tests/conftest.py) is 2026-12-01. Erin Doyle: Food Service Worker I, 37.5 h a week (7.5 h a
# day, Mon–Fri), reports to Sean; the leave fixtures give her 150 h sick, 75 h vacation, 15 h personal on 2026-01-04.


@pytest.fixture
def erin_ready(people, post_opening_balance):
    post_opening_balance(people["erin"], sick="150", vacation="75", personal="15")
    return people["erin"]


def _post(client, rows, url="/planner/", **extra):
    data = {"kind": [], "start_date": [], "end_date": [], "hours": []}
    for r in rows:
        for k in data:
            data[k].append(r.get(k, ""))
    return client.post(url, data, **extra)


def test_the_page_projects_without_submitting_and_logs_the_read(client_for, users, erin_ready):
    from openleave.audit.models import AccessLog
    from openleave.leave.models import LeaveRequest
    from openleave.ledger.models import LedgerEntry

    c = client_for(users["employee"])
    assert c.get("/planner/").status_code == 200
    entries, requests = LedgerEntry.objects.count(), LeaveRequest.objects.count()
    # Mon 2027-02-08 .. Fri 02-12: 5 × 7.5 h = 37.5 h of vacation (no Art. 10 holiday that week)
    r = _post(c, [{"kind": "vacation", "start_date": "2027-02-08", "end_date": "2027-02-12"}])
    assert r.status_code == 200
    page = r.content.decode()
    assert "Balances day by day" in page and "37.5 of 37.5 h" in page
    assert "Sec. 9.10" in page and "projected" in page
    assert LedgerEntry.objects.count() == entries and LeaveRequest.objects.count() == requests  # nothing written
    assert AccessLog.objects.filter(subject=erin_ready, object_type="leave_plan").exists()


def test_htmx_answers_the_result_only(client_for, users, erin_ready):
    c = client_for(users["employee"])
    r = _post(c, [{"kind": "vacation", "start_date": "2027-02-08", "end_date": "2027-02-12"}], HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert r.content.decode().lstrip().startswith('<div id="plan-result">')
    row = c.get("/planner/row/?n=3")
    assert row.status_code == 200 and 'id="id_kind_3"' in row.content.decode()


def test_a_planned_row_beyond_the_balance_is_shown_as_stopped_with_sec_8_1_n(client_for, users, erin_ready):
    c = client_for(users["employee"])
    # personal leave: 15 h on 2026-01-04 are forfeited on 2027-01-09 (Sec. 8.2.B); January 2027 credits a
    # 37.5-hour employee hired after 2011-09-01 22.5 h (Sec. 8.2.B table) on 2027-01-10. Four days in February
    # (2027-02-08..11, 4 × 7.5 = 30 h) exceed it: 22.5 h could be charged, 7.5 h would not (Sec. 8.1.N).
    r = _post(c, [{"kind": "personal", "start_date": "2027-02-08", "end_date": "2027-02-11"}])
    page = r.content.decode()
    assert r.status_code == 200
    assert "Would stop this request" in page and "Sec. 8.1.N" in page
    assert "22.5 of 30 h" in page
    assert "Sec. 8.2.B" in page  # the January 2027 forfeiture of the 2026 credit is listed


@pytest.mark.parametrize(("row", "field", "words"), [
    ({"kind": "vacation", "start_date": "2026-11-02", "end_date": "2026-11-03"}, "rows[0].start_date", "before today"),
    ({"kind": "vacation", "start_date": "2029-02-08", "end_date": "2029-02-09"}, "rows[0].end_date", "two years ahead"),
    ({"kind": "holiday_on_mars", "start_date": "2027-02-08", "end_date": "2027-02-09"}, "rows[0].kind", "kind of leave"),
    ({"kind": "vacation", "start_date": "2027-02-09", "end_date": "2027-02-08"}, "rows[0].end_date", "before it starts"),
    ({"kind": "vacation", "start_date": "2027-02-30", "end_date": ""}, "rows[0].start_date", ""),
    ({"kind": "vacation", "start_date": "2027-02-08", "end_date": "2027-02-08", "hours": "-2"}, "rows[0].hours", ""),
])
def test_bad_input_is_a_4xx_naming_the_row_and_field(client_for, users, erin_ready, row, field, words):
    from openleave.audit.models import AccessLog

    c = client_for(users["employee"])
    before = AccessLog.objects.filter(object_type="leave_plan").count()
    r = _post(c, [row])
    assert r.status_code == 400
    page = r.content.decode()
    assert "Row 1" in page and f"(field {field})" in page and words in page
    api = c.post("/api/planner/", json.dumps({"rows": [{k: v for k, v in row.items() if v != ""}]}),
                 content_type="application/json")
    assert api.status_code in (400, 422), api.content
    body = api.json()
    assert body["field"] == field, body  # the same parser names the same row and field
    assert AccessLog.objects.filter(object_type="leave_plan").count() == before  # nothing projected, nothing logged


def test_too_many_rows_is_refused_naming_rows(client_for, users, erin_ready):
    c = client_for(users["employee"])
    rows = [{"kind": "vacation", "start_date": f"2027-03-{d:02d}", "end_date": f"2027-03-{d:02d}"} for d in range(1, 22)]
    r = _post(c, rows)
    assert r.status_code == 400 and "at most 20 rows" in r.content.decode()
    api = c.post("/api/planner/", json.dumps({"rows": rows}), content_type="application/json")
    assert api.status_code in (400, 422) and api.json()["field"] == "rows"


def test_the_api_answers_the_projection(client_for, users, erin_ready):
    c = client_for(users["employee"])
    r = c.post("/api/planner/", json.dumps({"rows": [{"kind": "vacation", "start_date": "2027-02-08",
                                                      "end_date": "2027-02-12"}]}), content_type="application/json")
    assert r.status_code == 200, r.content
    j = r.json()
    assert j["from"] == "2026-12-01"
    assert j["rows"][0]["allowed"] == "37.5" and j["rows"][0]["stopped"] is False
    day = next(d for d in j["days"] if d["date"] == "2027-02-08")
    assert any(ch["kind"] == "usage" and ch["hours"] == "-37.5" for ch in day["changes"])


def test_someone_without_an_employee_record_gets_404(client_for, users):
    assert client_for(users["hr"]).get("/planner/").status_code == 404


@pytest.mark.parametrize("facts", [{"no_such_fact": 1}, {"purpose": ["a", "list"]}, {"purpose": "x" * 500},
                                   {"relation": {"nested": True}}])
def test_odd_facts_are_a_4xx_never_a_500(client_for, users, erin_ready, facts):
    c = client_for(users["employee"])
    r = c.post("/api/planner/", json.dumps({"rows": [{"kind": "sick", "start_date": "2027-02-08", "facts": facts}]}),
               content_type="application/json")
    assert 400 <= r.status_code < 500, r.content
    assert r.json()["detail"]


def test_hours_may_be_a_number_in_the_api(client_for, users, erin_ready):
    c = client_for(users["employee"])
    r = c.post("/api/planner/", json.dumps({"rows": [{"kind": "vacation", "start_date": "2027-02-08", "hours": 3.5}]}),
               content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["rows"][0]["requested"] == "3.5"
