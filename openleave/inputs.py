"""The one input layer: dates, times, hours, money, counts and text as they come from a form, the API or a
command, checked for shape and bounds before any rule or query sees them.

Bounds come from the contract itself: no date before the agreement's parameters are in force
(``effective_from`` of the earliest agreement in ``contract/*/index.yaml``) and none after ``LATEST_DATE``
(a sane horizon for leave and pay calendars). Hours and money are exact decimals within a magnitude a
person could mean; text never carries a NUL byte or a lone surrogate (PostgreSQL cannot store them) and is
refused — never silently cut — when longer than its column.

A bad value raises :class:`BadInput` (a ``ValueError``) naming the field and saying what to fix; the web,
API and command layers turn it into a 4xx or a ``CommandError``. No Django here.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from openleave.rules.params import default_tree

LATEST_DATE = dt.date(2100, 12, 31)
MAX_HOURS = Decimal(10_000)  # more than a year of hours; anything larger is a typing mistake
MAX_MONEY = Decimal(10_000_000)  # dollars (jury fees, regular pay for a period)
MAX_COUNT = 1_000_000_000  # offsets and ids: well inside a 64-bit integer column
BAD_CHARS = re.compile("[\x00\ud800-\udfff]")


class BadInput(ValueError):
    """A value that cannot be used as given: ``field`` names it, ``message`` says what to fix."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


@lru_cache(maxsize=1)
def earliest_date() -> dt.date:
    """The first day the contract's parameters are in force (the earliest agreement's ``effective_from``)."""
    days = [a["effective_from"] for a in default_tree().agreements if a.get("effective_from")]
    return min(d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)) for d in days)


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None."""
    m = BAD_CHARS.search(value)
    if m is None:
        return None
    return "contains a NUL byte" if m.group() == "\x00" else "contains an invalid character (a lone surrogate)"


def text(value, field: str, *, max_length: int, required: bool = False, min_length: int = 0) -> str:
    """Stripped text; refused (not cut) when longer than ``max_length``."""
    s = "" if value is None else str(value).strip()
    problem = text_problem(s)
    if problem:
        raise BadInput(field, f"the text {problem}; remove it.")
    if len(s) > max_length:
        raise BadInput(field, f"at most {max_length} characters (you gave {len(s)}); shorten it.")
    if required and not s:
        raise BadInput(field, "this is required.")
    if s and len(s) < min_length:
        raise BadInput(field, f"at least {min_length} characters.")
    return s


def check_day(d: dt.date, field: str) -> dt.date:
    lo = earliest_date()
    if not lo <= d <= LATEST_DATE:
        raise BadInput(field, f"{d.isoformat()} is outside the dates openleave handles ({lo.isoformat()} to "
                              f"{LATEST_DATE.isoformat()}: the agreement's parameters begin {lo.isoformat()}).")
    return d


def day(value, field: str) -> dt.date | None:
    """A date (YYYY-MM-DD) within the contract's dates; None for an empty value."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        s = str(value).strip()
        try:
            value = dt.date.fromisoformat(s) if len(s) == 10 else None
        except ValueError:
            value = None
        if value is None:
            raise BadInput(field, f"{s[:40]!r} is not a date (YYYY-MM-DD).")
    return check_day(value, field)


def month(value, field: str) -> dt.date | None:
    """A month (YYYY-MM) → its first day, within the contract's dates."""
    if value is None or value == "":
        return None
    s = str(value).strip()
    try:
        d = dt.datetime.strptime(s, "%Y-%m").date() if re.fullmatch(r"\d{4}-\d{2}", s) else None
    except ValueError:
        d = None
    if d is None:
        raise BadInput(field, f"{s[:40]!r} is not a month (YYYY-MM).")
    lo = earliest_date().replace(day=1)
    if not lo <= d <= LATEST_DATE:
        raise BadInput(field, f"{s} is outside the months openleave handles ({lo:%Y-%m} to {LATEST_DATE:%Y-%m}).")
    return d


def year(value, field: str) -> int:
    """A calendar year within the contract's dates."""
    try:
        y = int(str(value).strip())
    except (TypeError, ValueError):
        raise BadInput(field, f"{str(value)[:40]!r} is not a year (YYYY).") from None
    lo, hi = earliest_date().year, LATEST_DATE.year
    if not lo <= y <= hi:
        raise BadInput(field, f"{y} is outside the years openleave handles ({lo} to {hi}).")
    return y


def check_time(t: dt.time, field: str) -> dt.time:
    if t.tzinfo is not None:
        raise BadInput(field, "give a local time of day without a time zone (HH:MM).")
    return t


def time_of_day(value, field: str) -> dt.time | None:
    """A local time of day (HH:MM or HH:MM:SS), never with a zone."""
    if value is None or value == "":
        return None
    if not isinstance(value, dt.time):
        s = str(value).strip()
        if not re.fullmatch(r"\d{2}:\d{2}(:\d{2})?", s):
            raise BadInput(field, f"{s[:40]!r} is not a time of day (HH:MM, local time, no zone).")
        try:
            value = dt.time.fromisoformat(s)
        except ValueError:
            raise BadInput(field, f"{s!r} is not a time of day (HH:MM).") from None
    return check_time(value, field)


def _decimal(value, field: str, what: str) -> Decimal:
    if isinstance(value, float):
        value = repr(value)
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace("−", "-"))
    except (InvalidOperation, ValueError):
        raise BadInput(field, f"{str(value)[:40]!r} is not {what}.") from None
    if not d.is_finite():
        raise BadInput(field, f"{str(value)[:40]!r} is not {what}.")
    return d


def check_hours(d: Decimal, field: str, *, negative: bool = False, max_hours: Decimal = MAX_HOURS) -> Decimal:
    if not d.is_finite() or d.copy_abs() > max_hours:  # copy_abs: no context, no overflow
        raise BadInput(field, f"at most {max_hours} hours; check the figure.")
    if d < 0 and not negative:
        raise BadInput(field, "hours cannot be negative.")
    if d != d.quantize(Decimal("0.000001")):
        raise BadInput(field, "at most 6 decimals (0.000001 h).")
    return d


def hours(value, field: str, *, negative: bool = False, max_hours: Decimal = MAX_HOURS) -> Decimal | None:
    """Exact decimal hours, at most 6 decimals and ``max_hours`` in size."""
    if value is None or value == "":
        return None
    return check_hours(_decimal(value, field, "a number of hours"), field, negative=negative, max_hours=max_hours)


def check_money(d: Decimal, field: str) -> Decimal:
    if not d.is_finite() or not 0 <= d <= MAX_MONEY:
        raise BadInput(field, f"give an amount in dollars from 0 to {MAX_MONEY:,}.")
    if d != d.quantize(Decimal("0.01")):
        raise BadInput(field, "give dollars and cents (at most 2 decimals).")
    return d


def money(value, field: str) -> Decimal | None:
    """Dollars and cents, from 0 to ``MAX_MONEY``."""
    if value is None or value == "":
        return None
    return check_money(_decimal(value, field, "an amount in dollars"), field)


def count(value, field: str, *, lo: int = 0, hi: int = MAX_COUNT) -> int:
    """A whole number from ``lo`` to ``hi`` (offsets, limits, ids, page numbers)."""
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        raise BadInput(field, f"{str(value)[:40]!r} is not a whole number.") from None
    if not lo <= n <= hi:
        raise BadInput(field, f"give a whole number from {lo} to {hi}.")
    return n
