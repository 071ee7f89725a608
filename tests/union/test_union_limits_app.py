"""The union-wide limits of Art. 5 in the app: usage counted across every member of the unit (every agency) from
their pending and granted requests, in one query per limit; a request beyond a limit refused or partly allowed;
the union officer's view (page and API) with its figures, who may see it, and its access-log rows.

Figures worked by hand from Sec. 5.3 / 5.4 (175 convention days a year; 10 Executive Board work days a calendar
year). Erin (DMH) works a 37.5 h week, 7.5 h a day; Stan (DMH, a steward and a member) 40 h, 8 h a day (Sec. 8.9); the DCR member
is another agency's."""

from __future__ import annotations

import datetime as dt

import pytest

from openleave.rules.units import MICRO

pytestmark = pytest.mark.django_db
DAY = 7_500_000


def weekdays(start: dt.date, n: int) -> list[dt.date]:
    out, d = [], start
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def held(employee, purpose: str, dates: list[dt.date], status="approved", kind="union_paid"):
    """A live union-leave request of another member, as the app stores one (the hours per date it holds)."""
    from openleave.leave.models import LeaveRequest

    return LeaveRequest.objects.create(
        employee=employee, kind=kind, start_date=min(dates), end_date=max(dates), facts={"purpose": purpose},
        status=status, requested_micro=DAY * len(dates), allowed_micro=DAY * len(dates),
        approved_micro=DAY * len(dates), days={d.isoformat(): DAY for d in dates})


def submit(employee, user, purpose, start, end=None, kind="union_paid"):
    from openleave.leave import services as svc

    data = svc.parse_input({"kind": kind, "start_date": start, "end_date": end or start, "facts": {"purpose": purpose}})
    return svc.leave_request_submit(employee=employee, user=user, data=data)


def test_convention_counted_across_agencies_and_the_last_day_goes_once(people, users):
    from openleave.leave import services as svc
    from openleave.leave.errors import LeaveError

    # a DCR delegate holds 174 days of 2027 (approved); Erin (DMH) asks Mon 4 – Tue 5 Oct 2027:
    # 174 + 2 = 176 > 175 → 1 over; 1 day left → 7.5 h of 15 h, for HRD to approve (Sec. 5.3)
    held(people["dcr_report"], "convention", weekdays(dt.date(2027, 1, 4), 174))
    req = submit(people["erin"], users["employee"], "convention", "2027-10-04", "2027-10-05")
    assert req.status == "submitted" and req.requested_micro == 2 * DAY and req.allowed_micro == DAY
    assert any("174 of 175 days used across the unit in 2027; 2 requested; 1 over — Sec. 5.3" in r
               for r in req.finding_at_submission["reasons"])
    # Erin's pending day makes 175 of 175: Stan's request is refused with the figures
    with pytest.raises(LeaveError, match="175 of 175 days used across the unit in 2027; 1 requested; 1 over"):
        submit(people["stan"], users["steward"], "convention", "2027-10-06")
    # Erin's request denied: the day is free again
    svc.leave_request_decide(request_id=req.pk, user=users["hr"], outcome="denied", grounds=["union_limit_reached"],
                             text="The Union's convention days are used up.")
    again = submit(people["stan"], users["steward"], "convention", "2027-10-06")
    assert again.allowed_micro == again.requested_micro == 8 * MICRO  # Stan's 40-h title: an 8-h day (Sec. 8.9)


def test_decision_rechecks_the_limit(people, users):
    from openleave.leave import services as svc
    from openleave.leave.errors import LeaveError

    # 9 Executive Board days held; Erin asks a 10th (pending); then a DCR member's 10th day is approved directly in
    # the data (e.g. entered before): approving Erin's would make 11 > 10 → the decider must partly approve or deny
    others = weekdays(dt.date(2027, 1, 4), 9)
    held(people["dcr_report"], "exec_board", others)
    req = submit(people["erin"], users["employee"], "exec_board", "2027-10-04")
    assert req.allowed_micro == DAY
    held(people["dana"], "exec_board", [dt.date(2027, 10, 11)])
    with pytest.raises(LeaveError, match="The contract now allows 0"):
        svc.leave_request_decide(request_id=req.pk, user=users["hr"], outcome="approved")


def test_exec_board_same_meeting_day_of_two_members_is_one_day(people, users):
    days = weekdays(dt.date(2027, 1, 4), 10)
    held(people["dcr_report"], "exec_board", days)
    # Erin asks for the last of those days (the same meeting): no new work day (Sec. 5.3)
    req = submit(people["erin"], users["employee"], "exec_board", days[-1].isoformat())
    assert req.allowed_micro == DAY


def test_cancelled_and_denied_requests_do_not_count(people, users):
    held(people["dcr_report"], "convention", weekdays(dt.date(2027, 1, 4), 175), status="denied")
    held(people["dana"], "convention", weekdays(dt.date(2027, 1, 4), 175), status="cancelled")
    assert submit(people["erin"], users["employee"], "convention", "2027-10-04").allowed_micro == DAY


def test_usage_is_one_query_and_full_time_adds_one_count(people, django_assert_num_queries):
    from openleave.leave import union_limits as U
    from openleave.people.models import Employee

    held(people["dcr_report"], "convention", weekdays(dt.date(2027, 1, 4), 3))
    held(people["dana"], "convention", weekdays(dt.date(2027, 2, 1), 2))
    with django_assert_num_queries(1):
        u = U.union_usage(people["erin"], "union_paid", dt.date(2027, 3, 1), dt.date(2027, 3, 1), {"purpose": "convention"})
    assert u.convention_days == {2027: 5}  # 3 + 2 delegate-days
    with django_assert_num_queries(2):
        u = U.union_usage(people["erin"], "union_unpaid", dt.date(2027, 3, 1), dt.date(2027, 3, 1),
                          {"purpose": "full_time_union"})
    expected = Employee.objects.filter(bargaining_unit="NAGE Unit 3").exclude(status="contractor").filter(
        separation_date__isnull=True).count()
    assert u.unit_employees == expected
    # a purpose without a union-wide limit reads nothing
    with django_assert_num_queries(0):
        U.union_usage(people["erin"], "union_paid", dt.date(2027, 3, 1), dt.date(2027, 3, 1), {"purpose": "grievance"})


def test_full_time_union_leave_refused_in_a_small_unit(people, users):
    from openleave.leave.errors import LeaveError
    from openleave.people.models import Employee

    # the demo unit has fewer than 1,000 employees → "one per each 1,000" allows none (Sec. 5.4)
    assert Employee.objects.count() < 1000
    with pytest.raises(LeaveError, match=r"employees in the unit → at most 0 full-time union leave"):
        submit(people["erin"], users["employee"], "full_time_union", "2027-01-04", "2027-01-08", kind="union_unpaid")


def test_used_days_is_not_a_fact_of_union_leave(people, users):
    from openleave.leave import services as svc
    from openleave.leave.errors import LeaveError

    with pytest.raises(LeaveError) as exc:
        svc.parse_input({"kind": "union_paid", "start_date": "2027-10-04", "end_date": "2027-10-04",
                         "facts": {"purpose": "convention", "used_days": 0}})
    assert "used_days" in str(exc.value)


# -- the union officer's view ------------------------------------------------------------------------------------
@pytest.fixture
def season(people):
    held(people["dcr_report"], "convention", weekdays(dt.date(2027, 1, 4), 170))
    held(people["erin"], "convention", weekdays(dt.date(2027, 9, 6), 2), status="submitted")
    held(people["dcr_report"], "exec_board", [dt.date(2027, 1, 11), dt.date(2027, 2, 8)])
    held(people["erin"], "exec_board", [dt.date(2027, 2, 8)])  # the same meeting: still 2 work days
    held(people["dana"], "president_assist", [dt.date(2027, 3, 1), dt.date(2027, 3, 2)])


def test_officer_view_figures(users, people, season):
    from openleave.leave import union_limits as U

    v = U.officer_view(users["steward"], dt.date(2027, 3, 3))
    lim = {x["purpose"]: x for x in v["limits"]}
    assert (lim["convention"]["used"], lim["convention"]["remaining"]) == (172, 3)  # 170 + 2; 175 − 172
    assert (lim["exec_board"]["used"], lim["exec_board"]["remaining"]) == (2, 8)  # 11 Jan, 8 Feb; 10 − 2
    assert lim["president_assist"]["used"] == "15" and lim["president_assist"]["remaining"] == "195"  # 210 − 2 × 7.5
    assert lim["steward_training"]["remaining"] == 1
    assert {x["cite"] for x in v["limits"]} == {"Sec. 5.3", "Sec. 5.4"}
    # the steward (the union) sees every holder, DCR's too
    assert {h["name"] for h in v["holders"]} == {people[p].name for p in ("dcr_report", "erin", "dana")}
    assert {h["agency"] for h in v["holders"]} == {people["erin"].agency.name, people["dana"].agency.name}


def test_officer_view_hr_sees_unit_figures_and_only_own_agency_names(users, people, season):
    from openleave.leave import union_limits as U

    v = U.officer_view(users["hr"], dt.date(2027, 3, 3))
    assert {x["purpose"]: x["used"] for x in v["limits"]}["convention"] == 172  # the whole unit's figure
    assert {h["name"] for h in v["holders"]} == {people["erin"].name}  # DMH's member only


def test_officer_view_refused_to_others(users):
    from openleave import policy
    from openleave.leave import union_limits as U

    for name in ("employee", "supervisor", "medical", "auditor", "admin"):
        with pytest.raises(policy.NotVisible):
            U.officer_view(users[name], dt.date(2027, 3, 3))


def test_officer_view_logs_each_holder(users, people, season):
    from openleave.audit.models import AccessLog
    from openleave.leave import union_limits as U

    before = AccessLog.objects.filter(subject=people["dana"]).count()
    U.officer_view(users["steward"], dt.date(2027, 3, 3))
    rows = AccessLog.objects.filter(subject=people["dana"]).order_by("-pk")
    assert rows.count() == before + 1 and rows[0].object_type == "union_leave"


def test_officer_page_and_api(client_for, users, season):
    c = client_for(users["steward"])
    page = c.get("/union/limits/?on=2027-03-03")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Convention leave for elected delegates" in text and "Sec. 5.4" in text and "172" in text
    assert c.get("/union/limits/?on=2027-02-30").status_code == 400  # no such date: named, not a 500
    r = c.get("/api/union/limits?on=2027-03-03")
    assert r.status_code == 200
    body = r.json()
    assert {x["purpose"]: x["remaining"] for x in body["limits"]}["convention"] == 3
    assert c.get("/api/union/limits?on=not-a-date").status_code == 422
    e = client_for(users["employee"])
    assert e.get("/union/limits/").status_code == 404
    assert e.get("/api/union/limits").status_code == 404
