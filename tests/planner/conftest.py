"""Fixtures for the planner: opening balances posted through the ledger's service."""

from __future__ import annotations

import datetime as dt

import pytest

from openleave.rules.units import to_micro

OPENED = dt.date(2026, 1, 4)  # the first day of the first full pay period of 2026 (vacation year 2026, Sec. 9.1)


def open_balance(employee, on: dt.date = OPENED, **hours):
    from openleave.leave.ledger_posting import LEDGER_LEAVE
    from openleave.ledger.models import Kind
    from openleave.ledger.services import ledger_post

    for name, h in hours.items():
        leave, _ = LEDGER_LEAVE[name]
        ledger_post(employee=employee, leave=leave, kind=Kind.OPENING, micro=to_micro(h), effective_date=on,
                    cite="opening balance", reason="test opening balance", key=f"plan-open:{employee.pk}:{name}:{on}",
                    by=None, system="tests")


@pytest.fixture
def post_opening_balance():
    return open_balance
