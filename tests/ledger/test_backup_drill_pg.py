"""The backup-and-restore drill (issue 10): ``pg_dump``, restore into a fresh database, then
``verify_access_log --against`` the last checkpoint, ``verify_ledger --against`` it, and every balance equal.
Restoring an older backup than the last checkpoint is caught: the checkpoint names rows it does not have.

PostgreSQL only; needs the ``pg_dump`` and ``pg_restore`` binaries (Debian: postgresql-client) of the
server's major version."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from openleave.audit.access import record_access
from openleave.ledger.chain import seal_ledger
from openleave.ledger.models import Kind, Leave
from openleave.ledger.services import ledger_post

ROOT = Path(__file__).resolve().parents[2]
BALANCES = "SELECT employee_id, leave, SUM(micro) FROM ledger_ledgerentry GROUP BY employee_id, leave ORDER BY 1, 2"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL (DATABASE_URL=postgresql://…); "
                                                                  "CI runs it"),
    pytest.mark.skipif(not (shutil.which("pg_dump") and shutil.which("pg_restore")),
                       reason="needs pg_dump and pg_restore (apt-get install postgresql-client)"),
]


def _conninfo(name: str | None = None) -> dict:
    s = connection.settings_dict
    return {"host": s["HOST"] or "127.0.0.1", "port": str(s["PORT"] or 5432), "user": s["USER"] or "postgres",
            "dbname": name or s["NAME"]}


def _url(name: str) -> str:
    c = _conninfo(name)
    return f"postgresql://{c['user']}@{c['host']}:{c['port']}/{name}"


def _pg(tool: str, *args: str) -> None:
    c = _conninfo()
    env = {**os.environ, **({"PGPASSWORD": connection.settings_dict["PASSWORD"]}
                            if connection.settings_dict.get("PASSWORD") else {})}
    out = subprocess.run([tool, "-h", c["host"], "-p", c["port"], "-U", c["user"], *args], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, f"{tool}: {out.stderr}"


def _manage(db: str, *args: str, key: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": _url(db), "OPENLEAVE_CHECKPOINT_KEY": str(key)}
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True,
                          timeout=300)


def _balances(db: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(**_conninfo(db)) as c:
        return c.execute(BALANCES).fetchall()


@pytest.fixture
def fresh_databases():
    """Names of scratch databases for the restores (``<test db>_restore_N``), dropped at the end."""
    import psycopg

    made: list[str] = []

    def make() -> str:
        name = f"{connection.settings_dict['NAME']}_restore_{len(made) + 1}"
        with psycopg.connect(**_conninfo("postgres"), autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return name

    yield make
    with psycopg.connect(**_conninfo("postgres"), autocommit=True) as c:
        for name in made:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_restore_verifies_against_the_last_checkpoint_with_every_balance_equal(
        make_employee, accrue, fresh_databases, settings, tmp_path):
    settings.OPENLEAVE_CHECKPOINT_KEY = str(tmp_path / "checkpoint.pem")
    settings.OPENLEAVE_CHECKPOINT_PUBLIC_KEY = ""
    people = [make_employee(start=dt.date(2004 + i, 3, 1)) for i in range(20)]
    accrue()
    for p in people[:5]:
        record_access(actor=None, subject=p, object_type="employee", category="leave", channel="command")
    call_command("seal_ledger")
    old_dump = tmp_path / "old.dump"
    _pg("pg_dump", "-Fc", "-f", str(old_dump), connection.settings_dict["NAME"])  # an older backup

    ledger_post(employee=people[0], leave=Leave.VACATION, kind=Kind.ADJUSTMENT, micro=7_500_000,
                effective_date=dt.date(2026, 11, 20), cite="Sec. 9.10", reason="drill", key="drill-1")
    record_access(actor=None, subject=people[0], object_type="employee", category="leave", channel="command")
    assert seal_ledger() == 1
    cp = tmp_path / "last-checkpoint.json"
    call_command("seal_access_log", "--checkpoint-out", str(cp))
    dump = tmp_path / "openleave.dump"
    _pg("pg_dump", "-Fc", "-f", str(dump), connection.settings_dict["NAME"])
    balances = _balances(connection.settings_dict["NAME"])
    assert len(balances) == 40

    restored = fresh_databases()
    _pg("pg_restore", "--exit-on-error", "-d", restored, str(dump))
    for cmd in ("verify_access_log", "verify_ledger"):
        out = _manage(restored, cmd, "--against", str(cp), key=tmp_path / "checkpoint.pem")
        assert out.returncode == 0 and "intact, up to the checkpoint" in out.stdout, out.stdout + out.stderr
    assert _balances(restored) == balances  # every balance equal

    stale = fresh_databases()
    _pg("pg_restore", "--exit-on-error", "-d", stale, str(old_dump))
    out = _manage(stale, "verify_access_log", "--against", str(cp), key=tmp_path / "checkpoint.pem")
    assert out.returncode == 1 and "which is gone" in out.stderr
    out = _manage(stale, "verify_ledger", "--against", str(cp), key=tmp_path / "checkpoint.pem")
    assert out.returncode == 1 and "which is gone" in out.stderr
