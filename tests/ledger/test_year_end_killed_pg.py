"""A year-end run killed halfway (SIGKILL while its transaction is open, after some chunks were inserted) leaves
nothing; the re-run posts each forfeiture once.

PostgreSQL only: the command runs in a subprocess with the test hook ``OPENLEAVE_YEAR_END_PAUSE_AFTER_CHUNK``,
which holds the run open after its first chunk of employees has been written (uncommitted); then it is killed."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from openleave.ledger import services
from openleave.ledger.models import AccrualRun, Kind, Leave, LedgerEntry

ROOT = Path(__file__).resolve().parents[2]
H = 1_000_000


def _cmd(org) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), "year_end", "--year", "2022", "--today", "2023-01-02",
            "--calendar", org["calendar"].name]


@pytest.mark.postgres
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL (DATABASE_URL=postgresql://…); CI runs it")
@pytest.mark.django_db(transaction=True)
def test_killed_year_end_leaves_nothing_and_rerun_posts_once(make_employee, org):
    people = []
    for i in range(40):  # each: 10 h of vacation earned in 2020 + i/2 h used → (10 − i/2) h forfeited (Sec. 9.8)
        e = make_employee(start=dt.date(2010, 3, 1))
        services.ledger_post(employee=e, leave=Leave.VACATION, kind=Kind.OPENING, micro=10 * H,
                             effective_date=dt.date(2022, 1, 2), cite="test", reason="test", key=f"k-{i}-o",
                             system="test", earned_year=2020)
        if i:
            services.ledger_post(employee=e, leave=Leave.VACATION, kind=Kind.USAGE, micro=-i * H // 2,
                                 effective_date=dt.date(2022, 3, 7), cite="test", reason="test", key=f"k-{i}-u",
                                 system="test")
        people.append(e)
    before = LedgerEntry.objects.count()
    s = connection.settings_dict
    url = f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "OPENLEAVE_YEAR_END_PAUSE_AFTER_CHUNK": "2"}
    proc = subprocess.Popen(_cmd(org), env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()  # the hook's word: three chunks written, the transaction still open
        assert "paused after chunk 2" in line, line + proc.stderr.read()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not AccrualRun.objects.filter(leave_set="year_end").exists() and LedgerEntry.objects.count() == before
    env.pop("OPENLEAVE_YEAR_END_PAUSE_AFTER_CHUNK")
    done = subprocess.run(_cmd(org), env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    again = subprocess.run(_cmd(org), env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert again.returncode == 2 and "already run" in again.stderr
    assert AccrualRun.objects.filter(leave_set="year_end").count() == 1
    # By hand: i/2 h used ≥ the 10 h from i = 20 on, so only i = 0..19 forfeit: Σ_{i=0}^{19} (10 − i/2)
    # = 20 × 10 − (0 + 1 + … + 19)/2 = 200 − 190/2 = 105 h.
    rows = LedgerEntry.objects.filter(kind=Kind.FORFEITURE)
    assert rows.count() == 20
    assert sum(r.micro for r in rows) == -105 * H
    for i, e in enumerate(people):
        assert LedgerEntry.objects.filter(employee=e, kind=Kind.FORFEITURE).count() == (1 if i < 20 else 0)
