"""A run killed halfway (SIGKILL while its transaction is open) leaves nothing; a re-run credits once.

PostgreSQL only: the run is held mid-transaction by a lock another connection takes on the unpaid-hours
table (the INSERT…SELECT joins it), after the run row is written; then the process is killed."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from ledger_helpers import PERIOD_DAY, TODAY

from openleave.ledger.models import AccrualRun, Leave, LedgerEntry

ROOT = Path(__file__).resolve().parents[2]


def _accrue_cmd(org) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), "accrue", "--period-including", PERIOD_DAY.isoformat(),
            "--today", TODAY.isoformat(), "--calendar", org["calendar"].name]


@pytest.mark.postgres
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL (DATABASE_URL=postgresql://…); CI runs it")
@pytest.mark.django_db(transaction=True)
def test_killed_run_leaves_nothing_and_rerun_credits_once(make_employee, org):
    import psycopg

    people = [make_employee(start=dt.date(2010 + i % 15, 3, 1)) for i in range(40)]
    s = connection.settings_dict
    url = f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": url}
    with psycopg.connect(url) as locker:
        locker.execute("LOCK TABLE ledger_periodunpaidhours IN ACCESS EXCLUSIVE MODE")
        proc = subprocess.Popen(_accrue_cmd(org), env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:  # wait until the run is inside its transaction, blocked on the lock
                row = locker.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()
                if row[0] or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            assert row[0], "the run never reached its INSERT…SELECT"
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        locker.rollback()
    assert AccrualRun.objects.count() == 0 and LedgerEntry.objects.count() == 0
    done = subprocess.run(_accrue_cmd(org), env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    again = subprocess.run(_accrue_cmd(org), env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "Already credited" in again.stdout
    assert AccrualRun.objects.count() == 1
    for p in people:
        assert LedgerEntry.objects.filter(employee=p, leave=Leave.SICK).count() == 1
        assert LedgerEntry.objects.filter(employee=p, leave=Leave.VACATION).count() == 1
