"""Reconsideration of a decision (Art. 23): a new decision linked to the old one, the old one frozen, the
ledger following by new debits or cited reversals — never an edit.

Erin Doyle (demo): 7.5 h a day, Monday–Friday; opening vacation 75 h (tests/leave/conftest.py). Vacation is
charged hour for hour (Sec. 9.10). Mon 7 – Fri 11 Dec 2026 = 5 work days × 7.5 h = 37.5 h asked.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from openleave.leave import reconsider as rc
from openleave.leave import services as svc
from openleave.leave.errors import AlreadyDecided, LeaveError, NotDecider
from openleave.leave.models import Decision, LeaveRequest, Notification, RequestCharge
from openleave.ledger.models import Kind, LedgerEntry
from openleave.ledger.selectors import balance_parts

pytestmark = pytest.mark.django_db
H = 1_000_000
MON, FRI = "2026-12-07", "2026-12-11"
BEFORE = dt.date(2026, 12, 6)  # the day before the leave: what is charged shows as booked, not yet used


def _vacation_partly(erin, users, ask) -> LeaveRequest:
    req = svc.leave_request_submit(employee=erin, user=users["employee"], data=ask("vacation", MON, FRI))
    return svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="partly_approved",
                                    approved_hours="15", grounds=["vacation_impracticable"],
                                    text="Two colleagues are already off that week.")


def _available(erin) -> int:
    return balance_parts(erin, BEFORE)["vacation"].available


def _frozen(d: Decision) -> str:
    """The decision as stored (grounds, text, findings, citations): compared byte for byte."""
    d = Decision.objects.get(pk=d.pk)
    return json.dumps({"outcome": d.outcome, "approved": d.approved_micro, "grounds": d.grounds, "text": d.text,
                       "by": d.decided_by_label, "as": d.decided_as, "at": d.decided_at.isoformat(),
                       "finding": d.request.finding_at_decision, "again": d.finding_at_reconsideration},
                      sort_keys=True, ensure_ascii=False)


def test_reconsidered_up_charges_the_difference_and_the_old_decision_stays_frozen(erin, users, ask):
    req = _vacation_partly(erin, users, ask)
    first = req.decision
    # 15 h of 37.5 h approved: 75 − 15 = 60 h available (Sec. 9.10, hour for hour).
    assert _available(erin) == 60 * H
    before = _frozen(first)
    new = rc.decision_reconsider(request_id=req.pk, user=users["supervisor"], outcome="approved",
                                 text="Coverage was found after all: the whole week is approved.")
    assert _frozen(first) == before  # the old decision, byte for byte
    assert new.reconsiders_id == first.pk and new.outcome == "approved" and new.approved_micro == 37_500_000
    assert new.finding_at_reconsideration["allowed_micro"] == 37_500_000
    req.refresh_from_db()
    assert (req.status, req.approved_micro, req.decision.pk) == ("approved", 37_500_000, new.pk)
    assert list(req.decisions.order_by("id")) == [first, new]
    # 37.5 − 15 = 22.5 h more charged, by one more debit citing Art. 23: 75 − 37.5 = 37.5 h available.
    more = LedgerEntry.objects.get(key=f"leave-request:{req.pk}:vacation:decision:{new.pk}")
    assert (more.kind, more.micro) == (Kind.USAGE, -22_500_000) and "Art. 23" in more.cite
    assert _available(erin) == 37_500_000
    assert [(c.micro, c.decision_id, c.reversed_at) for c in req.charges.order_by("id")] == [
        (15 * H, first.pk, None), (22_500_000, new.pk, None)]
    n = Notification.objects.filter(user=users["employee"], request=req).first()
    assert "reconsidered" in n.subject and "37.5 of 37.5 h" in n.body


def test_reconsidered_down_posts_cited_reversals_never_an_edit(erin, users, ask):
    req = _vacation_partly(erin, users, ask)
    up = rc.decision_reconsider(request_id=req.pk, user=users["supervisor"], outcome="approved",
                                text="Coverage was found after all: the whole week is approved.")
    debits = {e.pk: e.micro for e in LedgerEntry.objects.filter(employee=erin, kind=Kind.USAGE)}
    down = rc.decision_reconsider(request_id=req.pk, user=users["hr"], outcome="partly_approved",
                                  approved_hours="15", grounds=["vacation_impracticable"],
                                  text="The coverage fell through; two days only.")
    assert down.reconsiders_id == up.pk
    # The two live debits (15 h and 22.5 h) are reversed whole, citing the reconsideration; 15 h debited anew.
    revs = LedgerEntry.objects.filter(employee=erin, kind=Kind.REVERSAL).order_by("id")
    assert sorted(r.micro for r in revs) == [15 * H, 22_500_000]
    assert all(f"decision {down.pk}" in r.reason and "Art. 23" in r.reason for r in revs)
    assert {e.pk: e.micro for e in LedgerEntry.objects.filter(pk__in=debits)} == debits  # unchanged
    assert LedgerEntry.objects.get(key=f"leave-request:{req.pk}:vacation:decision:{down.pk}").micro == -15 * H
    # 75 − 15 = 60 h available again.
    assert _available(erin) == 60 * H
    live = RequestCharge.objects.filter(request=req, reversed_at__isnull=True)
    assert [(c.micro, c.decision_id) for c in live] == [(15 * H, down.pk)]
    assert all(c.reversal_cite == f"Art. 23, decision {down.pk}" for c in req.charges.filter(reversed_at__isnull=False))
    # Cancelling afterwards reverses exactly the live 15 h: 75 h available.
    svc.leave_request_cancel(request_id=req.pk, user=users["employee"])
    assert _available(erin) == 75 * H


def test_denied_then_reconsidered_to_approve_and_back_to_deny(erin, users, ask):
    req = svc.leave_request_submit(employee=erin, user=users["employee"], data=ask("vacation", MON, MON))
    svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="denied",
                             grounds=["vacation_impracticable"], text="Nobody to cover the ward that day.")
    assert _available(erin) == 75 * H
    rc.decision_reconsider(request_id=req.pk, user=users["supervisor"], outcome="approved",
                           text="A colleague swapped shifts; approved.")
    assert _available(erin) == 75 * H - 7_500_000  # one day, 7.5 h (Sec. 9.10)
    rc.decision_reconsider(request_id=req.pk, user=users["supervisor"], outcome="denied",
                           grounds=["vacation_impracticable"], text="The swap was cancelled by the colleague.")
    assert _available(erin) == 75 * H
    req.refresh_from_db()
    assert req.status == "denied" and req.decisions.count() == 3


def test_refusals_say_why_and_change_nothing(erin, users, ask, people):
    req = _vacation_partly(erin, users, ask)
    first = req.decision
    with pytest.raises(LeaveError) as no_reasons:
        rc.decision_reconsider(request_id=req.pk, user=users["supervisor"], outcome="approved", text="")
    assert no_reasons.value.field == "text"
    with pytest.raises(NotDecider):
        rc.decision_reconsider(request_id=req.pk, user=users["employee"], outcome="approved",
                               text="I would like the whole week please.")
    with pytest.raises(LeaveError) as ground:
        rc.decision_reconsider(request_id=req.pk, user=users["supervisor"], outcome="denied",
                               text="On second thoughts, no leave that week.")
    assert ground.value.field == "grounds"
    rc.decision_reconsider(request_id=req.pk, user=users["supervisor"], outcome="approved", decision_id=first.pk,
                           text="Coverage was found after all: the whole week is approved.")
    with pytest.raises(AlreadyDecided) as superseded:  # the form was opened on the first decision
        rc.decision_reconsider(request_id=req.pk, user=users["hr"], outcome="approved", decision_id=first.pk,
                               text="Approving again from an old page.")
    assert superseded.value.status == 409 and "superseded" in superseded.value.message
    svc.leave_request_cancel(request_id=req.pk, user=users["employee"])
    n = Decision.objects.count()
    with pytest.raises(LeaveError) as cancelled:
        rc.decision_reconsider(request_id=req.pk, user=users["supervisor"], outcome="approved",
                               text="Trying to approve a cancelled request.")
    assert cancelled.value.status == 409 and "cancelled" in cancelled.value.message
    assert Decision.objects.count() == n


def test_a_decision_is_never_changed_or_deleted(erin, users, ask):
    d = _vacation_partly(erin, users, ask).decision
    d.text = "rewritten"
    with pytest.raises(ValueError):
        d.save()
    with pytest.raises(ValueError):
        d.delete()


def test_every_write_of_a_reconsideration_is_logged_naming_the_member(erin, users, ask):
    from openleave.audit.models import AccessLog

    req = _vacation_partly(erin, users, ask)
    start = AccessLog.objects.count()
    new = rc.decision_reconsider(request_id=req.pk, user=users["supervisor"], outcome="approved",
                                 text="Coverage was found after all: the whole week is approved.")
    rows = list(AccessLog.objects.order_by("id")[start:])
    assert all(r.subject_id == erin.pk and r.actor_id == users["supervisor"].pk for r in rows
               if r.action == AccessLog.Action.CHANGE)
    assert {"leave_decision", "ledger_entry"} <= {r.object_type for r in rows if r.action == AccessLog.Action.CHANGE}
    assert any(r.object_id == str(new.pk) and "reconsidered" in r.fields for r in rows)
