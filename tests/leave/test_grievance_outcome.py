"""Grievance outcomes recorded by HR (Art. 23): the result, the step, the correction it orders — posted once.

Erin Doyle (demo): 7.5 h a day; opening vacation 75 h, sick 150 h (tests/leave/conftest.py). Mon 7 – Fri 11
Dec 2026 = 5 × 7.5 h = 37.5 h of vacation asked (Sec. 9.10, hour for hour).
"""

from __future__ import annotations

import datetime as dt

import pytest

from openleave import policy
from openleave.leave import reconsider as rc
from openleave.leave import services as svc
from openleave.leave.errors import AlreadyDecided, LeaveError, NotDecider
from openleave.leave.models import Decision, GrievanceOutcome
from openleave.ledger.models import Kind, Leave, LedgerEntry
from openleave.ledger.selectors import balance_parts

pytestmark = pytest.mark.django_db
H = 1_000_000
BEFORE = dt.date(2026, 12, 6)


def _denied(erin, users, ask):
    req = svc.leave_request_submit(employee=erin, user=users["employee"], data=ask("vacation", "2026-12-07", "2026-12-11"))
    return svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="denied",
                                    grounds=["vacation_impracticable"], text="The ward is short-staffed that week.")


def _record(erin, user, **kw):
    args = {"result": "sustained", "step": "II", "decided_on": "2026-11-30", "reference": "G-2026-041",
            "text": "The Step II designee finds coverage was available; the leave is granted.", **kw}
    return rc.grievance_outcome_record(employee=erin, user=user, **args)


def test_sustained_outcome_approves_the_denied_hours_once(erin, users, ask):
    req = _denied(erin, users, ask)
    grieved = req.decision
    out = _record(erin, users["hr"], decision_id=grieved.pk, correction="approve")
    # Sustained: the 37.5 h denied are approved, charged as the corrected decision: 75 − 37.5 = 37.5 h.
    assert balance_parts(erin, BEFORE)["vacation"].available == 37_500_000
    fix = out.correction_decision
    assert (fix.reconsiders_id, fix.decided_as, fix.outcome, fix.approved_micro) == (
        grieved.pk, Decision.As.GRIEVANCE, "approved", 37_500_000)
    assert "G-2026-041" in fix.text and "Sec. 23.2 Step II" in fix.text and "Art. 23" in fix.text
    assert out.correction_micro == 37_500_000
    req.refresh_from_db()
    assert req.status == "approved"
    # The same outcome again: refused, nothing posted twice.
    with pytest.raises(AlreadyDecided) as twice:
        _record(erin, users["hr"], decision_id=grieved.pk, correction="approve")
    assert twice.value.status == 409
    assert GrievanceOutcome.objects.count() == 1
    assert LedgerEntry.objects.filter(employee=erin, kind=Kind.USAGE).count() == 1
    assert balance_parts(erin, BEFORE)["vacation"].available == 37_500_000


def test_modified_outcome_approves_part_of_the_hours(erin, users, ask):
    req = _denied(erin, users, ask)
    out = _record(erin, users["hr"], decision_id=req.decision.pk, result="modified", step="III",
                  correction="approve", correction_hours="15")
    # Modified at Step III: two days, 2 × 7.5 = 15 h approved; 75 − 15 = 60 h available.
    assert out.correction_decision.outcome == "partly_approved" and out.correction_micro == 15 * H
    assert balance_parts(erin, BEFORE)["vacation"].available == 60 * H


def test_withdrawn_or_denied_outcome_posts_nothing(erin, users, ask):
    req = _denied(erin, users, ask)
    n = LedgerEntry.objects.count()
    out = _record(erin, users["hr"], decision_id=req.decision.pk, result="withdrawn", step="I")
    assert out.correction == "none" and out.correction_decision is None
    with pytest.raises(LeaveError) as no_fix:
        _record(erin, users["hr"], decision_id=req.decision.pk, result="denied", step="II", correction="approve")
    assert no_fix.value.field == "correction"
    assert LedgerEntry.objects.count() == n and req.decisions.count() == 1


def test_sustained_outcome_restores_a_forfeiture(erin, users):
    forfeit = LedgerEntry.objects.create(
        employee=erin, leave=Leave.VACATION, kind=Kind.FORFEITURE, micro=-20 * H, effective_date=dt.date(2026, 6, 27),
        period_start=dt.date(2026, 6, 21), cite="Sec. 9.8", reason="test forfeiture", key="test-forfeit",
        recorded_at=dt.datetime(2026, 6, 28, tzinfo=dt.UTC), vintage=2025)
    assert balance_parts(erin, BEFORE)["vacation"].available == 55 * H  # 75 − 20 forfeited
    out = _record(erin, users["hr"], ledger_entry_id=forfeit.pk, correction="restore", step="IV",
                  text="The arbitrator finds the request to carry over was wrongly refused.")
    entry = out.correction_entry
    assert (entry.kind, entry.micro) == (Kind.RESTORED, 20 * H)
    assert "Art. 23" in entry.cite and "G-2026-041" in entry.reason
    assert balance_parts(erin, BEFORE)["vacation"].available == 75 * H  # 55 + 20 restored
    with pytest.raises(AlreadyDecided):
        _record(erin, users["hr"], ledger_entry_id=forfeit.pk, correction="restore", step="IV",
                reference="G-2026-041-bis", text="Recorded again by mistake, a second time.")
    assert LedgerEntry.objects.filter(kind=Kind.RESTORED).count() == 1


def test_sustained_outcome_reverses_an_adjustment(erin, users):
    from openleave.ledger.services import ledger_adjust

    adj = ledger_adjust(employee=erin, leave=Leave.SICK, micro=-10 * H, cite="Sec. 8.1.K.3", reason="test debit",
                        by=users["hr"], effective_date=dt.date(2026, 11, 2))
    out = _record(erin, users["hr"], ledger_entry_id=adj.pk, correction="reverse")
    assert out.correction_entry.kind == Kind.REVERSAL and out.correction_entry.reverses_id == adj.pk
    assert out.correction_entry.micro == 10 * H and "Art. 23" in out.correction_entry.reason


def test_only_hr_or_the_appointing_authority_records_an_outcome(erin, users, ask, people):
    from django.contrib.auth.models import Group

    from openleave.accounts.models import User

    req = _denied(erin, users, ask)
    dana = User.objects.create_user("dana", password="x" * 16, first_name="Dana")
    dana.groups.set(Group.objects.filter(name__in=["employee", "supervisor"]))
    people["dana"].user = dana
    people["dana"].save()
    for who, exc in ((users["employee"], NotDecider), (users["steward"], (NotDecider, policy.NotVisible)),
                     (users["supervisor"], NotDecider), (dana, policy.NotVisible)):
        with pytest.raises(exc):
            _record(erin, who, decision_id=req.decision.pk, correction="approve")
    assert GrievanceOutcome.objects.count() == 0 and req.decisions.count() == 1


def test_bad_input_names_the_field(erin, users, ask):
    req = _denied(erin, users, ask)
    for kw, field in (({"step": "V"}, "step"), ({"result": "won"}, "result"), ({"reference": ""}, "reference"),
                      ({"decided_on": "2027-01-05"}, "decided_on"), ({"text": "short"}, "text"),
                      ({"correction": "restore"}, "correction")):
        with pytest.raises(LeaveError) as e:
            _record(erin, users["hr"], decision_id=req.decision.pk, **kw)
        assert e.value.field == field, kw
    assert GrievanceOutcome.objects.count() == 0
