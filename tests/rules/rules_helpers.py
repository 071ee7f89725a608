"""Helpers for the rules tests: short ways to write employees, dates and contract hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openleave.rules.facts import EmployeeFacts


def employee(start: str, title: str = "40", week: str | None = None, **kw) -> EmployeeFacts:
    """A test employee: service start, title hours a week, scheduled hours a week."""
    return EmployeeFacts(
        service_start=dt.date.fromisoformat(start),
        title_full_time_hours_per_week=Decimal(title),
        schedule_hours_per_week=Decimal(week) if week else None,
        status="part_time" if week and Decimal(week) < Decimal(title) else "full_time",
        **kw,
    )


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def h(text: str) -> int:
    """Hours as written in the contract → micro-hours."""
    from openleave.rules.units import to_micro

    return to_micro(Decimal(text))
