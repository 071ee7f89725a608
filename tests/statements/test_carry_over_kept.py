"""A recorded Sec. 8.2.B personal carry-over is kept by the statements' forfeiture warnings, the statement's
figures and "members at risk" — as the ledger's ``forfeitures`` (and the year-end run) keep it.

Worked by hand (Sec. 8.2.B, Sec. 8.9): Stan Kowalczyk (Carpenter I, a 40-hour title, so a "day" is 40 / 5 = 8 h,
``calendar.day_hours``) has 24 h of personal leave credited for 2026 and took 8 h on 2026-05-04 (the
statement_helpers.three_vintages ledger): 16 h unused. Without a carry-over all 16 h are forfeited on
2027-01-09, the last Saturday prior to the first full pay period of January 2027. HR records that operational
needs prevented their use in November and December 2026: one day (8 h) carries over to 2027, and
16 − 8 = 8 h are forfeited on 2027-01-09, not 16."""

from __future__ import annotations

import datetime as dt

import pytest
from statement_helpers import three_vintages

pytestmark = [pytest.mark.django_db]

H = 1_000_000
FORFEIT_DAY = dt.date(2027, 1, 9)
TODAY = dt.date(2026, 12, 1)  # the frozen clock: after November 1, before the forfeiture day


@pytest.fixture
def stan(people, users):
    stan = people["stan"]
    assert stan.title.full_time_weekly_hours == 40
    three_vintages(stan)
    return stan


def _record(stan, users):
    from openleave.ledger.year_end import personal_carry_over_record

    personal_carry_over_record(employee=stan, year=2026, by=users["hr"], today=TODAY,
                               reasons="Two carpenters on leave in November and December; no relief available.")


def _personal(warnings):
    return [(w.on, w.micro, w.cite) for w in warnings if w.leave == "personal"]


def test_warnings_and_statement_keep_the_carried_over_day(stan, users):
    from openleave.ledger.selectors import forfeits
    from openleave.statements import selectors as S

    before = S.warnings_for([stan.pk], TODAY)[stan.pk]
    assert _personal(before) == [(FORFEIT_DAY, 16 * H, "Sec. 8.2.B")]  # 24 − 8, no carry-over
    _record(stan, users)
    after = S.warnings_for([stan.pk], TODAY)[stan.pk]
    assert _personal(after) == [(FORFEIT_DAY, 8 * H, "Sec. 8.2.B")]  # 16 − one 8-hour day carried over
    assert forfeits(stan, 2026)["personal"] == 8 * H  # the ledger agrees

    sums = S.ledger_sums([stan.pk], as_of=TODAY, until=FORFEIT_DAY)[stan.pk]
    figures = S.statement_figures(stan, sums, year=2026, as_of=TODAY)
    personal = next(item for item in figures["leaves"] if item["slug"] == "personal")
    assert [(f["on"], f["hours"]) for f in personal["forfeits"]] == [("2027-01-09", "8")]


def test_members_at_risk_keep_the_carried_over_day(stan, users):
    from openleave.people.models import Employee
    from openleave.statements import selectors as S

    _record(stan, users)
    year, rows = S.members_at_risk(Employee.objects.filter(pk=stan.pk), TODAY)
    assert year == 2026
    (row,) = rows
    assert row.personal == "8"  # not 16
