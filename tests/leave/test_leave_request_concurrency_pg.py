"""Two submissions at the same moment never overdraw a balance (real concurrent transactions).

PostgreSQL only: each thread has its own connection and transaction; ``leave_request_submit`` locks the
employee row (SELECT … FOR UPDATE) before reading the balance, so the second submission waits, then sees
the first one's reservation. On SQLite the question does not arise the same way — it serialises every
write transaction (BEGIN IMMEDIATE in our settings), so two writers never run at once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL: SQLite serialises writes anyway")
def test_two_simultaneous_submissions_cannot_overdraw(people, users, post_opening_balance):
    from openleave.leave import selectors as sel
    from openleave.leave import services as svc
    from openleave.leave.errors import LeaveError
    from openleave.leave.models import LeaveRequest

    erin = people["erin"]
    post_opening_balance(erin, vacation="75")
    # Each asks Mon 7 – Fri 11 Dec + Mon 14 Dec = 6 days × 7.5 h = 45 h of vacation; 45 + 45 > 75.
    barrier = threading.Barrier(2)
    results: list[object] = []

    def go(start: str, end: str):
        try:
            barrier.wait(timeout=10)
            data = svc.parse_input({"kind": "vacation", "start_date": start, "end_date": end})
            results.append(svc.leave_request_submit(employee=erin, user=users["employee"], data=data).pk)
        except Exception as exc:  # noqa: BLE001 — collected for the assertion below
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go, args=("2026-12-07", "2026-12-14")),
               threading.Thread(target=go, args=("2026-12-15", "2026-12-22"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    ok = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, LeaveError)]
    assert len(results) == 2
    # The second to get the lock sees 75 − 45 = 30 h: the rules allow only part (needs a decision), so it is
    # reserved for at most the 30 h left — never more than the balance.
    held = sel.reserved_balances(erin)["vacation"]
    assert held <= 75_000_000, held
    assert len(ok) + len(refused) == 2
    reqs = list(LeaveRequest.objects.filter(employee=erin))
    assert sum(r.reserved.get("vacation", 0) for r in reqs) == held
    assert sorted(r.reserved.get("vacation", 0) for r in reqs) == [30_000_000, 45_000_000]
    assert connection.vendor == "postgresql"
