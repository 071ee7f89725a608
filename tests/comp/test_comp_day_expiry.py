"""The compensatory-day expiry run and the warning 14 days before (manage.py expire_comp_days).

Erin's compensatory day for Independence Day 2026 (Saturday, Sec. 10.4): 7.5 h, last day 2026-09-02
(Jul 4 + 60 calendar days). It expires at the end of Sep 2: the run of Sep 3 posts it, dated Sep 2.
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from openleave.audit.models import AccessLog
from openleave.comp.models import CompDayWarning
from openleave.comp.services import comp_day_take, comp_day_warn
from openleave.leave.models import Notification
from openleave.ledger import comp_days
from openleave.ledger.models import Kind, Leave, LedgerEntry
from openleave.ledger.services import ledger_post
from openleave.rules.comp import comp_day_lots

pytestmark = pytest.mark.django_db
D = dt.date
H = 1_000_000
DAY = 7_500_000


NY = ZoneInfo("America/New_York")


def at(y: int, m: int, d: int) -> dt.datetime:
    """Noon in the organisation's time zone on that day (for the frozen clock)."""
    return dt.datetime(y, m, d, 12, tzinfo=NY)



@pytest.fixture
def july4(erin, record):
    with time_machine.travel(at(2026, 7, 6), tick=False):
        return record(erin, D(2026, 7, 4), situation="day_off", reasons="kitchen short-staffed")


def expiries(emp):
    return list(LedgerEntry.objects.filter(employee=emp, leave=Leave.HOLIDAY, kind=Kind.EXPIRY))


def test_the_run_expires_the_day_after_its_last_day_once(erin, july4):
    assert comp_days.comp_day_expiry_run(on=D(2026, 9, 2)).expired_days == 0  # Sep 2 is still a day to take it
    dry = comp_days.comp_day_expiry_run(on=D(2026, 9, 3), dry_run=True)
    assert (dry.expired_days, dry.micro) == (1, DAY) and expiries(erin) == []
    run = comp_days.comp_day_expiry_run(on=D(2026, 9, 3))
    assert (run.expired_days, run.employees, run.micro) == (1, 1, DAY)
    [x] = expiries(erin)
    assert (x.micro, x.effective_date, x.vintage) == (-DAY, D(2026, 9, 2), 2026)
    assert x.cite.startswith("Sec. 10.4") and "not taken by 2026-09-02" in x.reason and "60 days" in x.reason
    assert AccessLog.objects.filter(subject=erin, object_type="ledger_entry", fields__contains="expiry").count() == 1
    again = comp_days.comp_day_expiry_run(on=D(2026, 12, 1))
    assert (again.expired_days, again.already_posted) == (0, 1) and len(expiries(erin)) == 1
    [day] = comp_days.comp_days(erin, D(2026, 12, 1))
    assert (day.expired, day.remaining, day.status) == (DAY, 0, "expired")


def test_a_used_day_never_expires_and_a_partly_used_one_expires_only_the_rest(erin, july4, record, people):
    # July 4's day: 3 h used on Aug 10 → 4.5 h expire at the end of Sep 2.
    ledger_post(employee=erin, leave=Leave.HOLIDAY, kind=Kind.USAGE, micro=-3 * H, effective_date=D(2026, 8, 10),
                cite="Art. 10", reason="test: part of a compensatory day", key="test-part")
    with time_machine.travel(at(2026, 9, 8), tick=False):  # Labor Day (Mon 2026-09-07), rostered: Sec. 10.3
        labor = record(erin, D(2026, 9, 7))
        assert labor.last_day == D(2026, 11, 6)  # Sep 8..30 = 23, Oct = 31 (54), Nov 1..6
        taken = comp_day_take(employee=erin, on=D(2026, 10, 1), by=people["sean"].user)
    assert taken.micro == -DAY  # the oldest OPEN day on Oct 1 is Labor Day's (July 4's closed Sep 2)
    run = comp_days.comp_day_expiry_run(on=D(2026, 12, 1))
    assert (run.expired_days, run.micro, run.fully_used) == (1, 4_500_000, 1)  # 7.5 − 3 = 4.5 h; Labor Day's used
    [x] = expiries(erin)
    assert x.effective_date == D(2026, 9, 2) and "3 h of it used" in x.reason


def test_the_set_based_run_agrees_with_the_pure_core(erin, july4, record, people, users):
    with time_machine.travel(at(2026, 9, 8), tick=False):
        record(erin, D(2026, 9, 7))
    with time_machine.travel(at(2026, 10, 13), tick=False):
        record(erin, D(2026, 10, 12))  # Columbus Day 2026-10-12, last day 2026-12-11
    for day, h in ((D(2026, 8, 30), -2), (D(2026, 9, 20), -9), (D(2026, 11, 20), -1)):
        ledger_post(employee=erin, leave=Leave.HOLIDAY, kind=Kind.USAGE, micro=h * H, effective_date=day,
                    cite="Art. 10", reason="test", key=f"test-use-{day}")
    for on in (D(2026, 9, 3), D(2026, 11, 7), D(2026, 12, 12), D(2027, 3, 1)):
        sql = {r.entry_id: r.expire for r in comp_days.due_rows(on - dt.timedelta(days=1), erin.pk)}
        pure = {int(lot.key[3:]): lot.expired for lot in comp_day_lots(comp_days.holiday_entries(erin), on)
                if lot.last_day < on}
        assert sql == pure, on
    # By hand, as of 2027-03-01: July 4's day: 2 h used Aug 30 → 7.5 − 2 = 5.5 h expire (Sep 2). Labor Day's: the 9 h
    # of Sep 20 take all its 7.5 h (July 4's closed Sep 2); the other 1.5 h wait for the next day earned, Columbus
    # Day's (Oct 12), which then has 6 h; 1 h used Nov 20 → 5 h expire (Dec 11). Labor Day's expires nothing.
    assert sorted(pure.values()) == [0, 5_000_000, 5_500_000]


def test_the_warning_goes_once_fourteen_days_before(erin, july4):
    assert comp_day_warn(on=D(2026, 8, 18)).warned == 0  # 15 days before Sep 2
    first = comp_day_warn(on=D(2026, 8, 19))  # Sep 2 − 14
    assert (first.due, first.warned) == (1, 1)
    [n] = Notification.objects.filter(user=erin.user, subject__contains="ends")
    assert "2026-09-02" in n.subject and "7.5 h" in n.body and "Sec. 10.4" in n.body
    assert CompDayWarning.objects.get().micro == DAY
    assert AccessLog.objects.filter(subject=erin, object_type="comp_day_warning").count() == 1
    assert comp_day_warn(on=D(2026, 8, 19)).warned == 0  # the same day again: nothing
    assert (comp_day_warn(on=D(2026, 8, 25)).already, Notification.objects.filter(user=erin.user, subject__contains="ends").count()) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_the_warning_is_emailed_after_commit(erin, july4, settings):
    erin.user.email = "erin@example.org"
    erin.user.save()
    mail.outbox.clear()
    comp_day_warn(on=D(2026, 8, 20))
    assert [m.to for m in mail.outbox] == [["erin@example.org"]] and "2026-09-02" in mail.outbox[0].subject


def test_a_day_booked_before_its_last_day_is_not_warned(erin, july4, people):
    with time_machine.travel(at(2026, 8, 1), tick=False):
        comp_day_take(employee=erin, on=D(2026, 8, 28), by=people["sean"].user)
    assert comp_day_warn(on=D(2026, 8, 19)).due == 0


def test_the_command_prints_a_summary_and_refuses_a_bad_date(erin, july4):
    out = io.StringIO()
    call_command("expire_comp_days", "--on", "2026-09-03", "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and "expired now" in out.getvalue() and expiries(erin) == []
    call_command("expire_comp_days", "--on", "2026-09-03", stdout=io.StringIO())
    call_command("expire_comp_days", "--on", "2026-09-03", stdout=io.StringIO())
    assert len(expiries(erin)) == 1
    with pytest.raises(CommandError) as exc:
        call_command("expire_comp_days", "--on", "2026-02-30")
    assert exc.value.returncode == 2 and "--on" in str(exc.value)
