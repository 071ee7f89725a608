"""The ledger's hash chain catches a forged, deleted or edited line (issue 10, item 6) — on SQLite and PostgreSQL.

The raw SQL here is what someone past the app can do: on PostgreSQL a superuser or the tables' owner disables
the append-only trigger; on SQLite anyone with the file can (it has no roles). The block seals written by the
streaming sealing pass (``openleave.ledger.chain``) and a signed checkpoint tell."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from ledger_helpers import TODAY

from openleave.ledger.chain import seal_ledger, verify_ledger
from openleave.ledger.models import Kind, Leave, LedgerChainHead, LedgerEntry, LedgerSeal
from openleave.ledger.services import ledger_post


@pytest.fixture
def key(settings, tmp_path):
    settings.OPENLEAVE_CHECKPOINT_KEY = str(tmp_path / "checkpoint.pem")
    settings.OPENLEAVE_CHECKPOINT_PUBLIC_KEY = ""
    return tmp_path


@pytest.fixture
def ledger(make_employee, accrue):
    """12 employees accrued for one pay period (24 lines), sealed in blocks of 5."""
    for i in range(12):
        make_employee(start=dt.date(2005 + i, 3, 1))
    accrue()
    assert seal_ledger(block=5) == 24
    return list(LedgerEntry.objects.order_by("id"))


def _past_the_trigger(sql: str, params=()):
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("ALTER TABLE ledger_ledgerentry DISABLE TRIGGER ledger_entry_no_update")
        else:
            c.execute("DROP TRIGGER IF EXISTS ledger_entry_no_update")
        c.execute(sql, params)


def _verify(*args) -> str:
    out = StringIO()
    call_command("verify_ledger", *args, stdout=out)
    return out.getvalue()


def test_a_sealed_ledger_verifies_block_by_block(ledger):
    report = verify_ledger()
    assert report.ok and report.checked == 24 and report.blocks == 5 and report.pending == 0
    assert [(s.first_id, s.entries) for s in LedgerSeal.objects.order_by("last_id")][:2] == [
        (ledger[0].pk, 5), (ledger[5].pk, 5)]
    assert "24 entries in 5 block(s) verified" in _verify()


def test_the_database_refuses_an_update_on_both_databases(ledger):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute("UPDATE ledger_ledgerentry SET micro = micro + 1 WHERE id = %s", [ledger[0].pk])


def test_an_amount_edited_with_the_trigger_disabled_is_detected(ledger):
    victim = ledger[7]  # second block: ids ledger[5..9]
    _past_the_trigger("UPDATE ledger_ledgerentry SET micro = micro + 8000000 WHERE id = %s", [victim.pk])
    report = verify_ledger()
    assert not report.ok and (report.first_id, report.last_id) == (ledger[5].pk, ledger[9].pk)
    assert "a line was changed" in report.problem
    with pytest.raises(CommandError, match=f"entries {ledger[5].pk}..{ledger[9].pk}: .*a line was changed"):
        _verify()


def test_a_vintage_moved_to_another_year_is_detected(ledger):
    """The vintage decides what Sec. 9.8 forfeits: moving a credit to a later year (to dodge a forfeiture) or
    clearing it changes its sealed line."""
    victim = ledger[2]  # first block
    assert victim.vintage == 2026  # the period 2026-11-01..11-14 is in vacation year 2026 (Sec. 9.1)
    _past_the_trigger("UPDATE ledger_ledgerentry SET vintage = vintage + 1 WHERE id = %s", [victim.pk])
    report = verify_ledger()
    assert not report.ok and (report.first_id, report.last_id) == (ledger[0].pk, ledger[4].pk)
    _past_the_trigger("UPDATE ledger_ledgerentry SET vintage = NULL WHERE id = %s", [victim.pk])
    assert not verify_ledger().ok


def test_a_line_sealed_before_the_vintage_column_still_verifies():
    """Migration 0006 added ``vintage`` without rewriting the table: a line whose vintage is NULL hashes as
    it did before the column (so blocks sealed then still verify), and a set vintage is part of the line."""
    from openleave.ledger.chain import _line

    old = (1, 2, 2, 1, 3076960, dt.date(2026, 11, 14), dt.date(2026, 11, 1), "", "", 0, 80000000, 5, None, None,
           None, None, 3)
    assert _line((*old, None)) == (b"1\x1f2\x1f2\x1f1\x1f3076960\x1f2026-11-14\x1f2026-11-01\x1f0:\x1f0:\x1f0\x1f80000000"
                                   b"\x1f5\x1fNone\x1fNone\x1f~\x1f~\x1f3\n")
    assert _line((*old, 2026)) == _line((*old, None))[:-1] + b"\x1f2026\n"


def test_a_deleted_line_is_detected(ledger):
    _past_the_trigger("DELETE FROM ledger_ledgerentry WHERE id = %s", [ledger[12].pk])
    report = verify_ledger()
    assert not report.ok and report.first_id == ledger[10].pk
    assert "holds 4 lines where 5 were sealed (a line was deleted)" in report.problem


def test_a_forged_line_slipped_into_the_sealed_history_is_detected(ledger):
    """Ids have gaps (a rolled-back insert uses one up); a forged line given such an id is caught."""
    erin = LedgerEntry.objects.get(pk=ledger[0].pk).employee
    with connection.cursor() as c:  # an id used up by a rolled-back transaction
        if connection.vendor == "postgresql":
            c.execute("SELECT setval(pg_get_serial_sequence('ledger_ledgerentry', 'id'), %s)", [ledger[-1].pk + 3])
        else:
            c.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = 'ledger_ledgerentry'", [ledger[-1].pk + 3])
    later = ledger_post(employee=erin, leave=Leave.VACATION, kind=Kind.ADJUSTMENT, micro=1_000_000,
                        effective_date=TODAY, cite="Sec. 9.10", reason="test", key="t1")
    assert seal_ledger(block=5) == 1 and verify_ledger().ok
    gap = ledger[-1].pk + 1
    assert gap < later.pk
    _past_the_trigger(
        "INSERT INTO ledger_ledgerentry (id, employee_id, leave, kind, micro, effective_date, period_start, cite, "
        "reason) VALUES (%s, %s, 2, 5, 400000000, %s, %s, 'Sec. 9.10', 'forged')",
        [gap, erin.pk, TODAY, TODAY])
    report = verify_ledger()
    assert not report.ok and report.first_id == gap and "outside every sealed block (a line was added)" in report.problem


def test_a_forged_line_in_a_sealed_block_gap_is_detected(make_employee):
    emp = make_employee(start=dt.date(2010, 3, 1))
    kw = dict(employee=emp, leave=Leave.VACATION, kind=Kind.ADJUSTMENT, effective_date=TODAY, cite="Sec. 9.10",
              reason="test")
    first = ledger_post(micro=1_000_000, key="a", **kw)
    with connection.cursor() as c:  # ids skipped (rolled back elsewhere) inside what becomes one block
        if connection.vendor == "postgresql":
            c.execute("SELECT setval(pg_get_serial_sequence('ledger_ledgerentry', 'id'), %s)", [first.pk + 2])
        else:
            c.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = 'ledger_ledgerentry'", [first.pk + 2])
    ledger_post(micro=2_000_000, key="b", **kw)
    assert seal_ledger() == 2 and LedgerSeal.objects.get().entries == 2
    _past_the_trigger(
        "INSERT INTO ledger_ledgerentry (id, employee_id, leave, kind, micro, effective_date, period_start, cite, "
        "reason) VALUES (%s, %s, 2, 5, 400000000, %s, %s, 'Sec. 9.10', 'forged')", [first.pk + 1, emp.pk, TODAY, TODAY])
    report = verify_ledger()
    assert not report.ok and "holds 3 lines where 2 were sealed (a line was added)" in report.problem


def test_a_line_appended_after_the_seal_is_pending_and_the_verifier_does_not_seal_it(ledger):
    erin = ledger[0].employee
    ledger_post(employee=erin, leave=Leave.SICK, kind=Kind.ADJUSTMENT, micro=1_000_000, effective_date=TODAY,
                cite="Sec. 8.1", reason="test", key="p1")
    assert "1 entries pending, not yet sealed" in _verify()
    assert verify_ledger().pending == 1 and LedgerChainHead.objects.get().last_id == ledger[-1].pk


def test_tail_removed_and_head_moved_back_is_caught_by_the_checkpoint(ledger, key, tmp_path):
    cp = tmp_path / "cp.json"
    call_command("seal_ledger", "--checkpoint-out", str(cp))
    last = LedgerSeal.objects.order_by("-last_id").first()
    _past_the_trigger("DELETE FROM ledger_ledgerentry WHERE id >= %s", [last.first_id])
    with connection.cursor() as c:
        c.execute("DELETE FROM ledger_ledgerseal WHERE id = %s", [last.pk])
        before = LedgerSeal.objects.order_by("-last_id").first()
        c.execute("UPDATE ledger_ledgerchainhead SET last_id = %s, last_hash = %s, blocks = blocks - 1",
                  [before.last_id, before.hash])
    assert verify_ledger().ok  # what is left is consistent
    with pytest.raises(CommandError, match=f"block ending at entry {last.last_id}, which is gone"):
        _verify("--against", str(cp))


def test_the_whole_ledger_deleted_is_caught_by_the_checkpoint(ledger, key, tmp_path):
    cp = tmp_path / "cp.json"
    call_command("write_checkpoint", "--out", str(cp))
    _past_the_trigger("DELETE FROM ledger_ledgerentry")
    with connection.cursor() as c:
        c.execute("DELETE FROM ledger_ledgerseal")
        c.execute("DELETE FROM ledger_ledgerchainhead")
    assert verify_ledger().ok and verify_ledger().checked == 0
    with pytest.raises(CommandError, match="which is gone"):
        _verify("--against", str(cp))


def test_a_clean_ledger_verifies_against_its_checkpoint(ledger, key, tmp_path):
    cp = tmp_path / "cp.json"
    call_command("write_checkpoint", "--out", str(cp))
    assert f"intact, up to the checkpoint at entry {ledger[-1].pk}" in _verify("--against", str(cp))


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the trigger refuses DELETE on PostgreSQL only")
def test_postgres_refuses_a_delete_even_for_the_superuser_until_the_trigger_is_disabled(ledger):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM ledger_ledgerentry WHERE id = %s", [ledger[0].pk])
