"""Tampering with the access log by raw SQL is detected (issue 10, item 5) — on SQLite and on PostgreSQL.

Each case is what someone with write access to the database can do: relabel a row's actor, delete a row,
delete the newest rows and move the chain head back, delete the whole log, forge an unsealed row, or rebuild
a consistent chain. The chain catches the first two; a signed checkpoint kept outside the database catches
the rest; the verifier never seals what it verifies."""

from __future__ import annotations

import json
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from openleave.audit import checkpoint
from openleave.audit.access import entry_hash, record_access, verify_chain
from openleave.audit.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(settings, tmp_path):
    settings.OPENLEAVE_CHECKPOINT_KEY = str(tmp_path / "keys" / "checkpoint.pem")
    settings.OPENLEAVE_CHECKPOINT_PUBLIC_KEY = ""
    return tmp_path


def _reads(users, people, n=5, actor="hr"):
    return [record_access(actor=users[actor], subject=people["erin"], object_type="employee", object_id=i,
                          category="leave", channel="ui") for i in range(n)]


def _raw(sql, params=()):
    """Raw SQL past the append-only trigger (a superuser or the owner can do this)."""
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("ALTER TABLE privacy_accesslog DISABLE TRIGGER privacy_accesslog_no_update")
        else:
            c.execute("DROP TRIGGER IF EXISTS privacy_accesslog_no_update")
        c.execute(sql, params)


def _move_head_to(row: AccessLog | None):
    with connection.cursor() as c:
        c.execute("UPDATE privacy_chainhead SET last_id = %s, last_seq = %s, last_hash = %s WHERE id = 1",
                  [row.pk if row else 0, row.seq if row else 0, row.hash if row else ""])


def _verify(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_access_log", *args, stdout=out)
    return out.getvalue()


def test_relabelling_a_supervisors_reads_as_the_members_own_is_detected(users, people, client_for):
    """The reported attack: actor_id set to the member's own account hid the reads from her page."""
    reads = _reads(users, people, 3, actor="supervisor")
    page = client_for(users["employee"]).get("/me/access/").content.decode()
    assert page.count("Sean McCarthy (supervisor)") == 3
    _raw("UPDATE privacy_accesslog SET actor_id = %s WHERE id = %s", [users["employee"].pk, reads[1].pk])
    page = client_for(users["employee"]).get("/me/access/").content.decode()
    assert page.count("Sean McCarthy (supervisor)") == 2  # hidden from her page …
    report = verify_chain()
    assert not report.ok and report.first_broken_id == reads[1].pk  # … but the chain names the row
    assert "content does not match its hash" in report.problem
    with pytest.raises(CommandError, match=f"BROKEN at row id {reads[1].pk}"):
        _verify()


def test_a_row_deleted_in_the_middle_is_detected_at_the_next_row(users, people):
    rows = _reads(users, people)
    _raw("DELETE FROM privacy_accesslog WHERE id = %s", [rows[2].pk])
    report = verify_chain()
    assert not report.ok and report.first_broken_id == rows[3].pk
    assert "chain position is" in report.problem


def test_tail_truncated_and_head_moved_back_is_caught_by_the_checkpoint(users, people, key, tmp_path):
    rows = _reads(users, people)
    cp = tmp_path / "cp.json"
    call_command("seal_access_log", "--checkpoint-out", str(cp))
    assert json.loads(cp.read_text())["access_log"]["seq"] == rows[-1].seq
    _raw("DELETE FROM privacy_accesslog WHERE seq >= %s", [rows[3].seq])
    _move_head_to(rows[2])
    assert verify_chain().ok  # the chain alone cannot tell: what is left is consistent
    with pytest.raises(CommandError, match=f"names chain position {rows[-1].seq}, which is gone"):
        _verify("--against", str(cp))


def test_the_whole_log_deleted_is_caught_by_the_checkpoint(users, people, key, tmp_path):
    _reads(users, people)
    cp = tmp_path / "cp.json"
    call_command("write_checkpoint", "--out", str(cp))
    _raw("DELETE FROM privacy_accesslog")
    _move_head_to(None)
    assert verify_chain().ok and verify_chain().checked == 0
    with pytest.raises(CommandError, match="no sealed row is left"):
        _verify("--against", str(cp))


def test_a_rebuilt_consistent_chain_is_caught_by_the_checkpoint(users, people, key, tmp_path):
    """Wholesale replacement: a row rewritten and every hash after it recomputed."""
    rows = _reads(users, people)
    cp = tmp_path / "cp.json"
    call_command("write_checkpoint", "--out", str(cp))
    prev = ""
    for row in AccessLog.objects.order_by("seq"):
        if row.pk == rows[1].pk:
            row.actor_id, row.actor_label = users["employee"].pk, "Erin Doyle (employee)"
        row.prev_hash = prev
        row.hash = prev = entry_hash(row)
        _raw("UPDATE privacy_accesslog SET actor_id = %s, actor_label = %s, prev_hash = %s, hash = %s WHERE id = %s",
             [row.actor_id, row.actor_label, row.prev_hash, row.hash, row.pk])
    _move_head_to(AccessLog.objects.order_by("-seq").first())
    assert verify_chain().ok  # consistent …
    with pytest.raises(CommandError, match="names a different row"):
        _verify("--against", str(cp))  # … but not the log the auditor holds


def test_a_forged_unsealed_row_is_reported_not_sealed_by_the_verifier(users, people):
    _reads(users, people, 2)
    forged = AccessLog.objects.bulk_create([AccessLog(actor=users["hr"], actor_label="Helen Rivera (hr)",
                                                      subject=people["erin"], object_type="employee",
                                                      category="leave", purpose="forged", channel="ui")])[0]
    out = _verify()
    assert "1 row(s) pending" in out and f"ids {forged.pk}" in out
    forged.refresh_from_db()
    assert forged.seq is None and forged.hash == ""  # the verifier blessed nothing
    assert verify_chain().pending == 1


def test_a_clean_log_verifies_against_its_checkpoint(users, people, key, tmp_path):
    _reads(users, people)
    cp = tmp_path / "cp.json"
    call_command("write_checkpoint", "--out", str(cp))
    _reads(users, people, 2)  # rows after the checkpoint are fine
    assert "intact, up to the checkpoint" in _verify("--against", str(cp))


def test_a_checkpoint_altered_or_signed_by_another_key_is_refused(users, people, key, tmp_path, settings):
    _reads(users, people)
    cp = tmp_path / "cp.json"
    call_command("write_checkpoint", "--out", str(cp))
    data = json.loads(cp.read_text())
    data["access_log"]["seq"] -= 2  # "the log was shorter"
    cp.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="signature of checkpoint .* does not hold"):
        _verify("--against", str(cp))
    other = tmp_path / "other.pem"
    checkpoint.generate_key(other)
    call_command("write_checkpoint", "--out", str(cp))
    with pytest.raises(CommandError, match="does not hold"):
        _verify("--against", str(cp), "--public-key", str(other.with_suffix(".pub")))


def test_the_development_key_is_generated_private_with_its_public_key_beside_it(users, people, key, tmp_path):
    _reads(users, people, 1)
    call_command("write_checkpoint", "--out", str(tmp_path / "cp.json"))
    private = tmp_path / "keys" / "checkpoint.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert b"BEGIN PUBLIC KEY" in private.with_suffix(".pub").read_bytes()
    data = checkpoint.read(tmp_path / "cp.json", private.with_suffix(".pub"))
    assert set(data) >= {"at", "access_log", "ledger", "key", "signature"}


def test_production_refuses_to_invent_a_key(settings, tmp_path, users, people):
    settings.PRODUCTION = True
    settings.OPENLEAVE_CHECKPOINT_KEY = str(tmp_path / "missing.pem")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("write_checkpoint", "--out", str(tmp_path / "cp.json"))
    settings.OPENLEAVE_CHECKPOINT_KEY = ""
    with pytest.raises(CommandError, match="OPENLEAVE_CHECKPOINT_KEY is not set"):
        call_command("write_checkpoint", "--out", str(tmp_path / "cp.json"))
