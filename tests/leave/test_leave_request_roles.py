"""Who may see and decide: a supervisor sees and decides only their own team's requests (others: 404),
never sees the reason of DV leave (Sec. 8.12) or a family-care purpose beyond its category; a request
is decided once; each bad input gets a specific error."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group

from openleave import policy
from openleave.leave import selectors as sel
from openleave.leave import services as svc
from openleave.leave.errors import AlreadyDecided, LeaveError, NotDecider

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana_user(people):
    """A user for Dana Whitfield, the DCR supervisor (another team, another agency)."""
    from openleave.accounts.models import User

    u = User.objects.create_user("dana", password="x" * 16, first_name="Dana")
    u.groups.set(Group.objects.filter(name__in=["employee", "supervisor"]))
    people["dana"].user = u
    people["dana"].save()
    return u


def _submit(erin, users, ask, *a, **kw):
    return svc.leave_request_submit(employee=erin, user=users["employee"], data=ask(*a, **kw))


def test_other_teams_supervisor_gets_404_everywhere(erin, users, ask, dana_user, client_for):
    req = _submit(erin, users, ask, "vacation", "2026-12-07")
    with pytest.raises(policy.NotVisible):
        svc.leave_request_decide(request_id=req.pk, user=dana_user, outcome="approved")
    c = client_for(dana_user)
    assert c.get(f"/leave/requests/{req.pk}/").status_code == 404
    assert c.get(f"/leave/requests/{req.pk}/decide/").status_code == 404
    assert c.post(f"/leave/requests/{req.pk}/decide/", {"outcome": "approved"}).status_code == 404
    assert c.get(f"/api/leave/requests/{req.pk}").status_code == 404
    r = c.post(f"/api/leave/requests/{req.pk}/decision", json.dumps({"outcome": "approved"}), content_type="application/json")
    assert r.status_code == 404 and r.json() == {"detail": "Not found, or you may not see it."}
    assert req.pk not in [x["id"] for x in c.get("/api/leave/queue").json()]
    assert b"Erin" not in c.get("/leave/team/").content


def test_who_may_see_but_not_decide_gets_a_specific_403(erin, users, ask, client_for):
    req = _submit(erin, users, ask, "vacation", "2026-12-07")
    with pytest.raises(NotDecider):
        svc.leave_request_decide(request_id=req.pk, user=users["auditor"], outcome="approved")
    r = client_for(users["auditor"]).post(f"/api/leave/requests/{req.pk}/decision", json.dumps({"outcome": "approved"}),
                                          content_type="application/json")
    assert r.status_code == 403 and "supervisor or the agency's Appointing Authority" in r.json()["detail"]
    with pytest.raises(NotDecider):  # the employee never decides their own request
        svc.leave_request_decide(request_id=req.pk, user=users["employee"], outcome="approved")


def test_appointing_authority_may_decide(erin, users, ask):
    req = _submit(erin, users, ask, "vacation", "2026-12-07")
    req = svc.leave_request_decide(request_id=req.pk, user=users["hr"], outcome="approved")
    assert req.decision.decided_as == "appointing_authority"


def test_supervisor_never_sees_the_dv_reason(erin, users, ask, client_for):
    req = _submit(erin, users, ask, "domestic_violence", "2026-12-07")
    view = sel.request_view(users["supervisor"], req)
    assert view["kind"] == "protected" and view["kind_label"] == "protected leave"
    assert view["facts"] == {} and view["finding"]["citations"] == []
    assert view["finding"]["reasons"] == ["Protected leave: the reason is not shown."]
    c = client_for(users["supervisor"])
    for url in (f"/leave/requests/{req.pk}/decide/", "/leave/queue/", "/leave/team/?month=2026-12",
                f"/api/leave/requests/{req.pk}", "/api/leave/queue", "/leave/team/summary.csv?month=2026-12"):
        body = c.get(url).content.decode().lower()
        assert "8.12" not in body and "domestic" not in body, url
    notes = " ".join(n.body for n in users["supervisor"].leave_notifications.all()).lower()
    assert "protected leave" in notes and "domestic" not in notes
    # The employee sees it all.
    assert sel.request_view(users["employee"], req)["kind"] == "domestic_violence"


def test_supervisor_sees_family_care_only_as_its_category(erin, users, ask, client_for):
    req = _submit(erin, users, ask, "sick", "2026-12-07", facts={"purpose": "family_care", "relation": "parent"})
    view = sel.request_view(users["supervisor"], req)
    assert view["kind_label"] == "sick leave (family)" and view["facts"] == {}
    body = client_for(users["supervisor"]).get(f"/leave/requests/{req.pk}/decide/").content.decode()
    assert "parent" not in body.lower() and "8.1.C.2.a" not in body and "seriously ill" not in body


def test_decided_only_once(erin, users, ask):
    req = _submit(erin, users, ask, "vacation", "2026-12-07")
    svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="approved")
    with pytest.raises(AlreadyDecided):
        svc.leave_request_decide(request_id=req.pk, user=users["hr"], outcome="denied",
                                 grounds=["vacation_impracticable"], text="Second opinion, too late.")
    req.refresh_from_db()
    assert req.status == "approved" and req.charges.count() == 1


def test_denial_and_partial_need_a_ground_and_reasons(erin, users, ask):
    req = _submit(erin, users, ask, "vacation", "2026-12-07", "2026-12-09")
    for kw, field in (({"outcome": "denied"}, "grounds"),
                      ({"outcome": "denied", "grounds": ["vacation_impracticable"]}, "text"),
                      ({"outcome": "denied", "grounds": ["sick_cap_reached"], "text": "Not a vacation ground."}, "grounds"),
                      ({"outcome": "partly_approved", "grounds": ["vacation_impracticable"], "text": "One day only."},
                       "approved_hours"),
                      ({"outcome": "partly_approved", "approved_hours": "30", "grounds": ["vacation_impracticable"],
                        "text": "More than asked."}, "approved_hours")):
        with pytest.raises(LeaveError) as exc:
            svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], **kw)
        assert exc.value.field == field, kw
    req.refresh_from_db()
    assert req.status == "submitted"
    # Partial: 7.5 of 22.5 h → the first day, charged 7.5 h vacation (Sec. 9.10).
    req = svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="partly_approved",
                                   approved_hours="7.5", grounds=["vacation_impracticable"],
                                   text="Two cooks are already out that week.")
    assert req.approved_micro == 7_500_000 and req.charges.get().micro == 7_500_000
    assert list(req.days) == ["2026-12-07"]


@pytest.mark.parametrize("args,kw,needle", [
    (("vacation", "2026-12-09", "2026-12-07"), {}, "ends (2026-12-07) before it starts (2026-12-09)"),
    (("vacation", "2014-01-06"), {}, "the agreement's parameters begin 2017-07-01"),
    (("vacation", "2026-12-12", "2026-12-13"), {}, "No scheduled hours between 2026-12-12 and 2026-12-13"),
    (("vacation", "2026-12-07"), {"hours": "9"}, "only 7.5 h are scheduled"),
    (("sick", "2026-12-07"), {"facts": {"purpose": "the flu and a fever"}}, "not free text"),
    (("sick", "2026-12-07"), {"facts": {"diagnosis": "x"}}, "is not a fact"),
])
def test_specific_errors(erin, users, ask, args, kw, needle):
    with pytest.raises(LeaveError) as exc:
        _submit(erin, users, ask, *args, **kw)
    assert needle in exc.value.message


def test_contractor_is_not_eligible(erin, users, ask):
    erin.status = "contractor"
    erin.save()
    with pytest.raises(LeaveError, match="Contractors are not covered"):
        _submit(erin, users, ask, "vacation", "2026-12-07")


def test_api_errors_are_detail(erin, users, client_for):
    c = client_for(users["employee"])
    r = c.post("/api/leave/requests", json.dumps({"kind": "vacation", "start_date": "2026-12-12"}),
               content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"].startswith("No scheduled hours")
    r = c.post("/api/leave/requests", json.dumps({"kind": "holiday", "start_date": "2026-12-07"}),
               content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "kind"  # not one of the documented kinds


def test_supervisor_may_approve_but_not_deny_dv_leave(erin, users, ask):
    req = _submit(erin, users, ask, "domestic_violence", "2026-12-07")
    with pytest.raises(NotDecider, match="only by the Appointing Authority / HR"):
        svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="denied",
                                 grounds=["dv_not_qualifying"], text="I do not know the reason.")
    req = svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="approved")
    assert req.status == "approved" and req.charges.get().leave_type == "domestic_violence"
