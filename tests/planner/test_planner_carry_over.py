"""The planner keeps a recorded Sec. 8.2.B personal carry-over in its year-end forfeitures.

Worked by hand (Sec. 8.2.B, Sec. 8.9): Stan Kowalczyk (Carpenter I, a 40-hour title: a "day" is 8 h) has 24 h
of personal leave credited for 2026 and took 8 h on 2026-05-04: 16 h unused on 2026-12-01 (the frozen clock).
HR records that operational needs prevented their use in November and December 2026: one day (8 h) carries over,
so the plan forfeits 16 − 8 = 8 h on 2027-01-09 (the last Saturday prior to the first full pay period in January
2027), not 16, and 8 h of 2026 personal leave are still there on 2027-01-09 after the forfeiture."""

from __future__ import annotations

import datetime as dt

import pytest

from openleave.rules.units import to_micro

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)
FORFEIT_DAY = dt.date(2027, 1, 9)


def _personal_forfeitures(stan):
    from openleave.planner import selectors as plan_sel

    plan = plan_sel.project_plan(stan, [], today=TODAY)
    return plan, [(e.effective, -e.amount) for e in plan.forfeitures() if e.leave == "personal"]


def test_the_plan_keeps_the_carried_over_day(people, users):
    from openleave.ledger.models import Kind, Leave
    from openleave.ledger.services import ledger_post
    from openleave.ledger.year_end import personal_carry_over_record

    stan = people["stan"]
    assert stan.title.full_time_weekly_hours == 40
    for micro, on, kind, key in ((24, dt.date(2026, 1, 4), Kind.OPENING, "open"),
                                 (-8, dt.date(2026, 5, 4), Kind.USAGE, "use")):
        ledger_post(employee=stan, leave=Leave.PERSONAL, kind=kind, micro=to_micro(micro), effective_date=on,
                    cite="Sec. 8.2.B", reason="test", key=f"plan-carry:{key}", by=None, system="tests",
                    earned_year=2026 if micro > 0 else None)
    _, before = _personal_forfeitures(stan)
    assert before[0] == (FORFEIT_DAY, to_micro(16))  # 24 − 8, nothing carried over
    personal_carry_over_record(employee=stan, year=2026, by=users["hr"], today=TODAY,
                               reasons="Two carpenters on leave in November and December; no relief available.")
    plan, after = _personal_forfeitures(stan)
    assert after[0] == (FORFEIT_DAY, to_micro(8))  # 16 − one 8-hour day carried over
    assert plan.balance("personal", FORFEIT_DAY) == to_micro(8)
