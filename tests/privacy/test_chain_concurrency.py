"""Concurrent appends never fork the chain (PostgreSQL: appends take no lock; sealing locks the chain head row,
and an append that finds it locked leaves its row to the next seal)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections  # noqa: F401 — connection: the skipif condition

from openleave.audit.access import record_access, seal_access_log, verify_chain
from openleave.audit.models import AccessLog

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif("connection.vendor != 'postgresql'",
                    reason="needs PostgreSQL (SQLite serialises writers itself); CI runs it")
def test_eight_writers_at_once_keep_one_unbroken_chain():
    barrier = threading.Barrier(8)
    errors = []

    def writer(n):
        try:
            barrier.wait()
            for i in range(25):
                record_access(actor=None, subject=None, object_type="test", object_id=f"{n}-{i}",
                              category="audit", channel="command")
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert AccessLog.objects.count() == 200
    seal_access_log()  # the periodic step: whatever the last appends left pending
    assert not AccessLog.objects.filter(seq__isnull=True).exists()
    assert sorted(AccessLog.objects.values_list("seq", flat=True)) == list(range(1, 201))
    assert len(set(AccessLog.objects.values_list("prev_hash", flat=True))) == 200  # no two rows share a parent
    report = verify_chain()
    assert report.ok, report
