"""Sec. 7.2.G: comp time on the employee's request at 1½ hours per overtime hour, never accumulated above 120 hours
(contract/.../use/comp_time/max_balance_hours.yaml); what does not fit is not banked and its overtime is paid."""

from __future__ import annotations

import datetime as dt

import pytest

from openleave.audit.models import AccessLog
from openleave.comp.models import CompTimeEarning
from openleave.comp.services import CompError, CompTimeInput, comp_time_balance, comp_time_earn
from openleave.ledger.models import Kind, Leave, LedgerEntry
from openleave.ledger.services import ledger_post

pytestmark = pytest.mark.django_db
D = dt.date
H = 1_000_000


NOV30 = D(2026, 11, 30)


def earn(emp, by, hours, day=NOV30, **kw):
    return comp_time_earn(employee=emp, by=by, data=CompTimeInput(worked_on=day, overtime_hours=hours, **kw))


def test_ten_overtime_hours_give_fifteen_hours_of_comp_time(people, users):
    erin = people["erin"]
    rec = earn(erin, users["supervisor"], "10")
    # 10 h × 1.5 = 15 h; balance 0 → all of it fits under 120 h.
    assert (rec.overtime_micro, rec.earned_micro, rec.credited_micro) == (10 * H, 15 * H, 15 * H)
    assert (rec.not_credited_micro, rec.overtime_paid_micro) == (0, 0)
    entry = LedgerEntry.objects.get(employee=erin, leave=Leave.COMP)
    assert (entry.kind, entry.micro, entry.effective_date, entry.cite) == (Kind.EARNED, 15 * H, D(2026, 11, 30),
                                                                           "Sec. 7.2.G")
    assert comp_time_balance(erin) == 15 * H
    from openleave.ledger.selectors import balance_parts

    assert balance_parts(erin)["comp_time"].balance == 15 * H  # the one balance selector shows it
    assert AccessLog.objects.filter(subject=erin, object_type="comp_time_earning").count() == 1


def test_the_cap_credits_ten_hours_and_pays_the_rest(people, users):
    erin = people["erin"]
    ledger_post(employee=erin, leave=Leave.COMP, kind=Kind.OPENING, micro=110 * H, effective_date=D(2026, 1, 4),
                cite="opening balance", reason="test: 110 h of comp time", key="test-comp-110")
    rec = earn(erin, users["hr"], "10")
    # 110 h + 15 h would be 125 h > 120 h: 120 − 110 = 10 h credited, 15 − 10 = 5 h not banked;
    # the overtime paid instead is 5 / 1.5 = 3.333… h, rounded up to the micro-hour (the employee's favour).
    assert (rec.balance_before_micro, rec.earned_micro, rec.credited_micro) == (110 * H, 15 * H, 10 * H)
    assert (rec.not_credited_micro, rec.overtime_paid_micro) == (5 * H, 3_333_334)
    assert comp_time_balance(erin) == 120 * H
    entry = LedgerEntry.objects.get(employee=erin, leave=Leave.COMP, kind=Kind.EARNED)
    assert "10 h comp time credited" in entry.reason and "3.333334 h of the overtime paid" in entry.reason
    full = earn(erin, users["hr"], "2")  # at the cap: nothing banked, 2 h of overtime paid, no ledger line
    assert (full.credited_micro, full.not_credited_micro, full.overtime_paid_micro, full.entry) == (0, 3 * H, 2 * H, None)
    assert CompTimeEarning.objects.filter(employee=erin).count() == 2


@pytest.mark.parametrize("hours, field", [("-3", "overtime_hours"), ("abc", "overtime_hours"), ("0", "overtime_hours"),
                                          ("0.25", "overtime_hours"), ("1.2", "overtime_hours")])
def test_bad_hours_are_refused_naming_the_field(people, users, hours, field):
    with pytest.raises(CompError) as exc:
        earn(people["erin"], users["hr"], hours)
    assert exc.value.field == field
    assert not LedgerEntry.objects.filter(leave=Leave.COMP).exists() and not CompTimeEarning.objects.exists()


def test_only_on_the_employees_request_and_not_in_the_future(people, users):
    with pytest.raises(CompError) as exc:
        earn(people["erin"], users["hr"], "4", requested_by_employee=False)
    assert exc.value.field == "requested_by_employee"
    with pytest.raises(CompError) as exc:
        earn(people["erin"], users["hr"], "4", day=D(2026, 12, 2))
    assert exc.value.field == "worked_on"
    assert not CompTimeEarning.objects.exists()
