"""The whole family-and-medical-leave path through the API (the test client, as a program would): the employee
opens an intermittent case and uploads the D-1 (a PNG) → the coordinator requests the certification and designates
with reasons → the case shows the counters → with the 60 intermittent days used (Sec. 8.7.2.B.4.a) one more day is
asked → it is in the coordinator's queue, not the supervisor's → the supervisor may not decide (403), the
coordinator must give reasons (422) and then approves (B.4.c) → HR closes the case.

Erin Doyle (demo): 37.5 h a week, 7.5 h a day; 26 weeks (B.1) = 975 h; 60 days (B.4.a) = 450 h. Clock: 2026-12-01.
"""

from __future__ import annotations

import pytest

from openleave.documents import pdf_text

from .conftest import png_with_text
from .test_fmla_decisions import sixty_days_used

pytestmark = pytest.mark.django_db


def test_the_whole_path_through_the_api(users, people, client_for):
    erin = people["erin"]
    sixty_days_used(erin)
    base = f"/api/employees/{erin.employee_number}/fmla-cases"

    def me():  # one test client, signed in again as each person in turn
        return client_for(users["employee"])

    def coord():
        return client_for(users["medical"])

    def sup():
        return client_for(users["supervisor"])
    r = me().post(base, {"reason": "own_condition", "schedule": "intermittent", "expected_start": "2026-12-07"},
                content_type="application/json")
    assert r.status_code == 201, r.content
    case = r.json()
    # 60 × 7.5 = 450 h = 12 weeks of 26 (B.1); 60 of 60 intermittent days (B.4.a)
    assert case["counters"]["weeks_line"] == "FMLA weeks used in the last 52 weeks: 12 of 26 (Sec. 8.7.2.B.1)"
    assert case["counters"]["intermittent_line"] == "Intermittent days used: 60 of 60 (Sec. 8.7.2.B.4.a)"
    assert case["designation"] is None
    up = me().post(f"/api/employees/{erin.employee_number}/medical-documents",
                 {"kind": "d1", "case": case["id"], "file": _file(png_with_text(), "d1.png", "image/png")})
    assert up.status_code == 201, up.content

    url = f"{base}/{case['id']}"
    r = coord().post(f"{url}/certification-request", {"on": "2026-12-01"}, content_type="application/json")
    assert r.json()["certification_due"] == "2026-12-16"  # 1 Dec + 15 calendar days (Sec. 8.1.M, App. D-1)
    assert r.json()["certification"].startswith("certification received on 2026-12-01")  # the D-1 is in
    assert client_for(users["hr"]).post(f"{url}/designation", {"outcome": "designated", "reasons": "HR."},
                                        content_type="application/json").status_code == 403
    r = coord().post(f"{url}/designation", {"outcome": "designated", "reasons": "The D-1 is complete."},
                   content_type="application/json")
    assert r.status_code == 201
    d = r.json()["designation"]
    # as of the case's first day 2026-12-07: 12 weeks used, 26 − 12 = 14 left; 0 intermittent days left
    assert (d["weeks_used"], d["weeks_remaining"], d["intermittent_days_remaining"]) == ("12", "14", "0")
    notice = me().get(d["notice_url"])
    assert notice.status_code == 200 and "The D-1 is complete." in pdf_text(notice.content)

    ask = me().post("/api/leave/requests", {"kind": "fmla_medical", "start_date": "2026-12-07", "facts": {
        "relation": "self", "mode": "intermittent", "certified": True}}, content_type="application/json")
    assert ask.status_code == 201, ask.content
    rid = ask.json()["id"]
    assert rid in [q["id"] for q in coord().get("/api/leave/queue").json()]
    assert rid not in [q["id"] for q in sup().get("/api/leave/queue").json()]
    seen = sup().get(f"/api/leave/requests/{rid}").json()
    assert seen["kind_label"] == "family and medical leave" and seen["facts"] == {}
    assert "Protected leave: the reason is not shown." in str(seen)
    assert "serious health condition" not in str(seen) and "own_condition" not in str(seen)
    r = sup().post(f"/api/leave/requests/{rid}/decision", {"outcome": "approved", "text": "Fine."},
                 content_type="application/json")
    assert r.status_code == 403
    r = coord().post(f"/api/leave/requests/{rid}/decision", {"outcome": "approved"}, content_type="application/json")
    assert r.status_code == 400 and "own words" in r.content.decode()  # LeaveError: 400, naming the field
    r = coord().post(f"/api/leave/requests/{rid}/decision",
                   {"outcome": "approved", "text": "Operations allow this day (Sec. 8.7.2.B.4.c)."},
                   content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "approved"

    r = client_for(users["hr"]).post(f"{url}/close", content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    again = coord().post(f"{url}/designation", {"outcome": "declined", "reasons": "Too late."},
                       content_type="application/json")
    assert again.status_code == 409  # a closed case is not designated


def _file(data: bytes, name: str, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)
