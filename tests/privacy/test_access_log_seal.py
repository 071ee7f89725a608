"""Two-step access log: an append takes no lock; sealing links pending rows into the chain, once each."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from openleave.audit.access import record_access, seal_access_log, verify_chain
from openleave.audit.models import AccessLog

pytestmark = pytest.mark.django_db


def _pending_row(users, people) -> AccessLog:
    """A row appended while another transaction held the chain head (so not sealed by its append)."""
    return AccessLog.objects.bulk_create([AccessLog(actor=users["hr"], actor_label="hr", subject=people["erin"],
                                                    object_type="employee", category="leave", purpose="test",
                                                    channel="ui")])[0]


def test_pending_rows_are_reported_then_sealed_in_order(users, people):
    first = record_access(actor=users["hr"], subject=people["erin"], object_type="employee", category="leave",
                          channel="ui")
    pending = _pending_row(users, people)
    report = verify_chain()
    assert report.ok and report.checked == 1 and report.pending == 1
    assert seal_access_log() == 1
    pending.refresh_from_db()
    assert pending.seq == first.seq + 1 and pending.prev_hash == first.hash and pending.hash
    report = verify_chain()
    assert report.ok and report.checked == 2 and report.pending == 0


def test_the_next_append_seals_what_is_pending(users, people):
    pending = _pending_row(users, people)
    row = record_access(actor=users["hr"], subject=people["erin"], object_type="employee", category="leave",
                        channel="ui")
    pending.refresh_from_db()
    assert row.prev_hash == pending.hash and row.seq == pending.seq + 1
    assert verify_chain().ok


def test_the_database_refuses_resealing_or_changing_a_row_while_sealing(users, people):
    sealed = record_access(actor=users["hr"], subject=people["erin"], object_type="employee", category="leave",
                           channel="ui")
    pending = _pending_row(users, people)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE privacy_accesslog SET seq = 999, hash = 'x' WHERE id = %s", [sealed.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE privacy_accesslog SET seq = 999, hash = 'x', purpose = 'other' WHERE id = %s", [pending.pk])
    assert seal_access_log() == 1 and verify_chain().ok
