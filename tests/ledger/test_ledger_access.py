"""Who may read the ledger and who may post a cited adjustment (policy: 404 when not visible)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from ledger_helpers import balance

from openleave.accounts import roles as R
from openleave.accounts.models import User
from openleave.audit.models import AccessLog
from openleave.ledger import services
from openleave.ledger.models import AppendOnly, Kind, Leave, LedgerCheckpoint, LedgerEntry

pytestmark = pytest.mark.django_db


def test_balance_is_the_sum_of_entries_and_corrections_are_reversals(people, users):
    erin = people["erin"]
    a = services.ledger_adjust(employee=erin, leave=Leave.VACATION, micro=7_500_000, cite="Sec. 9.2.A",
                               reason="opening balance from the old system", by=users["hr"])
    services.ledger_adjust(employee=erin, leave=Leave.VACATION, micro=-57_693, cite="Sec. 9.3",
                           reason="one hour without pay", by=users["hr"])
    assert balance(erin, Leave.VACATION) == 7_500_000 - 57_693
    services.ledger_reverse(entry=a, reason="entered twice", by=users["hr"])
    assert balance(erin, Leave.VACATION) == -57_693
    assert LedgerEntry.objects.filter(employee=erin, kind=Kind.REVERSAL).get().reverses_id == a.pk
    with pytest.raises(AppendOnly):
        a.micro = 1
        a.save()
    with pytest.raises(AppendOnly):
        LedgerEntry.objects.filter(pk=a.pk).update(micro=1)
    with pytest.raises(AppendOnly):
        a.delete()


def test_checkpoint_plus_one_year_equals_the_full_sum(people, users):
    erin = people["erin"]
    services.ledger_adjust(employee=erin, leave=Leave.SICK, micro=10_000_000, cite="Sec. 8.1.A", reason="opening",
                           by=users["hr"], effective_date=dt.date(2025, 3, 1))
    services.ledger_adjust(employee=erin, leave=Leave.SICK, micro=4_615_440, cite="Sec. 8.1.A", reason="credit",
                           by=users["hr"], effective_date=dt.date(2026, 3, 1))
    assert services.checkpoint_year(year=2025) >= 1
    cp = LedgerCheckpoint.objects.get(employee_id=erin.pk, leave=Leave.SICK)
    assert cp.micro == 10_000_000 and cp.cite == "Sec. 9.1"
    assert balance(erin, Leave.SICK) == 14_615_440
    assert services.checkpoint_verify() == []
    # a back-dated entry drops the checkpoint it would falsify
    services.ledger_adjust(employee=erin, leave=Leave.SICK, micro=1, cite="Sec. 8.1.A", reason="late",
                           by=users["hr"], effective_date=dt.date(2025, 6, 1))
    assert not LedgerCheckpoint.objects.filter(employee_id=erin.pk, leave=Leave.SICK).exists()
    assert balance(erin, Leave.SICK) == 14_615_441


def test_adjustment_requires_reason_and_citation(people, users):
    erin = people["erin"]
    with pytest.raises(services.AdjustmentInvalid, match="citation"):
        services.ledger_adjust(employee=erin, leave=Leave.SICK, micro=1, cite=" ", reason="x", by=users["hr"])
    with pytest.raises(services.AdjustmentInvalid, match="reason"):
        services.ledger_adjust(employee=erin, leave=Leave.SICK, micro=1, cite="Sec. 8.1.A", reason="", by=users["hr"])
    assert not LedgerEntry.objects.exists()


def test_adjustment_form_validates_exact_hours(people, users, client_for):
    c = client_for(users["hr"])
    url = f"/employees/{people['erin'].employee_number}/ledger/adjust/"
    r = c.post(url, {"leave": Leave.VACATION, "hours": "1.0000001", "cite": "", "reason": ""})
    assert r.status_code == 400 and b"6 decimals" in r.content and b"required" in r.content
    services.ledger_adjust(employee=people["erin"], leave=Leave.VACATION, micro=7_500_000, cite="Sec. 9.2.A",
                           reason="opening", by=users["hr"])  # a debit needs credits to draw on
    r = c.post(url, {"leave": Leave.VACATION, "hours": "-0.057693", "cite": "Sec. 9.3", "reason": "1 h unpaid"})
    assert r.status_code == 302
    e = LedgerEntry.objects.latest("id")
    assert e.micro == -57_693 and e.by == users["hr"]
    assert AccessLog.objects.filter(action="change", object_type="ledger_entry", subject=people["erin"]).exists()


def test_employee_sees_own_ledger_not_another(people, users, client_for):
    c = client_for(users["employee"])
    n = AccessLog.objects.count()
    assert c.get(f"/employees/{people['erin'].employee_number}/ledger/").status_code == 200
    assert AccessLog.objects.count() > n
    assert c.get(f"/employees/{people['sean'].employee_number}/ledger/").status_code == 404
    assert c.get(f"/api/employees/{people['sean'].employee_number}/balances").status_code == 404
    assert c.post(f"/employees/{people['erin'].employee_number}/ledger/adjust/",
                  {"leave": 1, "hours": "8", "cite": "x", "reason": "y"}).status_code == 403


def test_auditor_reads_but_cannot_post(people, users, client_for):
    c = client_for(users["auditor"])
    assert c.get(f"/employees/{people['erin'].employee_number}/ledger/").status_code == 200
    r = c.post(f"/employees/{people['erin'].employee_number}/ledger/adjust/",
               {"leave": 1, "hours": "8", "cite": "Sec. 8.1.A", "reason": "y"})
    assert r.status_code == 403 and not LedgerEntry.objects.exists()
    with pytest.raises(PermissionError):
        services.ledger_adjust(employee=people["erin"], leave=Leave.SICK, micro=1, cite="Sec. 8.1.A", reason="x",
                               by=users["auditor"])


def test_hr_of_another_agency_gets_404(people, client_for):
    other = User.objects.create(username="hr_dcr", agency=people["dana"].agency)
    other.groups.set(Group.objects.filter(name=R.HR))
    c = client_for(other)
    assert c.get(f"/employees/{people['erin'].employee_number}/ledger/").status_code == 404
    assert c.post(f"/employees/{people['erin'].employee_number}/ledger/adjust/",
                  {"leave": 1, "hours": "8", "cite": "Sec. 8.1.A", "reason": "y"}).status_code == 404


def test_api_lines_carry_citations(people, users, client_for):
    services.ledger_adjust(employee=people["erin"], leave=Leave.VACATION, micro=4_615_440, cite="Sec. 9.2.A, Sec. 9.4",
                           reason="missed credit", by=users["hr"])
    c = client_for(users["employee"])
    lines = c.get(f"/api/employees/{people['erin'].employee_number}/ledger/vacation").json()
    assert lines[0]["hours"] == "4.61544" and lines[0]["citations"] == ["Sec. 9.2.A", "Sec. 9.4"]
    bal = c.get(f"/api/employees/{people['erin'].employee_number}/balances").json()
    assert bal == [{"leave": "vacation", "label": "Vacation", "hours": "4.61544", "micro_hours": 4615440,
                    "on": bal[0]["on"], "carried": "0", "credited": "4.61544", "used": "0", "booked": "0",
                    "pending": "0", "available": "4.61544", "available_micro": 4615440, "citations": ["Sec. 9.2.A"]}]
