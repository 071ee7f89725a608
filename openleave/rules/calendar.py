"""The bi-weekly pay calendar and the years the contract counts in.

* Pay periods run Sunday through the Saturday of the following week, every period a whole
  number of steps from an anchor period start; the anchor and the length are the parameter
  ``calendar.pay_period`` (a pay calendar of the Django shell may give its own anchor).
  Accruals are "for each bi-weekly pay period" (Sec. 8.1.A) and vacation is credited "at the end
  of each pay period" (Sec. 9.2.A).
* The vacation year (Sec. 9.1) is the first full pay period in January through the last pay
  period inclusive of December 31 of the same year. Because periods are contiguous, vacation
  year Y is exactly the periods that *start* in calendar year Y.
* The first full pay period in January is the first period that starts on or after January 1
  (with two-week periods it ends by January 27, so it lies wholly in January). Personal leave
  (Sec. 8.2.A/B) is credited in it.
* Unused personal leave and the emergency day are forfeited on "the last Saturday prior to the
  first full pay period in January" (Sec. 8.2.B, MOU Regarding State of Emergency): the day
  before that period starts.
* The fiscal year starts on the month-day of ``vacation.higher_rate_fiscal_year_start`` (the
  Commonwealth's July 1) and is named by the year it ends in; Sec. 9.4 counts in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from .params import ParameterTree, default_tree, month_day

ONE_DAY = dt.timedelta(days=1)


def pay_period_param(tree: ParameterTree | None = None, on: dt.date | None = None) -> tuple[dt.date, int]:
    """Sec. 8.1.A: (anchor, length in days) of the pay calendar — the parameter ``calendar.pay_period``
    in force on ``on`` (its first value for a day before it: the anchor fixes the calendar back in time)."""
    tree = tree or default_tree()
    series = tree.history("calendar.pay_period")
    p = series[0] if on is None or on < series[0].since else tree.get("calendar.pay_period", on)
    length = int(p.value["days"])
    if length <= 0 or length % 7:
        raise ValueError(f"a pay period of {length} days is not a whole number of weeks (Sunday through Saturday)")
    return p.value["anchor"], length


DEFAULT_ANCHOR = pay_period_param()[0]


def full_time_weeks(tree: ParameterTree | None = None, on: dt.date | None = None) -> tuple[Decimal, ...]:
    """Sec. 8.9, 9.16: the full-time weeks a title may have — the weeks ``calendar.day_hours`` gives a
    day for (in force on ``on``; its first value when ``on`` is None or earlier)."""
    tree = tree or default_tree()
    series = tree.history("calendar.day_hours")
    p = series[0] if on is None or on < series[0].since else tree.get("calendar.day_hours", on)
    return tuple(sorted(Decimal(str(k)) for k in p.value))


def weeks_text(weeks: tuple[Decimal, ...]) -> str:
    """The weeks as prose for messages: "A or B"."""
    return " or ".join(format(w.normalize(), "f") for w in weeks)


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
        return PayPeriod(self.end + ONE_DAY, self.end + (self.end - self.start) + ONE_DAY)

    @property
    def vacation_year(self) -> int:
        """Sec. 9.1: the vacation year this period belongs to (the year its start falls in)."""
        return self.start.year


def check_anchor(anchor: dt.date) -> None:
    if anchor.weekday() != 6:
        raise ValueError(f"pay period anchor {anchor} is not a Sunday")


def _calendar(anchor: dt.date | None, tree: ParameterTree | None, on: dt.date | None) -> tuple[dt.date, int]:
    param_anchor, length = pay_period_param(tree, on)
    anchor = anchor or param_anchor
    check_anchor(anchor)
    return anchor, length


def period_containing(day: dt.date, anchor: dt.date | None = None, tree: ParameterTree | None = None) -> PayPeriod:
    """The pay period that includes ``day`` (anchor: the pay calendar's, default the parameter's)."""
    anchor, length = _calendar(anchor, tree, day)
    steps = (day - anchor).days // length
    start = anchor + dt.timedelta(days=steps * length)
    return PayPeriod(start, start + dt.timedelta(days=length - 1))


def periods_between(first: dt.date, last: dt.date, anchor: dt.date | None = None,
                    tree: ParameterTree | None = None) -> Iterator[PayPeriod]:
    """Every pay period that includes a day from ``first`` to ``last`` (inclusive), in order."""
    p = period_containing(first, anchor, tree)
    while p.start <= last:
        yield p
        p = p.next()


def first_full_period_in_january(year: int, anchor: dt.date | None = None, tree: ParameterTree | None = None) -> PayPeriod:
    """Sec. 8.2.A/B, 9.1: the first pay period that starts on or after January 1 of ``year``."""
    p = period_containing(dt.date(year, 1, 1), anchor, tree)
    return p if p.start == dt.date(year, 1, 1) else p.next()


def vacation_year(year: int, anchor: dt.date | None = None, tree: ParameterTree | None = None) -> tuple[dt.date, dt.date]:
    """Sec. 9.1: (first day, last day) of vacation year ``year`` — the first full pay period in
    January through the last pay period inclusive of December 31."""
    return (first_full_period_in_january(year, anchor, tree).start,
            period_containing(dt.date(year, 12, 31), anchor, tree).end)


def vacation_year_of(day: dt.date, anchor: dt.date | None = None, tree: ParameterTree | None = None) -> int:
    """Sec. 9.1: the vacation year a day falls in."""
    return period_containing(day, anchor, tree).vacation_year


def annual_forfeiture_date(year: int, anchor: dt.date | None = None, tree: ParameterTree | None = None) -> dt.date:
    """Sec. 8.2.B, MOU Regarding State of Emergency: the last Saturday prior to the first full pay
    period in January of ``year + 1`` — the day the personal leave / emergency day credited in
    January of ``year`` is forfeited if not taken."""
    return first_full_period_in_january(year + 1, anchor, tree).start - ONE_DAY


def fiscal_year_start_day(tree: ParameterTree | None = None, on: dt.date | None = None) -> tuple[int, int]:
    """Sec. 9.4: (month, day) the Commonwealth's fiscal year starts — ``vacation.higher_rate_fiscal_year_start``."""
    tree = tree or default_tree()
    series = tree.history("vacation.higher_rate_fiscal_year_start")
    p = series[0] if on is None or on < series[0].since else tree.get("vacation.higher_rate_fiscal_year_start", on)
    return month_day(p.value)


def fiscal_year(day: dt.date, start: tuple[int, int] | None = None) -> int:
    """The Commonwealth fiscal year that includes ``day``, named by its end year (``start``: its (month, day))."""
    start = start or fiscal_year_start_day()
    return day.year + 1 if (day.month, day.day) >= start else day.year


def fiscal_year_start(fy: int, start: tuple[int, int] | None = None) -> dt.date:
    """The day that opens fiscal year ``fy`` (the fiscal year named by its end year)."""
    month, day = start or fiscal_year_start_day()
    return dt.date(fy - 1, month, day)


def fiscal_year_end(fy: int, start: tuple[int, int] | None = None) -> dt.date:
    return fiscal_year_start(fy + 1, start) - ONE_DAY


def last_fiscal_year_start_on_or_before(day: dt.date, start: tuple[int, int] | None = None) -> dt.date:
    """The most recent fiscal-year start (July 1) on or before ``day``."""
    return fiscal_year_start(fiscal_year(day, start), start)
