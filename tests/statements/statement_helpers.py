"""Helpers of the statements tests: Erin's ledger with three vacation vintages on September 1, 2026 (posted as
opening balances by vintage and usage, ``ledger.services.ledger_post``)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

NY = zoneinfo.ZoneInfo("America/New_York")
IN_WINDOW = dt.datetime(2026, 9, 15, 12, tzinfo=NY)  # between Sec. 9.8's September 1 and October 1
H = 1_000_000  # µh per hour (openleave.rules.units)


def post(employee, leave, kind, hours, on, key, earned_year=None, cite="opening balance"):
    from openleave.ledger import services

    return services.ledger_post(employee=employee, leave=leave, kind=kind, micro=int(hours * H), effective_date=on,
                                cite=cite, reason=f"test {key}", key=f"stmt-test:{employee.pk}:{key}",
                                system="test", earned_year=earned_year)


def three_vintages(employee):
    """Erin's ledger, worked by hand in test_statement_figures.py:

    vacation: 30 h earned in 2024, 60 h earned in 2025, 20 h earned in 2026 (openings, 2026-01-11);
              16 h taken 2026-03-02 and 8 h taken 2026-07-06 (both from 2024, oldest first);
              4 h booked for 2026-10-05 (after September 1);
    personal: 24 h credited for 2026, 8 h taken 2026-05-04;
    comp time: 6 h."""
    from openleave.ledger.models import Kind, Leave

    opening = dt.date(2026, 1, 11)
    post(employee, Leave.VACATION, Kind.OPENING, 30, opening, "v2024", 2024)
    post(employee, Leave.VACATION, Kind.OPENING, 60, opening, "v2025", 2025)
    post(employee, Leave.VACATION, Kind.OPENING, 20, opening, "v2026", 2026)
    post(employee, Leave.VACATION, Kind.USAGE, -16, dt.date(2026, 3, 2), "use1", cite="Sec. 9.10")
    post(employee, Leave.VACATION, Kind.USAGE, -8, dt.date(2026, 7, 6), "use2", cite="Sec. 9.10")
    post(employee, Leave.VACATION, Kind.USAGE, -4, dt.date(2026, 10, 5), "booked", cite="Sec. 9.10")
    post(employee, Leave.PERSONAL, Kind.OPENING, 24, opening, "p2026", 2026)
    post(employee, Leave.PERSONAL, Kind.USAGE, -8, dt.date(2026, 5, 4), "puse", cite="Sec. 8.2.B")
    post(employee, Leave.COMP, Kind.OPENING, 6, opening, "comp", 2026)
