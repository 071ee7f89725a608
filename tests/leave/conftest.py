"""Fixtures for leave requests: opening balances in the ledger and a helper to build request input."""

from __future__ import annotations

import datetime as dt

import pytest

from openleave.rules.units import to_micro


def open_balance(employee, **hours):
    """Post opening balances (hours per leave type) through the ledger model, dated 2026-01-04."""
    from django.utils import timezone

    from openleave.leave.ledger_posting import LEDGER_LEAVE
    from openleave.ledger.models import Kind, LedgerEntry

    for name, h in hours.items():
        leave, _ = LEDGER_LEAVE[name]
        LedgerEntry.objects.create(
            employee=employee, leave=leave, kind=Kind.OPENING, micro=to_micro(h), effective_date=dt.date(2026, 1, 4),
            period_start=dt.date(2026, 1, 4), cite="opening", reason="test opening balance",
            key=f"test-open:{employee.pk}:{name}:{h}", recorded_at=timezone.now())


@pytest.fixture
def post_opening_balance():
    """``open_balance`` as a fixture, for tests that cannot import this conftest by module name."""
    return open_balance


@pytest.fixture
def erin(people):
    """Erin Doyle: Food Service Worker I, 37.5 h week (7.5 h a day, Mon–Fri), reports to Sean."""
    open_balance(people["erin"], sick="150", vacation="75", personal="15")
    return people["erin"]


@pytest.fixture
def ask():
    from openleave.leave.services import parse_input

    def make(kind, start, end=None, **kw):
        facts = kw.pop("facts", {})
        return parse_input({"kind": kind, "start_date": start, "end_date": end or start, **kw, "facts": facts})

    return make
