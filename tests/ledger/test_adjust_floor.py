"""An HR adjustment never takes a balance below zero without a stated reason (issue 10, item 8).

The Agreement has no negative balances: sick leave is charged against unused credits and no leave is granted
beyond the accumulated credits (Sec. 8.1.F, Sec. 8.1.N); vacation balances are charged hour for hour (Sec. 9.10);
credits earned after an unpaid absence are not applied to it (Sec. 8.1.P, Sec. 9.14) — nothing is advanced.
Figures are worked by hand beside each assertion."""

from __future__ import annotations

import datetime as dt

import pytest
from ledger_helpers import balance

from openleave.audit.models import AccessLog
from openleave.ledger import services
from openleave.ledger.models import Kind, Leave, LedgerEntry

# Dates below are fixed, so the clock is too (any day would do).
pytestmark = [pytest.mark.django_db, pytest.mark.clock(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC), tick=False)]


def adjust(people, users, micro, day=None, **kw):
    return services.ledger_adjust(employee=people["erin"], leave=kw.pop("leave", Leave.VACATION), micro=micro,
                                  cite=kw.pop("cite", "Sec. 9.2.A"), reason=kw.pop("reason", "correction"),
                                  by=users["hr"], effective_date=day, **kw)


def test_a_debit_may_reach_zero_but_not_one_micro_hour_below(people, users):
    adjust(people, users, 7_500_000, reason="opening balance")        # 7.5 h
    adjust(people, users, -7_500_000)                                  # 7.5 − 7.5 = 0 h: allowed
    assert balance(people["erin"], Leave.VACATION) == 0
    with pytest.raises(services.AdjustmentInvalid, match=r"Vacation balance to -0\.000001 h.*Sec\. 9\.10.*at most 0 h"):
        adjust(people, users, -1)                                      # 0 − 0.000001 h < 0
    assert LedgerEntry.objects.filter(employee=people["erin"]).count() == 2  # nothing half-written


def test_a_sick_debit_below_zero_cites_the_sick_leave_sections(people, users):
    adjust(people, users, 4_000_000, leave=Leave.SICK, cite="Sec. 8.1.A", reason="opening")  # 4 h
    with pytest.raises(services.AdjustmentInvalid, match=r"Sick leave balance to -1 h.*Sec\. 8\.1\.N"):
        adjust(people, users, -5_000_000, leave=Leave.SICK, cite="Sec. 8.1.A")  # 4 − 5 = −1 h


def test_a_back_dated_debit_may_not_take_a_later_day_below_zero(people, users):
    """10 h on Nov 1, 8 h charged on Nov 21: a 5 h debit dated Nov 11 leaves 10 − 5 = 5 h that day but
    10 − 8 − 5 = −3 h from Nov 21 on — refused. A 2 h debit leaves 8 h, then 0 h: allowed."""
    erin = people["erin"]
    adjust(people, users, 10_000_000, day=dt.date(2026, 11, 1), reason="opening")
    services.ledger_post(employee=erin, leave=Leave.VACATION, kind=Kind.USAGE, micro=-8_000_000,
                         effective_date=dt.date(2026, 11, 21), cite="Sec. 9.10", reason="leave request 7",
                         key="leave-request:7:vacation")
    with pytest.raises(services.AdjustmentInvalid, match=r"to -3 h.*Debit at most 2 h"):  # 10 − 8 = 2 h spare
        adjust(people, users, -5_000_000, day=dt.date(2026, 11, 11))
    adjust(people, users, -2_000_000, day=dt.date(2026, 11, 11))
    assert balance(erin, Leave.VACATION, dt.date(2026, 11, 11)) == 8_000_000  # 10 − 2
    assert balance(erin, Leave.VACATION) == 0                                 # 10 − 2 − 8


def test_approved_leave_dated_later_counts(people, users):
    """12 h now, 9 h of approved leave posted for Dec 14: a 4 h debit today would leave 8 h today but
    12 − 9 − 4 = −1 h on Dec 14 — refused; 3 h is the most (12 − 9 − 3 = 0)."""
    erin = people["erin"]
    adjust(people, users, 12_000_000, reason="opening")
    services.ledger_post(employee=erin, leave=Leave.VACATION, kind=Kind.USAGE, micro=-9_000_000,
                         effective_date=dt.date(2026, 12, 14), cite="Sec. 9.10", reason="leave request 8",
                         key="leave-request:8:vacation")
    with pytest.raises(services.AdjustmentInvalid, match=r"to -1 h"):
        adjust(people, users, -4_000_000)
    adjust(people, users, -3_000_000)


def test_below_zero_only_with_a_stated_reason_kept_on_the_entry(people, users):
    erin = people["erin"]
    adjust(people, users, 2_000_000, reason="opening")                                   # 2 h
    why = "CHRO approval memo 2026-114: recovers a transfer-in credited twice (Sec. 9.17)"
    entry = adjust(people, users, -5_000_000, reason="payroll correction", below_zero=why)  # 2 − 5 = −3 h
    assert balance(erin, Leave.VACATION) == -3_000_000
    assert entry.reason == f"payroll correction — below zero (-3 h) because: {why}"
    row = AccessLog.objects.filter(object_type="ledger_entry", object_id=str(entry.pk)).get()
    assert row.fields.endswith(", below zero")
    with pytest.raises(services.AdjustmentInvalid, match="below zero"):
        adjust(people, users, -1_000_000, below_zero="   ")  # blank is no reason
    with pytest.raises(services.AdjustmentInvalid, match="exceed 500 characters"):
        adjust(people, users, -1_000_000, reason="r" * 400, below_zero="w" * 200)  # never cut short


def test_the_form_refuses_minus_9939_hours_with_a_400_that_says_what_to_do(people, users, client_for):
    """The issue's figure: 61 h on the books and a −10,000 h adjustment would leave 61 − 10,000 = −9,939 h."""
    erin = people["erin"]
    adjust(people, users, 61_000_000, reason="opening")
    c = client_for(users["hr"])
    url = f"/employees/{erin.employee_number}/ledger/adjust/"
    form = {"leave": Leave.VACATION, "hours": "-10000", "cite": "Sec. 9.10", "reason": "typo"}
    r = c.post(url, form)
    assert r.status_code == 400
    html = r.content.decode()
    assert "Vacation balance to -9939 h" in html and "Allow below zero" in html
    assert balance(erin, Leave.VACATION) == 61_000_000
    r = c.post(url, {**form, "below_zero": "CHRO approval memo 2026-115 (Sec. 9.17 transfer reversed)"})
    assert r.status_code == 302
    assert balance(erin, Leave.VACATION) == -9_939_000_000
