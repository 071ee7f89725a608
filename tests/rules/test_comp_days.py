"""Compensatory days in the pure core (openleave.rules.comp): the last day, oldest first, what expires.

Sec. 10.3: "compensatory day off with pay within sixty (60) days following the holiday" — calendar days
(the contract says days, not working days), counted from the day after the holiday as observed (Sec. 10.2),
so the last day is the holiday + 60. Figures worked by hand below.
"""

from __future__ import annotations

import datetime as dt

from openleave.rules.comp import comp_day_last_day, comp_day_lots, expiries_due
from openleave.rules.holidays import contract_holidays
from openleave.rules.ledger import Entry

D = dt.date
H = 1_000_000


def e(kind: str, amount_h: float, on: dt.date, key: str) -> Entry:
    return Entry(kind, "holiday", int(amount_h * H), on, on, "", ("Sec. 10.3",), key, on.year)


def test_saturday_holiday_stays_saturday_and_its_comp_day_ends_60_days_later():
    # Independence Day 2026 is a Saturday: Massachusetts does not move it (holidays/observance.yaml, Sec. 10.2).
    july4 = next(h for h in contract_holidays(2026) if h.name == "Independence Day")
    assert july4.date == D(2026, 7, 4) and july4.date.weekday() == 5 and july4.observed_from is None
    # Jul 5..31 = 27 days, Aug = 31 days (58), Sep 1, 2 → the 60th day is 2026-09-02.
    assert comp_day_last_day(D(2026, 7, 4)) == D(2026, 9, 2)


def test_sunday_holiday_is_observed_monday_and_counts_from_the_monday():
    # Independence Day 2027 is a Sunday: observed Monday 2027-07-05 (Sec. 10.2; M.G.L. c. 4, s. 7).
    july4 = next(h for h in contract_holidays(2027) if h.name == "Independence Day")
    assert july4.date == D(2027, 7, 5) and july4.observed_from == D(2027, 7, 4)
    # Jul 6..31 = 26 days, Aug = 31 (57), Sep 1, 2, 3 → 2027-09-03.
    assert comp_day_last_day(D(2027, 7, 5)) == D(2027, 9, 3)
    # Across a year end: Veteran's Day 2026 (Wed 11-11): Nov 12..30 = 19, Dec = 31 (50), Jan 1..10 → 2027-01-10.
    assert comp_day_last_day(D(2026, 11, 11)) == D(2027, 1, 10)


def test_an_unused_day_expires_whole_at_the_end_of_its_last_day():
    lots = comp_day_lots([e("earned", 7.5, D(2026, 7, 4), "a")], D(2026, 9, 2))
    assert lots[0].expired == 0 and lots[0].remaining == int(7.5 * H)  # the last day itself: still open
    lots = comp_day_lots([e("earned", 7.5, D(2026, 7, 4), "a")], D(2026, 9, 3))
    assert lots[0].expired == int(7.5 * H) and lots[0].remaining == 0


def test_days_taken_use_the_oldest_first_and_a_partly_used_day_expires_only_the_rest():
    entries = [e("earned", 7.5, D(2026, 7, 4), "a"), e("earned", 7.5, D(2026, 9, 7), "b"),
               e("usage", -3, D(2026, 8, 10), "u1"),      # from July 4's day: 7.5 - 3 = 4.5 h left
               e("usage", -7.5, D(2026, 10, 1), "u2")]    # July 4's day is closed (Sep 2): from Labor Day's
    lots = comp_day_lots(entries, D(2026, 12, 1))
    assert [(lot.key, lot.used, lot.expired) for lot in lots] == [("a", 3 * H, int(4.5 * H)), ("b", int(7.5 * H), 0)]
    assert [(lot.key, n) for lot, n in expiries_due(lots, {})] == [("a", int(4.5 * H))]
    assert expiries_due(lots, {"a": int(4.5 * H)}) == []  # already posted: nothing again


def test_posted_expiries_are_not_counted_twice():
    entries = [e("earned", 7.5, D(2026, 7, 4), "a"), e("expiry", -7.5, D(2026, 9, 2), "x")]
    lots = comp_day_lots(entries, D(2026, 12, 1))
    assert lots[0].expired == int(7.5 * H) and lots[0].used == 0 and lots[0].remaining == 0
