"""The pages and API of reconsideration and grievance outcomes: the chain shown, the forms, clear 4xx.

Erin Doyle: 7.5 h a day; opening vacation 75 h. Mon 7 Dec 2026, one day: 7.5 h of vacation (Sec. 9.10).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from openleave.audit.models import AccessLog
from openleave.leave import services as svc
from openleave.leave.models import Decision, GrievanceOutcome
from openleave.ledger.selectors import balance_parts

pytestmark = pytest.mark.django_db
H = 1_000_000


def _denied(erin, users, ask):
    req = svc.leave_request_submit(employee=erin, user=users["employee"], data=ask("vacation", "2026-12-07"))
    return svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="denied",
                                    grounds=["vacation_impracticable"], text="The ward is short-staffed that day.")


def test_api_reconsideration_and_outcome(erin, users, ask, client_for):
    req = _denied(erin, users, ask)
    first = req.decision
    c = client_for(users["supervisor"])
    r = c.post(f"/api/leave/requests/{req.pk}/reconsideration", json.dumps({"outcome": "approved"}),
               content_type="application/json")
    assert r.status_code in (400, 422)  # reasons are required (the schema)
    r = c.post(f"/api/leave/requests/{req.pk}/reconsideration",
               json.dumps({"outcome": "approved", "text": "Cover found: approved.", "decision_id": first.pk}),
               content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["reconsiders"] == first.pk and r.json()["approved_hours"] == "7.5"
    assert balance_parts(erin, dt.date(2026, 12, 6))["vacation"].available == 75 * H - 7_500_000
    r = c.post(f"/api/leave/requests/{req.pk}/reconsideration",
               json.dumps({"outcome": "approved", "text": "Again from an old page.", "decision_id": first.pk}),
               content_type="application/json")
    assert r.status_code == 409 and "superseded" in r.json()["detail"]
    chain = client_for(users["employee"]).get(f"/api/leave/requests/{req.pk}/decisions").json()
    assert [d["id"] for d in chain] == [first.pk, first.pk + 1] and chain[0]["text"] == first.text
    # The employee may not record an outcome (403); HR records one (201); the same again: 409.
    body = {"employee_number": erin.employee_number, "result": "withdrawn", "step": "I", "decided_on": "2026-11-30",
            "reference": "G-1", "text": "Withdrawn by the Union after the reconsideration.", "decision_id": first.pk}
    r = client_for(users["employee"]).post("/api/grievance-outcomes", json.dumps(body), content_type="application/json")
    assert r.status_code == 403
    r = client_for(users["hr"]).post("/api/grievance-outcomes", json.dumps(body), content_type="application/json")
    assert r.status_code == 201 and r.json()["step_cite"] == "Sec. 23.2 Step I"
    r = client_for(users["hr"]).post("/api/grievance-outcomes", json.dumps(body), content_type="application/json")
    assert r.status_code == 409
    mine = client_for(users["employee"]).get(f"/api/employees/{erin.employee_number}/grievance-outcomes")
    assert mine.status_code == 200 and [o["reference"] for o in mine.json()] == ["G-1"]
    assert AccessLog.objects.filter(object_type="grievance_outcome", subject=erin, channel="api").count() == 2


def test_request_page_shows_the_chain_and_the_forms(erin, users, ask, client_for):
    req = _denied(erin, users, ask)
    page = client_for(users["supervisor"]).get(f"/leave/requests/{req.pk}/")
    assert b"Reconsider the decision" in page.content and b"Record a grievance outcome" not in page.content
    r = client_for(users["supervisor"]).post(f"/leave/requests/{req.pk}/reconsider/", {
        "outcome": "approved", "text": "Cover was found for the day.", "decision_id": req.decision.pk})
    assert r.status_code == 302
    page = client_for(users["hr"]).get(f"/leave/requests/{req.pk}/")
    html = page.content.decode()
    assert "reconsidering decision" in html and "(superseded)" in html and "(current)" in html
    assert "The ward is short-staffed that day." in html and "Cover was found for the day." in html
    assert "Record a grievance outcome" in html
    r = client_for(users["hr"]).post(f"/leave/requests/{req.pk}/outcome/", {
        "step": "II", "result": "sustained", "decided_on": "2026-11-30", "reference": "G-2",
        "text": "Sustained at Step II; nothing more to correct."})
    assert r.status_code == 302 and GrievanceOutcome.objects.count() == 1
    assert "G-2" in client_for(users["employee"]).get(f"/leave/requests/{req.pk}/").content.decode()
    # The employee sees no forms.
    html = client_for(users["employee"]).get(f"/leave/requests/{req.pk}/").content.decode()
    assert "Reconsider the decision" not in html and "Record a grievance outcome" not in html
    assert Decision.objects.filter(request=req).count() == 2


def test_the_outcome_page_records_an_outcome_over_an_adjustment(erin, users, client_for):
    """HR records, on the member's grievance-outcomes page, a sustained Step I outcome over a 10 h sick-leave
    debit and orders it reversed: a REVERSAL of +10 h citing Art. 23; the member reads the page; a supervisor may
    not (404); a bad outcome date re-shows the form with a 400 and writes nothing."""
    from openleave.ledger.models import Kind, Leave, LedgerEntry
    from openleave.ledger.services import ledger_adjust

    adj = ledger_adjust(employee=erin, leave=Leave.SICK, micro=-10 * H, cite="Sec. 8.1.K.3", reason="test debit",
                        by=users["hr"], effective_date=dt.date(2026, 11, 2))
    url = f"/employees/{erin.employee_number}/grievance-outcomes/"
    hr = client_for(users["hr"])
    page = hr.get(url)
    assert page.status_code == 200 and f"entry:{adj.pk}" in page.content.decode()
    form = {"act_choice": f"entry:{adj.pk}", "step": "I", "result": "sustained", "reference": "G-2026-7",
            "text": "The debit had no basis: reversed.", "correction": "reverse"}
    before = GrievanceOutcome.objects.count()
    bad = hr.post(url, {**form, "decided_on": "not a date"})
    assert bad.status_code == 400 and GrievanceOutcome.objects.count() == before
    ok = hr.post(url, {**form, "decided_on": "2026-11-20"})
    assert ok.status_code == 302
    out = GrievanceOutcome.objects.get(ledger_entry_id=adj.pk)
    rev = LedgerEntry.objects.get(pk=out.correction_entry_id)
    assert (rev.kind, rev.reverses_id, rev.micro) == (Kind.REVERSAL, adj.pk, 10 * H) and "Art. 23" in rev.reason
    mine = client_for(users["employee"]).get(url)
    assert mine.status_code == 200 and "G-2026-7" in mine.content.decode()
    assert AccessLog.objects.filter(subject=erin, object_type="grievance_outcome", actor=users["employee"]).exists()
    assert client_for(users["supervisor"]).get(url).status_code == 404
    assert client_for(users["supervisor"]).post(url, {**form, "decided_on": "2026-11-21"}).status_code == 404
