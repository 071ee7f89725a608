"""Six submissions for the same day at the same moment: exactly one is accepted (real concurrent transactions).

PostgreSQL only: each thread has its own connection and transaction. ``leave_request_submit`` locks the
employee row (SELECT … FOR UPDATE) before it reads the balance and the live requests, so the others wait,
then see the first one's request and get ``Overlap`` (409). Erin's 15 h of personal leave would pay for two
of the six days: only the overlap check stops the second."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection, connections

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL: SQLite serialises writes anyway")
def test_six_simultaneous_submissions_for_one_day_yield_one_request(people, users, post_opening_balance):
    from openleave.holidays.selectors import holiday_dates
    from openleave.leave import services as svc
    from openleave.leave.errors import Overlap
    from openleave.leave.models import LeaveRequest
    from openleave.rules.schedule import scheduled_days

    erin = people["erin"]
    post_opening_balance(erin, personal="15")
    start = NOW.date() + dt.timedelta(days=14)
    end = start + dt.timedelta(days=40)
    day = scheduled_days(erin.facts(), start, end, holiday_dates(erin.agency, start, end))[0]
    n = 6
    barrier = threading.Barrier(n)
    results: list[object] = []

    def go():
        try:
            barrier.wait(timeout=10)
            data = svc.parse_input({"kind": "personal", "start_date": day.isoformat()})
            results.append(svc.leave_request_submit(employee=erin, user=users["employee"], data=data).pk)
        except Exception as exc:  # noqa: BLE001 — collected for the assertions below
            results.append(exc)
        finally:
            connections.close_all()

    with time_machine.travel(NOW, tick=False):
        threads = [threading.Thread(target=go) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    ok = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, Overlap)]
    assert len(results) == n, results
    assert len(ok) == 1 and len(refused) == n - 1, results
    assert all(e.status == 409 and e.request_id == ok[0] for e in refused)
    live = LeaveRequest.objects.filter(employee=erin, status="submitted")
    assert [r.pk for r in live] == ok and live.get().reserved == {"personal": 7_500_000}
    assert connection.vendor == "postgresql"
