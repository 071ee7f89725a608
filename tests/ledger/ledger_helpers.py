"""Helpers shared by the ledger tests."""

from __future__ import annotations

import datetime as dt

TODAY = dt.date(2026, 11, 23)
PERIOD_DAY = dt.date(2026, 11, 1)  # pay period 2026-11-01 (Sun) .. 2026-11-14 (Sat): ended by TODAY


def credits(employee) -> dict[str, int]:
    """{'sick': µh, 'vacation': µh} of an employee's accrual entries."""
    from openleave.ledger.models import LEAVE_SLUGS, Kind, LedgerEntry

    out: dict[str, int] = {}
    for e in LedgerEntry.objects.filter(employee=employee, kind=Kind.ACCRUAL):
        out[LEAVE_SLUGS[e.leave]] = out.get(LEAVE_SLUGS[e.leave], 0) + e.micro
    return out


def balance(employee, leave, on: dt.date | None = None) -> int:
    """The ``balance`` part of one leave type (``selectors.balance_parts``), 0 when there is nothing of it."""
    from openleave.ledger.models import LEAVE_SLUGS
    from openleave.ledger.selectors import balance_parts

    parts = balance_parts(employee, on).get(LEAVE_SLUGS[leave])
    return parts.balance if parts else 0
