"""The leave app's part of the record of processing: protected kinds as their own category, the member's
export (every request their pages show, nothing about other people), retention and the aggregates source."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
import time_machine
from django.utils import timezone

from openleave.audit.models import AccessLog
from openleave.leave import services as svc
from openleave.leave.models import Absence, Decision, LeaveRequest, Notification, RequestCharge
from openleave.people.models import Employee
from openleave.privacy import aggregates, exports, registry
from openleave.privacy.retention import apply

pytestmark = pytest.mark.django_db


def _export(client):
    response = client.post("/me/export/")
    assert response.status_code == 200
    z = zipfile.ZipFile(io.BytesIO(response.content))
    return z, json.loads(z.read("openleave-export.json"))["data"]


@pytest.fixture
def erin(people):
    from tests.leave.conftest import open_balance

    open_balance(people["erin"], sick="150", vacation="75", personal="15")
    return people["erin"]


def _ask(kind, start, end=None, **facts):
    return svc.parse_input({"kind": kind, "start_date": start, "end_date": end or start, "facts": facts})


def test_protected_kinds_and_facts_are_their_own_category():
    for field in ("kind", "facts", "finding_at_submission", "finding_at_decision"):
        assert registry.entry_for(LeaveRequest, field).category == "protected", field
    assert registry.entry_for(RequestCharge, "leave_type").category == "protected"
    assert "HR / the Appointing Authority" in registry.WHO["protected"]
    assert "supervisor" not in registry.WHO["protected"].split(";")[0]
    assert registry.entry_for(LeaveRequest, "visible_kind").category == "leave"


def test_export_holds_every_request_the_page_shows_and_nothing_about_others(erin, users, client_for):
    vac = svc.leave_request_submit(employee=erin, user=users["employee"], data=_ask("vacation", "2026-12-07"))
    svc.leave_request_decide(request_id=vac.pk, user=users["supervisor"], outcome="approved")
    dv = svc.leave_request_submit(employee=erin, user=users["employee"], data=_ask("domestic_violence", "2026-12-14"))
    fam = svc.leave_request_submit(employee=erin, user=users["employee"],
                                   data=_ask("sick", "2026-12-21", purpose="family_care", relation="child"))
    svc.leave_request_cancel(request_id=fam.pk, user=users["employee"])
    svc.absence_record(employee=erin, user=users["supervisor"], date=dt.date(2026, 1, 20), hours="7.5",
                       note="Did not report for the shift.")
    c = client_for(users["employee"])
    page = c.get("/leave/").content.decode()
    z, data = _export(c)
    assert exports.exporters()["leave"].__module__ == "openleave.leave.privacy"
    leave = data["leave"]
    rows = {r["request"]: r for r in leave["requests"]}
    assert set(rows) == {vac.pk, dv.pk, fam.pk} == set(LeaveRequest.objects.filter(employee=erin)
                                                      .values_list("pk", flat=True))
    for pk, r in rows.items():
        assert f"/leave/requests/{pk}/" in page and r["status"] in page and r["kind"] in page
    assert rows[dv.pk]["kind"].startswith("Domestic violence") and rows[dv.pk]["shown_to_supervisor_as"] == "protected leave"
    assert json.loads(rows[fam.pk]["facts"]) == {"purpose": "family_care", "relation": "child"}
    assert [d["decided_by"] for d in leave["decisions"]] == ["Sean McCarthy (supervisor)"]
    assert leave["charges"] == [{"request": vac.pk, "leave_type": "vacation", "hours": "7.5", "reversed_at": None,
                                 "reversal_cite": ""}]
    assert [a["note"] for a in leave["absences"]] == ["Did not report for the shift."]
    for n in Notification.objects.filter(user=users["employee"]):
        assert n.subject in page and any(x["subject"] == n.subject for x in leave["notifications"])
    assert {"csv/leave-requests.csv", "csv/leave-decisions.csv", "csv/leave-notifications.csv"} <= set(z.namelist())
    # Sean (Erin's supervisor) was notified of her requests: none of that is in *his* export.
    _, sean = _export(client_for(users["supervisor"]))
    blob = json.dumps(sean)
    assert Notification.objects.filter(user=users["supervisor"], request__employee=erin).exists()
    assert "Doyle" not in blob and erin.employee_number not in blob and sean["leave"]["requests"] == []


def test_leave_records_past_retention_are_purged_with_their_decisions_and_logged(erin, users):
    with time_machine.travel(dt.datetime(2017, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        old = LeaveRequest.objects.create(employee=erin, kind="vacation", start_date=dt.date(2017, 3, 6),
                                          end_date=dt.date(2017, 3, 6), status="approved", approved_micro=7_500_000,
                                          submitted_at=timezone.now())
        Decision.objects.create(request=old, outcome="approved", approved_micro=7_500_000, decided_by=users["hr"],
                                decided_by_label="Helen Rivera (hr)", decided_as="appointing_authority",
                                decided_at=timezone.now())
        RequestCharge.objects.create(request=old, leave_type="vacation", micro=7_500_000)
        Notification.objects.create(user=users["employee"], request=old, subject="old", body="old")
        Absence.objects.create(employee=erin, date=dt.date(2017, 3, 7), micro=1_000_000, note="late",
                               recorded_by=users["supervisor"])
    new = svc.leave_request_submit(employee=erin, user=users["employee"], data=_ask("vacation", "2026-12-07"))
    dry = {o.rule: o for o in apply(dry_run=True)}
    assert dry["leave_requests"].items == [f"leave request {old.pk} (employee 100002, ended 2017-03-06)"]
    assert len(dry["leave_absences"].items) == 1 and LeaveRequest.objects.filter(pk=old.pk).exists()
    apply(dry_run=False)
    assert list(LeaveRequest.objects.filter(employee=erin).values_list("pk", flat=True)) == [new.pk]
    assert not Decision.objects.filter(request_id=old.pk).exists()
    assert not Absence.objects.filter(employee=erin).exists()
    assert AccessLog.objects.filter(action="purge", object_type="leaverequest", subject=erin,
                                    object_id=str(old.pk)).exists()


def test_aggregates_count_approved_leave_with_protected_kinds_under_a_neutral_label(users, people, client_for):
    dmh = list(Employee.objects.filter(agency__code="DMH").order_by("pk")[:12])
    assert len(dmh) == 12
    month = timezone.localdate().replace(day=1)
    day = month.isoformat()

    def approved(emp, kind, protected=False, status="approved"):
        LeaveRequest.objects.create(employee=emp, kind=kind, start_date=month, end_date=month, status=status,
                                    protected=protected, days={day: 7_500_000})

    for emp in dmh[:11]:
        approved(emp, "vacation")
    for emp in dmh[:3]:
        approved(emp, "domestic_violence", protected=True)
    approved(dmh[3], "sick", protected=True)
    approved(dmh[11], "vacation", status="denied")  # not leave used
    cells = {(c.agency, c.month, c.kind): c for c in aggregates.usage_cells(month, timezone.localdate())}
    assert cells[("DMH", day[:7], "vacation")].people == 11
    assert cells[("DMH", day[:7], "protected leave")].suppressed
    assert not any(k[2] in ("domestic_violence", "sick") for k in cells)
    html = client_for(users["hr"]).get("/privacy/aggregates/").content.decode()
    assert '<td class="num">11</td>' in html and "protected leave" in html and "domestic_violence" not in html
