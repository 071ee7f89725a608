"""``rules.vintages``: the statements' year sums give the rules core's own entry-by-entry result."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from openleave.rules import ledger as core
from openleave.rules import vintages as V
from openleave.rules.calendar import annual_forfeiture_date, period_containing, vacation_year
from openleave.rules.facts import EmployeeFacts
from openleave.rules.params import default_tree

TREE = default_tree()
H = 1_000_000


def test_every_leave_types_year_end_closes_the_same_periods():
    """Sec. 9.1's last pay period inclusive of Dec 31 ends the day before the first full January period
    starts — the Sec. 8.2.B / MOU forfeiture day — so one year's sums close every leave type's year end."""
    for year in range(2018, 2060):
        assert vacation_year(year, tree=TREE)[1] == annual_forfeiture_date(year, tree=TREE)


def test_2026_worked_by_hand():
    # Anchor 2017-07-09, 14 days (Sec. 8.1.A): 2026-12-31 is day 3462 = 247·14 + 4 → its period ends 2027-01-09.
    assert V.year_end("vacation", 2026, TREE) == dt.date(2027, 1, 9)
    assert V.forfeit_date_of_vintage("vacation", 2024, TREE) == dt.date(2027, 1, 9)  # Sec. 9.8: 2nd year after
    assert V.forfeit_date_of_vintage("personal", 2026, TREE) == dt.date(2027, 1, 9)  # Sec. 8.2.B


FACTS = EmployeeFacts(service_start=dt.date(2015, 1, 5), title_full_time_hours_per_week=40,
                      schedule_hours_per_week=40)

day = st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2027, 1, 9))


@settings(max_examples=150, deadline=None)
@given(credits=st.lists(st.tuples(day, st.integers(1, 40)), min_size=1, max_size=12),
       debits=st.lists(st.tuples(day, st.integers(1, 40)), max_size=12),
       leave=st.sampled_from(["vacation", "personal"]))
def test_year_sums_give_the_cores_forfeitures(credits, debits, leave):
    """Credits each in the vintage of their own date (as accruals and January credits are), debits anywhere:
    the year sums give the same forfeitures and the same remaining credit as ``with_forfeitures``."""
    entries = []
    for i, (d, h) in enumerate(credits):
        vintage = core.vintage_of(leave, d, None, TREE)
        entries.append(core.Entry("adjustment", leave, h * H, d, None, "", (), f"c{i}", vintage))
    for i, (d, h) in enumerate(debits):
        entries.append(core.Entry("usage", leave, -h * H, d, None, "", (), f"d{i}"))
    until = dt.date(2027, 1, 9)
    begin = min(e.effective for e in entries)
    out = core.with_forfeitures(FACTS, (), entries, begin, until, TREE)
    expected = sorted((e.effective, -e.amount) for e in out if e.kind == "forfeiture")
    years: dict[int, V.YearSums] = {}
    for e in entries:
        y = years.setdefault(V.year_of(period_containing(e.effective, tree=TREE).start), V.YearSums(0))
        y.year = V.year_of(period_containing(e.effective, tree=TREE).start)
        if e.amount > 0:
            y.credits[e.vintage] = y.credits.get(e.vintage, 0) + e.amount
        else:
            y.debits -= e.amount
    got = V.remaining(leave, years.values(), until, TREE)
    assert sorted((f.on, f.micro) for f in got.forfeitures) == expected
    assert got.balance == sum(e.amount for e in out)
