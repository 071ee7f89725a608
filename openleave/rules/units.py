"""Exact units. Hours are held as integer micro-hours (1 h = 1,000,000 µh); never floats.

The contract's own figures have at most six decimals (the sick-leave rate of Sec. 8.1.A for a
75-hour period), so every contract figure is an exact integer number of micro-hours.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

MICRO = 1_000_000  # micro-hours in one hour
HOUR = MICRO


class InexactHours(ValueError):
    """A figure that is not a whole number of micro-hours."""


def to_micro(hours: Decimal | str | int) -> int:
    """Exact hours → integer micro-hours. Refuses anything finer than 0.000001 h or a float."""
    if isinstance(hours, float):
        raise TypeError("hours must be Decimal, str or int, never float")
    try:
        d = Decimal(str(hours)) if not isinstance(hours, Decimal) else hours
    except InvalidOperation as exc:
        raise InexactHours(f"not a number of hours: {hours!r}") from exc
    if not d.is_finite():
        raise InexactHours(f"not a finite number of hours: {hours!r}")
    if d and d.adjusted() > 12:  # beyond any real figure; also keeps the scaling below from overflowing
        raise InexactHours(f"{hours} h is not a plausible number of hours")
    if d and d.adjusted() < -6:
        raise InexactHours(f"{hours} h is finer than one micro-hour (0.000001 h)")
    scaled = d * MICRO
    if scaled != scaled.to_integral_value():
        raise InexactHours(f"{hours} h is finer than one micro-hour (0.000001 h)")
    return int(scaled)


def from_micro(micro: int) -> Decimal:
    """Integer micro-hours → exact Decimal hours."""
    return Decimal(micro) / MICRO


def hours_str(micro: int) -> str:
    """Micro-hours as a plain decimal string with no trailing zeros: 1234567 → '1.234567', 40000000 → '40'."""
    d = from_micro(micro).normalize()
    s = format(d, "f")
    return "0" if s in ("-0", "0") else s


def div_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounded half away from zero (used only where the contract prorates)."""
    if denominator == 0:
        raise ZeroDivisionError("division by zero")
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    n, d = abs(numerator), abs(denominator)
    q, r = divmod(n, d)
    if 2 * r >= d:
        q += 1
    return sign * q
