"""Two members racing for the last day of a union-wide limit (Sec. 5.3: 175 convention days a year for the Union)
never both get it (real concurrent transactions, PostgreSQL only: each thread has its own connection).

``leave_request_submit`` takes the limit's advisory lock (``union_limits.lock``) before reading the usage across all
members, so the second waits, then reads the first's pending day. The control test takes the lock away and widens
the gap between reading and writing: both then pass — the lock is what prevents it. SQLite serialises every write
transaction (BEGIN IMMEDIATE), so there the question does not arise."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections  # noqa: F401 — connection: the skipif condition

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'",
                                 reason="needs PostgreSQL: SQLite serialises writes anyway")]
DAY = 7_500_000


def _race(people, users):
    from openleave.leave import services as svc
    from openleave.leave.models import LeaveRequest

    # a DCR delegate holds 174 days of 2027 → 1 day left (175 − 174)
    dates, d = [], dt.date(2027, 1, 4)
    while len(dates) < 174:
        if d.weekday() < 5:
            dates.append(d)
        d += dt.timedelta(days=1)
    LeaveRequest.objects.create(employee=people["dcr_report"], kind="union_paid", start_date=dates[0],
                                end_date=dates[-1], facts={"purpose": "convention"}, status="approved",
                                days={x.isoformat(): DAY for x in dates})
    barrier = threading.Barrier(2)
    results: list[object] = []

    def go(employee, user, day):
        try:
            barrier.wait(timeout=10)
            data = svc.parse_input({"kind": "union_paid", "start_date": day, "end_date": day,
                                    "facts": {"purpose": "convention"}})
            results.append(svc.leave_request_submit(employee=employee, user=user, data=data).pk)
        except Exception as exc:  # noqa: BLE001 — collected for the assertion
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go, args=(people["erin"], users["employee"], "2027-10-04")),
               threading.Thread(target=go, args=(people["stan"], users["steward"], "2027-10-05"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_members_cannot_both_take_the_last_convention_day(people, users):
    from openleave.leave.errors import LeaveError
    from openleave.leave.models import LeaveRequest

    results = _race(people, users)
    ok = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, LeaveError)]
    assert len(ok) == 1 and len(refused) == 1, results
    assert "175 of 175 days used across the unit in 2027; 1 requested; 1 over" in str(refused[0])
    assert LeaveRequest.objects.filter(facts__purpose="convention", status="submitted").count() == 1


def test_without_the_lock_both_would_pass(people, users, monkeypatch):
    from openleave.leave import union_limits as U

    real = U.union_usage

    def slow(*a, **kw):  # read, then give the other transaction time to read the same figure
        out = real(*a, **kw)
        time.sleep(0.5)
        return out

    monkeypatch.setattr(U, "lock", lambda kind, facts: None)
    monkeypatch.setattr(U, "union_usage", slow)
    results = _race(people, users)
    assert all(isinstance(r, int) for r in results), results  # 176 of 175: what the lock prevents
