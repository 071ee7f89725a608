"""The steward's workspace exists only under the member's authorisation (Sec. 24.1: "The Union shall have access to
an employee's records upon written authorization by the employee involved"): it shows the member's decisions with
their findings, grounds, reasons and grievance deadlines (Art. 23); a revoked or expired authorisation ends it at
once; every look is on the member's access log."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from openleave.audit.models import AccessLog
from openleave.privacy.consent import consent_revoke

pytestmark = pytest.mark.django_db
DENIAL_TEXT = "Two of the three cooks are already off that week; the kitchen cannot run."  # as in conftest.denied

# The denial is decided on 2026-12-01 (the frozen clock, New York). Sec. 23.2 Step I: the grievance is submitted
# "not later than twenty-one (21) calendar days after the date on which the alleged act ... occurred":
# 2026-12-01 + 21 days = 2026-12-22.
STEP_1_DUE = "2026-12-22"


def _workspace_html(c) -> str:
    r = c.get("/steward/")
    assert r.status_code == 200
    return r.content.decode()


def test_an_authorised_steward_sees_the_members_denial_with_its_grounds_reasons_and_deadline(
        denied, erin, users, grant, client_for):
    grant(erin, users["steward"])
    c = client_for(users["steward"])
    html = _workspace_html(c)
    assert "Erin Doyle" in html and f"/steward/members/{erin.employee_number}/" in html
    assert STEP_1_DUE in html and "Sec. 23.2" in html
    page = c.get(f"/steward/members/{erin.employee_number}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Denied" in body and "Sec. 9.8" in body and DENIAL_TEXT.replace("'", "&#x27;") in body
    assert "Impossible or impracticable because of work schedules or emergencies" in body  # the ground's text
    assert "Sean McCarthy (supervisor)" in body and "2026-12-01" in body  # who decided, when
    assert "finding at the decision" in body and 'class="outcome outcome-' in body
    assert STEP_1_DUE in body
    track = f"/grievance/decision/{denied.decision.pk}/"
    assert track in body and f"{track}report/" in body
    assert c.get(track).status_code == 200 and c.get(f"{track}report/").status_code == 200  # the grievance app's pages

    api = c.get("/api/steward/workspace").json()
    assert [m["employee_number"] for m in api["members"]] == [erin.employee_number]
    assert api["members"][0]["denied"] == 1
    assert {(d["date"], d["citation"]) for d in api["deadlines"]} >= {(STEP_1_DUE, "Sec. 23.2 Step I")}
    one = c.get(f"/api/steward/members/{erin.employee_number}").json()
    (req,) = one["requests"]
    assert req["decision"]["outcome"] == "denied" and req["decision"]["text"] == DENIAL_TEXT
    assert req["decision"]["grounds"][0]["cite"] == "Sec. 9.8"
    assert req["finding_at_decision"]["outcome"]


def test_denials_and_partial_approvals_come_before_approvals(erin, users, grant, client_for):
    from openleave.leave import services as svc

    def decided(day, outcome, **kw):
        data = svc.parse_input({"kind": "vacation", "start_date": day, "end_date": day, "facts": {}})
        req = svc.leave_request_submit(employee=erin, user=users["employee"], data=data)
        return svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome=outcome, **kw)

    approved = decided("2026-12-08", "approved")
    denied = decided("2026-12-09", "denied", grounds=["vacation_impracticable"], text=DENIAL_TEXT)
    grant(erin, users["steward"])
    one = client_for(users["steward"]).get(f"/api/steward/members/{erin.employee_number}").json()
    assert [r["id"] for r in one["requests"]] == [denied.pk, approved.pk]
    assert [d["request_id"] for d in one["deadlines"]] == [denied.pk]  # an approval is not grieved here


def test_revoking_the_authorisation_removes_the_member_at_once(denied, erin, users, grant, client_for):
    consent = grant(erin, users["steward"])
    c = client_for(users["steward"])
    assert "Erin Doyle" in _workspace_html(c)
    consent_revoke(actor=erin.user, consent_id=consent.pk, channel="ui")
    html = _workspace_html(c)
    assert "Erin Doyle" not in html and STEP_1_DUE not in html
    assert c.get(f"/steward/members/{erin.employee_number}/").status_code == 404
    assert c.get(f"/api/steward/members/{erin.employee_number}").status_code == 404
    assert c.get(f"/grievance/decision/{denied.decision.pk}/report/").status_code == 404  # the report goes with it
    assert c.get("/api/steward/workspace").json()["members"] == []
    assert c.get("/api/steward/workspace").json()["deadlines"] == []


def test_the_member_disappears_when_the_authorisation_expires(denied, erin, users, grant, client_for):
    grant(erin, users["steward"], days=10)  # valid to the end of 2026-12-11
    c = client_for(users["steward"])
    assert c.get(f"/steward/members/{erin.employee_number}/").status_code == 200
    with time_machine.travel(dt.datetime(2026, 12, 11, 23, 0, tzinfo=timezone.get_current_timezone())):
        c = client_for(users["steward"])  # a fresh session (the first one has timed out by then)
        assert c.get(f"/steward/members/{erin.employee_number}/").status_code == 200  # its last day
    with time_machine.travel(dt.datetime(2026, 12, 12, 0, 1, tzinfo=timezone.get_current_timezone())):
        c = client_for(users["steward"])
        assert c.get(f"/steward/members/{erin.employee_number}/").status_code == 404
        assert "Erin Doyle" not in _workspace_html(c)
        assert c.get("/api/steward/workspace").json()["members"] == []


def test_a_steward_without_any_authorisation_sees_nothing(denied, erin, users, client_for):
    c = client_for(users["steward"])
    html = _workspace_html(c)
    assert "Erin Doyle" not in html and "No member has authorised you" in html
    assert c.get(f"/steward/members/{erin.employee_number}/").status_code == 404
    assert c.get("/steward/members/999999/").status_code == 404  # the same answer as for no such person
    assert c.get("/api/steward/workspace").json() == {"on": "2026-12-01", "members": [], "deadlines": []}
    r = c.get(f"/api/steward/members/{erin.employee_number}")
    assert r.status_code == 404 and r.json() == {"detail": "Not found, or you may not see it."}
    assert not AccessLog.objects.filter(subject=erin, object_type="steward_workspace").exists()


def test_another_steward_authorised_by_someone_else_cannot_see_this_member(
        denied, erin, people, users, grant, other_steward, client_for):
    grant(erin, users["steward"])
    sean = people["sean"]
    grant(sean, other_steward)
    c = client_for(other_steward)
    html = _workspace_html(c)
    assert "Sean McCarthy" in html and "Erin Doyle" not in html
    assert c.get(f"/steward/members/{erin.employee_number}/").status_code == 404
    assert c.get(f"/api/steward/members/{erin.employee_number}").status_code == 404
    assert [m["employee_number"] for m in c.get("/api/steward/workspace").json()["members"]] == [sean.employee_number]


@pytest.mark.parametrize("who", ["employee", "supervisor", "hr", "auditor"])
def test_the_workspace_is_only_for_stewards(who, denied, users, client_for):
    """HR and the auditor may read Erin's record through their own role, but not as a steward's workspace."""
    c = client_for(users[who])
    assert c.get("/steward/").status_code == 404
    assert c.get("/steward/members/100002/").status_code == 404
    assert c.get("/api/steward/workspace").status_code == 404


def test_the_members_access_log_shows_each_look_by_the_steward(denied, erin, users, grant, client_for):
    grant(erin, users["steward"])
    c = client_for(users["steward"])
    c.get("/steward/")
    c.get(f"/steward/members/{erin.employee_number}/")
    c.get(f"/api/steward/members/{erin.employee_number}")
    looks = AccessLog.objects.filter(subject=erin, object_type="steward_workspace", actor=users["steward"])
    assert sorted(looks.values_list("channel", "object_id")) == [("api", str(erin.pk)), ("ui", str(erin.pk)),
                                                                  ("ui", "list")]
    assert all(x.purpose == "representation authorised by the employee (Art. 23, Sec. 24.1)" for x in looks)
    page = client_for(users["employee"]).get("/me/access/").content.decode()
    assert "Stan Kowalczyk (steward)" in page and "steward workspace" in page


def test_a_protected_kind_shows_only_its_category_to_the_steward(erin, users, grant, client_for):
    """Sec. 8.12 leave denied by HR: the steward sees "protected leave", never the kind, the reason or its section."""
    from openleave.leave import services as svc

    data = svc.parse_input({"kind": "domestic_violence", "start_date": "2026-12-07", "end_date": "2026-12-07",
                            "facts": {}})
    req = svc.leave_request_submit(employee=erin, user=users["employee"], data=data)
    offered = [g["code"] for g in req.finding_at_submission.get("grounds", [])]
    assert offered, "Sec. 8.12 leave offers the Appointing Authority a ground to deny it"
    svc.leave_request_decide(request_id=req.pk, user=users["hr"], outcome="denied", grounds=offered[:1],
                             text="Denied by the Appointing Authority after review.")
    grant(erin, users["steward"])
    c = client_for(users["steward"])
    for url in (f"/steward/members/{erin.employee_number}/", f"/api/steward/members/{erin.employee_number}"):
        body = c.get(url).content.decode().lower()
        assert "protected leave" in body and "8.12" not in body and "domestic" not in body, url


def test_one_list_of_deadlines_across_every_authorising_member_soonest_first(denied, erin, people, users, grant,
                                                                              client_for, post_balance):
    """Sean's vacation is denied by HR on 2026-11-25: Sec. 23.2 Step I, 2026-11-25 + 21 days = 2026-12-16 — before
    Erin's 2026-12-22 (denied 2026-12-01)."""
    from openleave.leave import services as svc

    sean = people["sean"]
    post_balance(sean, vacation="80")
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=timezone.get_current_timezone())):
        data = svc.parse_input({"kind": "vacation", "start_date": "2026-12-14", "end_date": "2026-12-14", "facts": {}})
        req = svc.leave_request_submit(employee=sean, user=users["supervisor"], data=data)
        svc.leave_request_decide(request_id=req.pk, user=users["hr"], outcome="denied",
                                 grounds=["vacation_impracticable"], text="The boiler replacement needs you that week.")
    grant(erin, users["steward"])
    grant(sean, users["steward"])
    api = client_for(users["steward"]).get("/api/steward/workspace").json()
    assert [m["employee_number"] for m in api["members"]] == [erin.employee_number, sean.employee_number]  # by name
    assert [(d["date"], d["employee_number"], d["step"]) for d in api["deadlines"]] == [
        ("2026-12-16", sean.employee_number, "step1_filing"), (STEP_1_DUE, erin.employee_number, "step1_filing")]
