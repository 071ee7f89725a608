"""ledger_post: the public way another app's service posts a cited entry (the leave app's usage debits)."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from django.utils import timezone

from openleave.ledger.models import Kind, Leave, LedgerCheckpoint, LedgerEntry
from openleave.ledger.services import AdjustmentInvalid, ledger_post

pytestmark = pytest.mark.django_db


def _post(employee, **kw):
    args = dict(employee=employee, leave=Leave.VACATION, kind=Kind.USAGE, micro=-7_500_000,
                effective_date=dt.date(2026, 3, 2), cite="Sec. 9.10", reason="leave request 1: Vacation",
                key="leave-request:1:vacation", by=None)
    return ledger_post(**{**args, **kw})


def test_a_usage_debit_is_posted_once_per_key(people):
    erin = people["erin"]
    first = _post(erin)
    again = _post(erin, micro=-1_000_000)
    assert again.pk == first.pk and LedgerEntry.objects.filter(employee=erin).count() == 1
    assert (first.kind, first.micro, first.cite, first.period_start) == (Kind.USAGE, -7_500_000, "Sec. 9.10",
                                                                        dt.date(2026, 2, 22))


def test_a_back_dated_entry_drops_the_checkpoints_it_falls_before(people):
    erin = people["erin"]
    LedgerCheckpoint.objects.create(employee=erin, leave=Leave.VACATION, year=2025, as_of=dt.date(2026, 1, 3),
                                    micro=0, entries=0, computed_at=timezone.now())
    LedgerCheckpoint.objects.create(employee=erin, leave=Leave.SICK, year=2025, as_of=dt.date(2026, 1, 3),
                                    micro=0, entries=0, computed_at=timezone.now())
    _post(erin, effective_date=dt.date(2025, 12, 1))
    assert list(LedgerCheckpoint.objects.filter(employee=erin).values_list("leave", flat=True)) == [Leave.SICK]


@pytest.mark.parametrize("change, message", [
    ({"key": ""}, "idempotency key"), ({"cite": " "}, "citation"), ({"reason": ""}, "reason"),
    ({"micro": 0}, "non-zero"), ({"micro": 7_500_000}, "debit"), ({"kind": Kind.ACCRUAL}, "runs"),
    ({"kind": Kind.REVERSAL}, "ledger_reverse"), ({"leave": 99}, "Unknown leave type"),
])
def test_a_posting_without_key_cite_reason_or_with_the_wrong_kind_is_refused(people, change, message):
    with pytest.raises(AdjustmentInvalid, match=message):
        _post(people["erin"], **change)
    assert not LedgerEntry.objects.exists()


def test_the_leave_app_uses_only_the_public_ledger_services():
    from openleave.leave import ledger_posting

    source = inspect.getsource(ledger_posting)
    assert "_drop_checkpoints_from" not in source and "LedgerEntry.objects.create" not in source
