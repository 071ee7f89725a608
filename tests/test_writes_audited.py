"""Every write of the ledger and every change of a request's status records its own access-log row, with an
actor: a person, or "the system: <command>" (issue 11, item 5).

Erin (DMH, 37.5 h week) asks for vacation on working days two weeks ahead, taken from the calendar; Sean, her
supervisor, approves; she cancels one, the other passes its last day and the nightly command marks it taken;
a biweekly accrual run credits her pay calendar. The clock is frozen."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from openleave.audit.models import AccessLog
from openleave.holidays.selectors import holiday_dates
from openleave.leave import services as svc
from openleave.leave.models import LeaveRequest
from openleave.ledger import services as ledger
from openleave.ledger.models import Kind, Leave, LedgerEntry
from openleave.rules.schedule import scheduled_days
from openleave.rules.units import to_micro

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _has_actor(row: AccessLog) -> bool:
    return row.actor_id is not None or row.actor_label.startswith("the system: ")


@pytest.fixture
def story(people):
    erin, sean = people["erin"], people["sean"]
    for leave, hours in ((Leave.VACATION, "75"), (Leave.SICK, "150")):
        ledger.ledger_post(employee=erin, leave=leave, kind=Kind.OPENING, micro=to_micro(hours),
                           effective_date=dt.date(2026, 1, 4), cite="opening", reason="balance brought forward",
                           key=f"open:{erin.pk}:{leave}", system="manage.py load_balances")
    start = NOW.date() + dt.timedelta(days=14)
    d1, d2 = scheduled_days(erin.facts(), start, start + dt.timedelta(days=30),
                            holiday_dates(erin.agency, start, start + dt.timedelta(days=30)))[:2]
    reqs = []
    for day in (d1, d2):
        data = svc.parse_input({"kind": "vacation", "start_date": day.isoformat(), "end_date": day.isoformat()})
        req = svc.leave_request_submit(employee=erin, user=erin.user, data=data)
        svc.leave_request_decide(request_id=req.pk, user=sean.user, outcome="approved", text="Enjoy.")
        reqs.append(req)
    svc.leave_request_cancel(request_id=reqs[0].pk, user=erin.user, reason="plans changed")
    ledger.accrual_run_biweekly(calendar=erin.pay_calendar, day=NOW.date() - dt.timedelta(days=20),
                                today=NOW.date())
    return erin, reqs, d2


def test_every_ledger_entry_has_its_own_row_naming_the_employee_and_an_actor(story):
    erin = story[0]
    entries = list(LedgerEntry.objects.all())
    kinds = {e.kind for e in entries}
    assert {Kind.OPENING, Kind.USAGE, Kind.REVERSAL, Kind.ACCRUAL} <= kinds  # every path was taken
    rows = {(r.object_type, r.object_id): r for r in AccessLog.objects.filter(action=AccessLog.Action.CHANGE)}
    for e in entries:
        if e.run_id:  # a set-based run: one row for the run, by the system
            row = rows[("accrual_run", str(e.run_id))]
            assert row.actor_id is None and row.actor_label == "the system: manage.py accrue"
            assert row.channel == "command"
        else:
            row = rows[("ledger_entry", str(e.pk))]
            assert row.subject_id == e.employee_id == erin.pk
        assert _has_actor(row), row
    openings = [rows[("ledger_entry", str(e.pk))] for e in entries if e.kind == Kind.OPENING]
    assert {r.actor_label for r in openings} == {"the system: manage.py load_balances"}
    usage = next(e for e in entries if e.kind == Kind.USAGE)
    assert rows[("ledger_entry", str(usage.pk))].actor.username == story[0].supervisor.user.username
    reversal = next(e for e in entries if e.kind == Kind.REVERSAL)
    assert rows[("ledger_entry", str(reversal.pk))].actor_id == erin.user_id


def test_marking_leave_taken_records_one_row_per_request_by_the_system(story):
    erin, (cancelled, approved), last_day = story
    before = AccessLog.objects.count()
    assert svc.leave_request_mark_taken(today=last_day + dt.timedelta(days=1)) == 1
    approved.refresh_from_db()
    assert approved.status == LeaveRequest.Status.TAKEN
    rows = list(AccessLog.objects.filter(pk__gt=0).order_by("-id")[: AccessLog.objects.count() - before])
    assert [(r.object_type, r.object_id, r.subject_id, r.actor_id, r.actor_label, r.action, r.channel) for r in rows] == [
        ("leave_request", str(approved.pk), erin.pk, None, "the system: manage.py leave_mark_taken", "change", "command")
    ]
    assert svc.leave_request_mark_taken(today=last_day + dt.timedelta(days=1)) == 0  # nothing left: no row
    assert AccessLog.objects.count() == before + 1


def test_every_status_a_request_went_through_has_a_row_with_an_actor(story):
    erin, reqs, last_day = story
    svc.leave_request_mark_taken(today=last_day + dt.timedelta(days=1))
    for req in reqs:
        rows = AccessLog.objects.filter(object_type="leave_request", object_id=str(req.pk),
                                        action=AccessLog.Action.CHANGE)
        assert all(_has_actor(r) and r.subject_id == erin.pk for r in rows)
        said = " | ".join(r.fields for r in rows.order_by("id"))
        assert said.startswith("submitted") and "decided approved" in said
    assert "taken" in AccessLog.objects.filter(object_id=str(reqs[1].pk), channel="command").get().fields
