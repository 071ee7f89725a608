"""The least-privilege deployment on PostgreSQL (issue 10, item 6): the app role owns nothing and may only SELECT
and INSERT on the ledger and the access log (plus the sealing update) — TRUNCATE, DELETE, UPDATE, disabling a
trigger and ``session_replication_role`` are refused — and the app still works as that role: an accrual run,
both seals and both verifications, run as ``manage.py`` subprocesses connected as the app role.

The two roles are cluster-wide, so they get names of their own and are dropped at the end."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from ledger_helpers import TODAY

from openleave.audit.access import record_access, seal_access_log
from openleave.ledger.chain import seal_ledger
from openleave.ledger.models import AccrualRun, LedgerEntry

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL (DATABASE_URL=postgresql://…); "
                                                                  "CI runs it"),
]


def _url(role: str) -> str:
    s = connection.settings_dict
    return f"postgresql://{role}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _manage(role: str, *args: str, tmp: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": _url(role), "OPENLEAVE_CHECKPOINT_KEY": str(tmp / "cp.pem")}
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def roles():
    app, owner = f"ol_test_app_{os.getpid()}", f"ol_test_owner_{os.getpid()}"
    yield app, owner
    with connection.cursor() as c:
        for role in (owner, app):
            c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if c.fetchone():
                c.execute(f'REASSIGN OWNED BY "{role}" TO CURRENT_USER')
                c.execute(f'DROP OWNED BY "{role}"')
                c.execute(f'DROP ROLE "{role}"')


@pytest.mark.django_db(transaction=True)
def test_the_app_role_cannot_truncate_delete_or_rewrite_and_still_runs_the_app(make_employee, accrue, roles,
                                                                               tmp_path):
    import psycopg
    from psycopg import errors

    app, owner = roles
    people = [make_employee(start=dt.date(2008 + i, 3, 1)) for i in range(6)]
    accrue()
    record_access(actor=None, subject=people[0], object_type="employee", category="leave", channel="command")
    seal_ledger(), seal_access_log()
    call_command("pg_least_privilege", app_role=app, owner_role=owner)

    refused = [
        "TRUNCATE ledger_ledgerentry", "TRUNCATE privacy_accesslog", "TRUNCATE ledger_ledgerseal",
        "DELETE FROM ledger_ledgerentry", "DELETE FROM privacy_accesslog", "DELETE FROM ledger_ledgerseal",
        "DELETE FROM privacy_chainhead", "DELETE FROM ledger_accrualrun",
        "UPDATE ledger_ledgerentry SET micro = micro * 2",
        "UPDATE privacy_accesslog SET actor_id = NULL",
        "UPDATE privacy_chainhead SET anchor_hash = ''",
        "UPDATE ledger_ledgerseal SET hash = ''",
        "UPDATE ledger_accrualrun SET period_start = period_start - 14",
        "ALTER TABLE ledger_ledgerentry DISABLE TRIGGER ALL",
        "DROP TRIGGER ledger_entry_no_update ON ledger_ledgerentry",
        "SET session_replication_role = replica",
        "DELETE FROM django_migrations",
    ]
    with psycopg.connect(_url(app), autocommit=True) as c:
        assert c.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone() == (False,)
        for sql in refused:
            with pytest.raises(errors.InsufficientPrivilege):
                c.execute(sql)
        assert c.execute("SELECT count(*) FROM ledger_ledgerentry").fetchone()[0] == 12
    assert LedgerEntry.objects.count() == 12

    # The app itself, connected as that role: an accrual run, the seals, a checkpoint, the verifications.
    earlier = _manage(app, "accrue", "--period-including", "2026-10-20", "--today", TODAY.isoformat(), tmp=tmp_path)
    assert earlier.returncode == 0, earlier.stderr
    assert "12 ledger entries sealed into the hash chain" in earlier.stdout
    assert AccrualRun.objects.filter(finished_at__isnull=False).count() == 2
    record_access(actor=None, subject=people[1], object_type="employee", category="leave", channel="command")
    sealed = _manage(app, "seal_access_log", "--checkpoint-out", str(tmp_path / "cp.json"), tmp=tmp_path)
    assert sealed.returncode == 0, sealed.stderr
    for cmd in ("verify_access_log", "verify_ledger"):
        out = _manage(app, cmd, "--against", str(tmp_path / "cp.json"), tmp=tmp_path)
        assert out.returncode == 0 and "intact, up to the checkpoint" in out.stdout, out.stderr
    # The retention purge of old access-log rows is the owner's job: the app role may not.
    purge = _manage(app, "shell", "-c", "from openleave.audit.models import AccessLog;"
                                        "AccessLog.objects.all()._purge()", tmp=tmp_path)
    assert purge.returncode != 0 and "permission denied" in purge.stderr


@pytest.mark.django_db(transaction=True)
def test_the_command_refuses_a_superuser_app_role_and_prints_its_sql(roles):
    from io import StringIO

    from django.core.management.base import CommandError

    out = StringIO()
    call_command("pg_least_privilege", app_role=roles[0], owner_role=roles[1], print_only=True, stdout=out)
    sql = out.getvalue()
    assert 'GRANT SELECT, INSERT ON public."ledger_ledgerentry"' in sql
    assert 'GRANT SELECT, INSERT, UPDATE (seq, prev_hash, hash) ON public."privacy_accesslog"' in sql
    with pytest.raises(CommandError, match="must differ"):
        call_command("pg_least_privilege", app_role=roles[0], owner_role=roles[0])
    with pytest.raises(CommandError, match="not a plain role"):
        call_command("pg_least_privilege", app_role='x"; DROP TABLE y; --', owner_role=roles[1])
