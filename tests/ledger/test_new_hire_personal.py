"""Sec. 8.2.A: personal leave for full-time employees hired or promoted into the unit after the first full pay period
in January, by the quarter of the date of hire, credited on the day of hire — by the service called at hire and by
the catch-up ``manage.py post_new_hire_personal --since D``; idempotent (one credit per employee and year).

The Sec. 8.2.A table (the contract text): hired January 1 – March 31: 22.500 h (37.5-hour week) / 24.000 h (40);
April 1 – June 30: 15.000 / 16.000 h; July 1 – September 30: 7.500 / 8.000 h; October 1 – December 31: 0 h.
The first full pay period of January 2026 starts Sunday 2026-01-11 (pay periods of 14 days from the anchor
2017-07-09); someone hired on or before that day gets the annual credit of Sec. 8.2.A/B instead. The suite's clock
is 2026-12-01."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from openleave.audit.models import AccessLog
from openleave.ledger.models import Kind, Leave, LedgerEntry
from openleave.ledger.new_hire import personal_credit_at_hire, post_new_hire_personal

pytestmark = pytest.mark.django_db

H = 1_000_000


def personal(e) -> list[tuple[dt.date, int, int]]:
    return [(x.effective_date, x.micro, x.kind) for x in LedgerEntry.objects.filter(employee=e, leave=Leave.PERSONAL)]


@pytest.mark.parametrize(("hired", "title", "hours"), [
    (dt.date(2026, 1, 12), "t40", 24 * H),          # Jan 1 – Mar 31, 40 h week: 24.000 h
    (dt.date(2026, 3, 31), "t375", 22_500_000),     # Jan 1 – Mar 31, 37.5 h week: 22.500 h
    (dt.date(2026, 4, 1), "t40", 16 * H),           # Apr 1 – Jun 30, 40 h: 16.000 h
    (dt.date(2026, 6, 30), "t375", 15 * H),         # Apr 1 – Jun 30, 37.5 h: 15.000 h
    (dt.date(2026, 7, 1), "t40", 8 * H),            # Jul 1 – Sep 30, 40 h: 8.000 h
    (dt.date(2026, 9, 30), "t375", 7_500_000),      # Jul 1 – Sep 30, 37.5 h: 7.500 h
])
def test_a_hire_after_january_gets_the_quarter_table_credit_on_the_day_of_hire(make_employee, hired, title, hours):
    e = make_employee(start=hired, title=title)
    entry = personal_credit_at_hire(employee=e, system="test")
    assert personal(e) == [(hired, hours, Kind.ANNUAL_CREDIT)]
    assert entry.cite.startswith("Sec. 8.2.A") and entry.vintage == 2026
    assert entry.key == f"personal-hire:{e.pk}:2026"
    assert AccessLog.objects.filter(subject=e, object_type="ledger_entry", action=AccessLog.Action.CHANGE).exists()
    # called again: the same entry, nothing more
    assert personal_credit_at_hire(employee=e, system="test").pk == entry.pk
    assert len(personal(e)) == 1


def test_a_hire_in_the_last_quarter_gets_nothing(make_employee):
    # October 1 – December 31: 0 hours (Sec. 8.2.A table)
    e = make_employee(start=dt.date(2026, 10, 1))
    assert personal_credit_at_hire(employee=e, system="test") is None
    assert personal(e) == []


def test_a_hire_by_the_first_full_pay_period_of_january_gets_the_annual_credit_not_this(make_employee):
    # hired 2026-01-11, the first day of the first full pay period of January 2026: the annual credit (run in
    # January), not the quarter table
    e = make_employee(start=dt.date(2026, 1, 11))
    assert personal_credit_at_hire(employee=e, system="test") is None


def test_a_regular_part_time_hire_is_prorated(make_employee):
    # 20 of 40 h a week, hired in the first quarter: 24.000 h × 20/40 = 12 h (Sec. 8.2.B: pro rata)
    e = make_employee(start=dt.date(2026, 2, 2), weekly="20", status="part_time")
    personal_credit_at_hire(employee=e, system="test")
    assert personal(e) == [(dt.date(2026, 2, 2), 12 * H, Kind.ANNUAL_CREDIT)]


def test_a_hire_date_still_to_come_is_credited_on_the_day_not_before(make_employee):
    e = make_employee(start=dt.date(2026, 12, 14))  # today is 2026-12-01
    assert personal_credit_at_hire(employee=e, system="test") is None
    assert post_new_hire_personal(since=dt.date(2026, 12, 1)).posted == []


def test_the_catch_up_posts_every_hire_once(make_employee):
    q1 = make_employee(start=dt.date(2026, 2, 2))         # 24 h
    q2 = make_employee(start=dt.date(2026, 5, 4))         # 16 h
    q3 = make_employee(start=dt.date(2026, 8, 3), title="t375")  # 7.5 h
    q4 = make_employee(start=dt.date(2026, 11, 2))        # 0 h
    contractor = make_employee(start=dt.date(2026, 3, 2), status="contractor")
    older = make_employee(start=dt.date(2019, 3, 2))      # before --since
    first = post_new_hire_personal(since=dt.date(2026, 1, 1))
    assert sorted(e.micro for e in first.posted) == [7_500_000, 16 * H, 24 * H]
    assert [personal(x) for x in (q4, contractor, older)] == [[], [], []]
    assert personal(q1) == [(dt.date(2026, 2, 2), 24 * H, Kind.ANNUAL_CREDIT)]
    again = post_new_hire_personal(since=dt.date(2026, 1, 1))
    assert again.posted == [] and again.already == 3
    assert LedgerEntry.objects.filter(leave=Leave.PERSONAL).count() == 3
    assert personal(q2)[0][1] == 16 * H and personal(q3)[0][1] == 7_500_000


def test_the_command(make_employee, capsys):
    make_employee(start=dt.date(2026, 2, 2))
    call_command("post_new_hire_personal", "--since", "2026-01-01")
    assert "posted 1 Sec. 8.2.A personal leave credit(s) at hire (24 h)" in capsys.readouterr().out
    call_command("post_new_hire_personal", "--since", "2026-01-01")
    assert "posted 0" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--since"):
        call_command("post_new_hire_personal", "--since", "2026-02-30")
