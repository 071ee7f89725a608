"""The bi-weekly pay calendar and the years the contract counts in.

* Pay periods run Sunday through the Saturday of the following week, 14 days, every period a
  whole number of steps from an anchor period start (default 2017-07-09, the parameter
  ``calendar.pay_period``). Accruals are "for each bi-weekly pay period" (Sec. 8.1.A) and
  vacation is credited "at the end of each pay period" (Sec. 9.2.A).
* The vacation year (Sec. 9.1) is the first full pay period in January through the last pay
  period inclusive of December 31 of the same year. Because periods are contiguous, vacation
  year Y is exactly the periods that *start* in calendar year Y.
* The first full pay period in January is the first period that starts on or after January 1
  (it then ends by January 14 + 13 = January 27, so it lies wholly in January). Personal leave
  (Sec. 8.2.A/B) is credited in it.
* Unused personal leave and the emergency day are forfeited on "the last Saturday prior to the
  first full pay period in January" (Sec. 8.2.B, MOU Regarding State of Emergency): the day
  before that period starts.
* The fiscal year runs July 1 to June 30 and is named by the year it ends in (FY2020 =
  2019-07-01 .. 2020-06-30); Sec. 9.4 counts in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

DEFAULT_ANCHOR = dt.date(2017, 7, 9)
PERIOD_DAYS = 14
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, order=True)
class PayPeriod:
    """One bi-weekly pay period, ``start`` (a Sunday) through ``end`` (a Saturday), inclusive."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def next(self) -> PayPeriod:
        return PayPeriod(self.end + ONE_DAY, self.end + dt.timedelta(days=PERIOD_DAYS))

    @property
    def vacation_year(self) -> int:
        """Sec. 9.1: the vacation year this period belongs to (the year its start falls in)."""
        return self.start.year


def check_anchor(anchor: dt.date) -> None:
    if anchor.weekday() != 6:
        raise ValueError(f"pay period anchor {anchor} is not a Sunday")


def period_containing(day: dt.date, anchor: dt.date = DEFAULT_ANCHOR) -> PayPeriod:
    """The pay period that includes ``day``."""
    check_anchor(anchor)
    steps = (day - anchor).days // PERIOD_DAYS
    start = anchor + dt.timedelta(days=steps * PERIOD_DAYS)
    return PayPeriod(start, start + dt.timedelta(days=PERIOD_DAYS - 1))


def periods_between(first: dt.date, last: dt.date, anchor: dt.date = DEFAULT_ANCHOR) -> Iterator[PayPeriod]:
    """Every pay period that includes a day from ``first`` to ``last`` (inclusive), in order."""
    p = period_containing(first, anchor)
    while p.start <= last:
        yield p
        p = p.next()


def first_full_period_in_january(year: int, anchor: dt.date = DEFAULT_ANCHOR) -> PayPeriod:
    """Sec. 8.2.A/B, 9.1: the first pay period that starts on or after January 1 of ``year``."""
    p = period_containing(dt.date(year, 1, 1), anchor)
    return p if p.start == dt.date(year, 1, 1) else p.next()


def vacation_year(year: int, anchor: dt.date = DEFAULT_ANCHOR) -> tuple[dt.date, dt.date]:
    """Sec. 9.1: (first day, last day) of vacation year ``year`` — the first full pay period in
    January through the last pay period inclusive of December 31."""
    return first_full_period_in_january(year, anchor).start, period_containing(dt.date(year, 12, 31), anchor).end


def vacation_year_of(day: dt.date, anchor: dt.date = DEFAULT_ANCHOR) -> int:
    """Sec. 9.1: the vacation year a day falls in."""
    return period_containing(day, anchor).vacation_year


def annual_forfeiture_date(year: int, anchor: dt.date = DEFAULT_ANCHOR) -> dt.date:
    """Sec. 8.2.B, MOU Regarding State of Emergency: the last Saturday prior to the first full pay
    period in January of ``year + 1`` — the day the personal leave / emergency day credited in
    January of ``year`` is forfeited if not taken."""
    return first_full_period_in_january(year + 1, anchor).start - ONE_DAY


def fiscal_year(day: dt.date) -> int:
    """The Commonwealth fiscal year (July 1 – June 30) that includes ``day``, named by its end year."""
    return day.year + 1 if day.month >= 7 else day.year


def fiscal_year_start(fy: int) -> dt.date:
    """July 1 that opens fiscal year ``fy`` (FY2020 → 2019-07-01)."""
    return dt.date(fy - 1, 7, 1)


def fiscal_year_end(fy: int) -> dt.date:
    return dt.date(fy, 6, 30)


def last_july_first_on_or_before(day: dt.date) -> dt.date:
    """The most recent July 1 on or before ``day``."""
    return dt.date(day.year if day.month >= 7 else day.year - 1, 7, 1)
